package ai.backend.client;

import ai.backend.client.internal.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A complete API response: status, reason phrase, headers and the whole body in memory. Immutable.
 * Only successful (2xx) responses reach callers; others become {@link BackendAPIError}.
 */
public final class Response {
    private final int status;
    private final Map<String, List<String>> headers;
    private final byte[] body;

    public Response(int status, Map<String, List<String>> headers, byte[] body) {
        this.status = status;
        this.headers = Map.copyOf(headers);
        this.body = body;
    }

    public int status() {
        return status;
    }

    /** The standard reason phrase of the status (the JDK client does not expose the server's). */
    public String reason() {
        return ai.backend.client.internal.HttpStatus.reason(status);
    }

    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The first value of a header, case-insensitively. */
    public Optional<String> header(String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return Optional.of(e.getValue().get(0));
            }
        }
        return Optional.empty();
    }

    /** The bare, lower-case media type of the body, or an empty string. */
    public String contentType() {
        String value = header("Content-Type").orElse("");
        int semi = value.indexOf(';');
        return (semi < 0 ? value : value.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    public byte[] bytes() {
        return body.clone();
    }

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The body parsed as JSON.
     *
     * @throws BackendClientError when the body is not JSON
     */
    public JsonNode json() {
        try {
            return Json.parse(body);
        } catch (IOException e) {
            throw new BackendClientError("The server's response is not valid JSON (status " + status + ", "
                    + body.length + " bytes): " + e.getMessage(), e);
        }
    }
}
