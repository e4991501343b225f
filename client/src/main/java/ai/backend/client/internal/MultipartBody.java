package ai.backend.client.internal;

import java.io.FileNotFoundException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A {@code multipart/form-data} body streamed from files: each file is one part, read from disk as it is
 * sent, so memory use does not grow with file size. Part headers are written as aiohttp writes them:
 * {@code filename} and RFC 5987 {@code filename*}, both percent-encoded. Internal.
 */
public final class MultipartBody {
    private final String boundary;
    private final List<HttpRequest.BodyPublisher> pieces = new ArrayList<>();
    /** The same body as bytes and files, for writing it straight to a socket. */
    private final List<Object> parts = new ArrayList<>();
    private final List<ai.backend.client.TransferListener> listeners = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private long length;

    public MultipartBody() {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        this.boundary = HexFormat.of().formatHex(random);
    }

    /** The full Content-Type header value, with the boundary. */
    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    /** Percent-encodes every character outside the unreserved set, as aiohttp does ({@code a/b} → {@code a%2Fb}). */
    public static String percentEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }

    /** Adds a file part named {@code field}, sent under {@code fileName}. */
    public MultipartBody addFile(String field, String fileName, Path file) throws FileNotFoundException {
        return addFile(field, fileName, file, ai.backend.client.TransferListener.NONE);
    }

    /** Adds a file part, reporting to {@code listener} as it is read from disk while sending. */
    public MultipartBody addFile(String field, String fileName, Path file, ai.backend.client.TransferListener listener)
            throws FileNotFoundException {
        String encoded = percentEncode(fileName);
        byte[] head = ("--" + boundary + "\r\n"
                + "Content-Type: application/octet-stream\r\n"
                + "Content-Disposition: form-data; name=\"" + field + "\"; filename=\"" + encoded + "\"; filename*=utf-8''"
                + encoded + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        long size;
        try {
            size = java.nio.file.Files.size(file);
        } catch (java.io.IOException e) {
            throw new FileNotFoundException(file + ": " + e.getMessage());
        }
        HttpRequest.BodyPublisher content = listener == ai.backend.client.TransferListener.NONE
                ? HttpRequest.BodyPublishers.ofFile(file)
                : HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        return new ProgressStream(java.nio.file.Files.newInputStream(file), fileName, size, listener);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }), size);
        add(HttpRequest.BodyPublishers.ofByteArray(head), head.length);
        add(content, content.contentLength());
        add(HttpRequest.BodyPublishers.ofByteArray("\r\n".getBytes(StandardCharsets.US_ASCII)), 2);
        parts.add(head);
        parts.add(file);
        listeners.add(listener);
        names.add(fileName);
        parts.add("\r\n".getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    private void add(HttpRequest.BodyPublisher publisher, long size) {
        pieces.add(publisher);
        length = length < 0 || size < 0 ? -1 : length + size;
    }

    /** The whole body's length in bytes. */
    public long contentLength() {
        return length + ("--" + boundary + "--\r\n").length();
    }

    /** Writes the body to {@code out}, streaming each file from disk in large blocks. */
    public void writeTo(java.io.OutputStream out) throws java.io.IOException {
        byte[] buf = new byte[1 << 18];
        int file = 0;
        for (Object part : parts) {
            if (part instanceof byte[]) {
                out.write((byte[]) part);
                continue;
            }
            Path path = (Path) part;
            ai.backend.client.TransferListener listener = listeners.get(file);
            String name = names.get(file++);
            long total = java.nio.file.Files.size(path);
            long done = 0;
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(path)) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    done += n;
                    listener.onProgress(name, done, total);
                }
            }
        }
        out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** The body publisher; its length is known when every file's size is. */
    public HttpRequest.BodyPublisher publisher() {
        List<HttpRequest.BodyPublisher> all = new ArrayList<>(pieces);
        all.add(HttpRequest.BodyPublishers.ofByteArray(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII)));
        return HttpRequest.BodyPublishers.concat(all.toArray(new HttpRequest.BodyPublisher[0]));
    }

    /** Reports the bytes read from a file being uploaded. */
    private static final class ProgressStream extends java.io.FilterInputStream {
        private final String name;
        private final long total;
        private final ai.backend.client.TransferListener listener;
        private long done;

        ProgressStream(java.io.InputStream in, String name, long total, ai.backend.client.TransferListener listener) {
            super(in);
            this.name = name;
            this.total = total;
            this.listener = listener;
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                done += n;
                listener.onProgress(name, done, total);
            }
            return n;
        }
    }
}
