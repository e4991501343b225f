package ai.backend.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MultipartMixedReaderTest {
    private static byte[] body(String boundary, List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("preamble\r\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < parts.size(); i++) {
            out.writeBytes(("--" + boundary + "\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"f"
                    + i + "\"\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(parts.get(i));
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** Delivers at most {@code chunk} bytes per read, to exercise every split of the delimiter. */
    private static InputStream trickle(byte[] data, int chunk) {
        return new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    private static List<byte[]> readAll(InputStream in, String boundary, int readSize) throws IOException {
        MultipartMixedReader reader = new MultipartMixedReader(in, boundary);
        List<byte[]> parts = new ArrayList<>();
        for (MultipartMixedReader.Part p = reader.next(); p != null; p = reader.next()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[readSize];
            int n;
            while ((n = p.content().read(buf, 0, buf.length)) >= 0) {
                out.write(buf, 0, n);
            }
            parts.add(out.toByteArray());
            assertThat(p.header("content-disposition")).contains("filename=\"f" + (parts.size() - 1) + "\"");
        }
        return parts;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 64, 8192, 100000})
    void readsPartsByteExactWhateverTheChunking(int chunk) throws IOException {
        Random random = new Random(chunk);
        byte[] binary = new byte[50_000];
        random.nextBytes(binary);
        String boundary = "0123456789abcdef0123456789abcdef";
        List<byte[]> parts = List.of("line one\r\nline two\r\n".getBytes(StandardCharsets.US_ASCII), new byte[0], binary,
                ("almost a boundary: \r\n--" + boundary.substring(0, 20) + " and \r\n-- more\r\n").getBytes(StandardCharsets.US_ASCII));
        List<byte[]> read = readAll(trickle(body(boundary, parts), chunk), boundary, Math.max(1, chunk / 2));
        assertThat(read).hasSize(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            assertThat(read.get(i)).as("part " + i).isEqualTo(parts.get(i));
        }
    }

    @Test
    void skipsUnreadParts() throws IOException {
        String boundary = "b";
        MultipartMixedReader reader = new MultipartMixedReader(new ByteArrayInputStream(body(boundary,
                List.of("first".getBytes(), "second".getBytes()))), boundary);
        assertThat(reader.next()).isNotNull();
        MultipartMixedReader.Part second = reader.next();
        assertThat(new String(second.content().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("second");
        assertThat(reader.next()).isNull();
    }

    @Test
    void aTruncatedBodyIsAnError() {
        byte[] full = body("b", List.of("content that is cut".getBytes()));
        byte[] cut = java.util.Arrays.copyOf(full, full.length - 12);
        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(cut), "b", 64)).isInstanceOf(IOException.class);
    }

    @Test
    void findsTheBoundaryParameter() {
        assertThat(MultipartMixedReader.boundary("multipart/mixed; boundary=abc123")).isEqualTo("abc123");
        assertThat(MultipartMixedReader.boundary("multipart/mixed;boundary=\"q b\"")).isEqualTo("q b");
        assertThat(MultipartMixedReader.boundary("text/plain")).isNull();
    }
}
