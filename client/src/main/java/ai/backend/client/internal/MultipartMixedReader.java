package ai.backend.client.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a {@code multipart/*} body part by part from a stream, without holding a part in memory: each
 * part's content is an {@link InputStream} that ends at the next boundary. Internal.
 */
public final class MultipartMixedReader {
    private final PushbackInputStream in;
    private final byte[] delimiter;
    private boolean finished;
    private PartStream current;

    public MultipartMixedReader(InputStream body, String boundary) throws IOException {
        this.in = new PushbackInputStream(body, 8192);
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        // skip the preamble up to the first boundary line
        byte[] first = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        int matched = 0;
        while (matched < first.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("The multipart body has no boundary");
            }
            matched = b == first[matched] ? matched + 1 : (b == first[0] ? 1 : 0);
        }
        finished = afterBoundary();
    }

    /** The boundary from a Content-Type header value, or null. */
    public static String boundary(String contentType) {
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = p.substring(9).trim();
                return b.startsWith("\"") && b.endsWith("\"") ? b.substring(1, b.length() - 1) : b;
            }
        }
        return null;
    }

    /** One part: its headers (lower-case names) and its content. */
    public record Part(Map<String, String> headers, InputStream content) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** The next part, or null after the last; the previous part's content is skipped if unread. */
    public Part next() throws IOException {
        if (current != null) {
            current.skipRest();
            finished = afterBoundary();
            current = null;
        }
        if (finished) {
            return null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while (!(line = readLine()).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        current = new PartStream();
        return new Part(headers, current);
    }

    /** After a boundary: "--" means the end, else the rest of the line is skipped. */
    private boolean afterBoundary() throws IOException {
        int a = in.read();
        int b = in.read();
        if (a == '-' && b == '-') {
            return true;
        }
        if (b >= 0) {
            in.unread(b);
        }
        if (a >= 0) {
            in.unread(a);
        }
        readLine();
        return false;
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (line.size() > 16384) {
                throw new IOException("A multipart header line is too long");
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, len, StandardCharsets.UTF_8);
    }

    /** A part's content: reads until the delimiter (not included). */
    private final class PartStream extends InputStream {
        private boolean ended;
        private final byte[] window = new byte[8192];

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (ended) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            int n = in.read(window, 0, window.length);
            if (n < 0) {
                throw new IOException("The multipart body ended inside a part");
            }
            for (int i = 0; i < n && i < len; i++) {
                if (!matchesAt(window, i, n)) {
                    continue;
                }
                if (i + delimiter.length <= n) {         // the whole delimiter: the part ends here
                    in.unread(window, i + delimiter.length, n - i - delimiter.length);
                    ended = true;
                    System.arraycopy(window, 0, buf, off, i);
                    return i == 0 ? -1 : i;
                }
                in.unread(window, i, n - i);             // a delimiter may start here: decide on the next read
                if (i == 0) {
                    return readSlow(buf, off);
                }
                System.arraycopy(window, 0, buf, off, i);
                return i;
            }
            int give = Math.min(n, len);
            System.arraycopy(window, 0, buf, off, give);
            if (give < n) {
                in.unread(window, give, n - give);
            }
            return give;
        }

        /** The window starts with a delimiter prefix: read byte by byte to decide. */
        private int readSlow(byte[] buf, int off) throws IOException {
            byte[] probe = new byte[delimiter.length];
            int got = 0;
            while (got < probe.length) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("The multipart body ended inside a part");
                }
                probe[got++] = (byte) b;
                if (probe[got - 1] != delimiter[got - 1]) {
                    in.unread(probe, 1, got - 1);
                    buf[off] = probe[0];
                    return 1;
                }
            }
            ended = true;
            return -1;
        }

        private boolean matchesAt(byte[] data, int at, int n) {
            for (int j = 0; j < delimiter.length && at + j < n; j++) {
                if (data[at + j] != delimiter[j]) {
                    return false;
                }
            }
            return true;
        }

        void skipRest() throws IOException {
            byte[] sink = new byte[8192];
            while (read(sink, 0, sink.length) >= 0) {
                // discard
            }
        }
    }
}
