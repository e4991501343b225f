package ai.backend.client;

import ai.backend.client.internal.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The server answered with a non-2xx status. Carries the status, the reason phrase and the parsed body
 * ({@link #data()}), which for Backend.AI is an RFC 7807 problem object.
 *
 * <p>Branch on {@link #type()}, never on the title. {@link #message()} reads the extra message from
 * {@code msg} (managers 19.09 and later) or from the parenthesised suffix of {@code title} (19.03).
 */
public class BackendAPIError extends BackendError {
    private static final long serialVersionUID = 1L;
    /** The problem type the 19.03 client assigns to a body that is not JSON. */
    public static final String GENERIC_ERROR_TYPE = "https://api.backend.ai/probs/generic-error";
    /** The prefix of every problem type URL the manager sends. */
    public static final String PROBLEM_TYPE_PREFIX = "https://api.backend.ai/probs/";

    private final int status;
    private final String reason;
    private final transient JsonNode data;

    public BackendAPIError(int status, String reason, JsonNode data) {
        super(describe(status, reason, data), null);
        this.status = status;
        this.reason = reason;
        this.data = data;
    }

    /**
     * Builds the error from a raw response body, wrapping a body that is not a JSON object as the
     * 19.03 client does ({@code generic-error} with the raw text in {@code content}).
     */
    public static BackendAPIError fromBody(int status, String reason, String body) {
        JsonNode parsed = null;
        try {
            parsed = body == null || body.isEmpty() ? null : Json.MAPPER.readTree(body);
        } catch (Exception notJson) {
            parsed = null;
        }
        if (parsed == null || !parsed.isObject()) {
            ObjectNode wrapped = Json.MAPPER.createObjectNode();
            wrapped.put("type", GENERIC_ERROR_TYPE);
            wrapped.put("title", "Generic Error (could not parse error string)");
            wrapped.put("content", body == null ? "" : body);
            parsed = wrapped;
        }
        return new BackendAPIError(status, reason, parsed);
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    /** The parsed error body (a JSON object). */
    public JsonNode data() {
        return data;
    }

    /** The problem type URL, or {@code null} when the body has none. */
    public String type() {
        return text(data, "type");
    }

    /** The problem type without the {@code https://api.backend.ai/probs/} prefix. */
    public String typeName() {
        String type = type();
        if (type != null && type.startsWith(PROBLEM_TYPE_PREFIX)) {
            return type.substring(PROBLEM_TYPE_PREFIX.length());
        }
        return type;
    }

    /** The title as sent (for 19.03 it includes the parenthesised message). */
    public String title() {
        return text(data, "title");
    }

    /** The extra message: {@code msg} if present, else the parenthesised suffix of the title, else null. */
    public String message() {
        String msg = text(data, "msg");
        if (msg != null && !msg.isEmpty()) {
            return msg;
        }
        return titleSuffix(title());
    }

    /** The {@code agent-details} object of agent-side failures, or null. */
    public JsonNode agentDetails() {
        return data == null ? null : data.get("agent-details");
    }

    static String titleSuffix(String title) {
        if (title == null || !title.endsWith(")")) {
            return null;
        }
        int open = title.indexOf(" (");
        return open < 0 ? null : title.substring(open + 2, title.length() - 1);
    }

    private static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String describe(int status, String reason, JsonNode data) {
        String title = text(data, "title");
        String msg = text(data, "msg");
        StringBuilder sb = new StringBuilder().append(status).append(' ').append(reason);
        if (title != null) {
            sb.append(": ").append(title);
        }
        if (msg != null && !msg.isEmpty()) {
            sb.append(" (").append(msg).append(')');
        }
        return sb.toString();
    }

    @Override
    public boolean isRetryable() {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }
}
