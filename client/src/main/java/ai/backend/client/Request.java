package ai.backend.client;

import ai.backend.client.internal.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One API request, immutable: method, path (relative to the endpoint), query parameters, body and
 * content type. A body is allowed on every method, GET and DELETE included, as the protocol needs.
 *
 * <p>Send it with {@link Session#fetch(Request)} or {@link AsyncSession#fetch(Request)}; the session adds
 * the date, version, user agent and signature headers.
 */
public final class Request {
    private final String method;
    private final String path;
    private final Map<String, String> query;
    private final byte[] body;
    private final String contentType;

    private Request(Builder b) {
        this.method = b.method;
        this.path = b.path;
        this.query = Collections.unmodifiableMap(new LinkedHashMap<>(b.query));
        this.body = b.body;
        this.contentType = b.contentType;
    }

    public static Builder builder(String method, String path) {
        return new Builder(method, path);
    }

    public static Builder get(String path) {
        return new Builder("GET", path);
    }

    public static Builder post(String path) {
        return new Builder("POST", path);
    }

    public static Builder delete(String path) {
        return new Builder("DELETE", path);
    }

    public static Builder patch(String path) {
        return new Builder("PATCH", path);
    }

    public static Builder put(String path) {
        return new Builder("PUT", path);
    }

    public String method() {
        return method;
    }

    /** The API path, starting with {@code /}, without the endpoint's own path prefix. */
    public String path() {
        return path;
    }

    public Map<String, String> query() {
        return query;
    }

    /** The body bytes (empty when there is none). */
    public byte[] body() {
        return body.clone();
    }

    byte[] bodyUnsafe() {
        return body;
    }

    /** The bare media type sent and signed: {@code text/plain} when there is no body. */
    public String contentType() {
        return contentType;
    }

    /** The path and the percent-encoded query string, as appended to the endpoint. */
    public String pathAndQuery() {
        if (query.isEmpty()) {
            return path;
        }
        StringBuilder sb = new StringBuilder(path).append('?');
        boolean first = true;
        for (Map.Entry<String, String> e : query.entrySet()) {
            if (!first) {
                sb.append('&');
            }
            first = false;
            sb.append(encode(e.getKey())).append('=').append(encode(e.getValue()));
        }
        return sb.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return method + " " + pathAndQuery() + " (" + contentType + ", " + body.length + " bytes)";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Request)) {
            return false;
        }
        Request r = (Request) o;
        return method.equals(r.method) && path.equals(r.path) && query.equals(r.query)
                && Arrays.equals(body, r.body) && contentType.equals(r.contentType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, path, query, Arrays.hashCode(body));
    }

    /** Builds a {@link Request}. Not thread-safe. */
    public static final class Builder {
        private final String method;
        private final String path;
        private final Map<String, String> query = new LinkedHashMap<>();
        private byte[] body = new byte[0];
        private String contentType = "text/plain";

        private Builder(String method, String path) {
            this.method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
            Objects.requireNonNull(path, "path");
            this.path = path.startsWith("/") ? path : "/" + path;
        }

        /** Adds a query parameter; a null value is skipped. */
        public Builder queryParam(String name, String value) {
            if (value != null) {
                query.put(name, value);
            }
            return this;
        }

        /** A JSON body written as Python's {@code json.dumps} writes it, with {@code application/json}. */
        public Builder jsonBody(Object value) {
            this.body = Json.pythonDumpsBytes(value);
            this.contentType = "application/json";
            return this;
        }

        /** A UTF-8 text body with {@code text/plain}. */
        public Builder textBody(String text) {
            this.body = text.getBytes(StandardCharsets.UTF_8);
            this.contentType = "text/plain";
            return this;
        }

        /** A raw body with the given bare media type (no parameters). */
        public Builder bytesBody(byte[] bytes, String contentType) {
            this.body = bytes.clone();
            this.contentType = Objects.requireNonNull(contentType, "contentType").toLowerCase(Locale.ROOT);
            return this;
        }

        public Request build() {
            return new Request(this);
        }
    }
}
