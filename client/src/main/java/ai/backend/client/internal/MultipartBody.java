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
        String encoded = percentEncode(fileName);
        byte[] head = ("--" + boundary + "\r\n"
                + "Content-Type: application/octet-stream\r\n"
                + "Content-Disposition: form-data; name=\"" + field + "\"; filename=\"" + encoded + "\"; filename*=utf-8''"
                + encoded + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest.BodyPublisher content = HttpRequest.BodyPublishers.ofFile(file);
        add(HttpRequest.BodyPublishers.ofByteArray(head), head.length);
        add(content, content.contentLength());
        add(HttpRequest.BodyPublishers.ofByteArray("\r\n".getBytes(StandardCharsets.US_ASCII)), 2);
        return this;
    }

    private void add(HttpRequest.BodyPublisher publisher, long size) {
        pieces.add(publisher);
        length = length < 0 || size < 0 ? -1 : length + size;
    }

    /** The body publisher; its length is known when every file's size is. */
    public HttpRequest.BodyPublisher publisher() {
        List<HttpRequest.BodyPublisher> all = new ArrayList<>(pieces);
        all.add(HttpRequest.BodyPublishers.ofByteArray(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII)));
        return HttpRequest.BodyPublishers.concat(all.toArray(new HttpRequest.BodyPublisher[0]));
    }
}
