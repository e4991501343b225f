package ai.backend.local.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An API error as the 19.03 manager reports it (protocol §6): status, problem type, title, and an
 * optional extra message appended to the title in parentheses. Thrown by handlers, rendered as
 * {@code application/problem+json}.
 */
public final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public static final String PREFIX = "https://api.backend.ai/probs/";

    private final int status;
    private final String type;
    private final String title;
    private final transient JsonNode data;
    private final transient JsonNode agentDetails;

    private Problem(int status, String type, String title, String extra, JsonNode data, JsonNode agentDetails) {
        super(extra == null || extra.isEmpty() ? title : title + " (" + extra + ")");
        this.status = status;
        this.type = type;
        this.title = title;
        this.data = data;
        this.agentDetails = agentDetails;
    }

    public int status() {
        return status;
    }

    public String type() {
        return PREFIX + type;
    }

    /** The title with the extra message appended, as 19.03 sends it. */
    public String fullTitle() {
        return getMessage();
    }

    public String baseTitle() {
        return title;
    }

    public JsonNode data() {
        return data;
    }

    public JsonNode agentDetails() {
        return agentDetails;
    }

    private static Problem of(int status, String type, String title, String extra) {
        return new Problem(status, type, title, extra, null, null);
    }

    public static Problem notFound() {
        return of(404, "generic-not-found", "Unknown URL path.", null);
    }

    public static Problem badRequest(String extra) {
        return of(400, "generic-bad-request", "Bad request.", extra);
    }

    public static Problem forbidden(String extra) {
        return of(403, "generic-forbidden", "Forbidden operation.", extra);
    }

    public static Problem methodNotAllowed() {
        return of(405, "method-not-allowed", "HTTP Method Not Allowed.", null);
    }

    public static Problem internal(String extra) {
        return of(500, "internal-server-error", "Internal server error.", extra);
    }

    /** {@code ?app=} names no service of the session (protocol §5.3). */
    public static Problem appNotFound(String session, String app) {
        return of(404, "app-not-found", "No such app service provided by the session.", session + ":" + app);
    }

    public static Problem invalidAuthParams(String extra) {
        return of(400, "invalid-auth-params", "Missing or invalid authorization parameters.", extra);
    }

    public static Problem authFailed(String extra) {
        return of(401, "auth-failed", "Credential/signature mismatch.", extra);
    }

    public static Problem invalidApiParams(String extra) {
        return of(400, "invalid-api-params", "Missing or invalid API parameters.", extra);
    }

    public static Problem kernelNotFound() {
        return of(404, "kernel-not-found", "No such kernel.", null);
    }

    public static Problem kernelAlreadyExists() {
        return of(400, "kernel-already-exists",
                "The kernel already exists with a different runtime type (language).", null);
    }

    public static Problem vfolderNotFound(String extra) {
        return of(404, "vfolder-not-found", "No such virtual folder.", extra);
    }

    public static Problem quotaExceeded(String extra) {
        return of(412, "quota-exceeded", "You have reached your resource limit.", extra);
    }

    public static Problem rateLimitExceeded() {
        return of(429, "rate-limit-exceeded", "You have reached your API query rate limit.", null);
    }

    public static Problem instanceNotAvailable() {
        return of(503, "instance-not-available", "There is no available instance.", null);
    }

    /** One of the agent-wrapped failures ({@code kernel-*-failed}): no message in the title, details aside. */
    public static Problem agentFailure(String type, String title, JsonNode agentDetails) {
        return new Problem(500, type, title, null, null, agentDetails);
    }

    public static Problem withData(int status, String type, String title, JsonNode data) {
        return new Problem(status, type, title, null, data, null);
    }
}
