package ai.backend.client.kernel;

import java.util.Objects;

/**
 * One execute call: mode, run ID, code. Use the factories, which enforce the run-ID rules of
 * protocol §4: a new run may leave the ID null (the server assigns one), while {@code continue} and
 * {@code input} must name the run they belong to.
 */
public record ExecuteRequest(ExecutionMode mode, String runId, String code, BatchOptions batchOptions) {
    public ExecuteRequest(ExecutionMode mode, String runId, String code) {
        this(mode, runId, code, null);
    }

    public ExecuteRequest {
        Objects.requireNonNull(mode, "mode");
        code = code == null ? "" : code;
        if ((mode == ExecutionMode.CONTINUE || mode == ExecutionMode.INPUT) && (runId == null || runId.isEmpty())) {
            throw new IllegalArgumentException("The " + mode.wireName() + " mode requires the run ID of the run to continue");
        }
    }

    /** A new query run whose ID the server assigns. */
    public static ExecuteRequest query(String code) {
        return new ExecuteRequest(ExecutionMode.QUERY, null, code);
    }

    /** A new query run with a caller-chosen run ID. */
    public static ExecuteRequest query(String runId, String code) {
        return new ExecuteRequest(ExecutionMode.QUERY, runId, code);
    }

    /** A new batch run (clean, build and exec steps) whose ID the server assigns. */
    public static ExecuteRequest batch(BatchOptions options) {
        return new ExecuteRequest(ExecutionMode.BATCH, null, "", java.util.Objects.requireNonNull(options, "options"));
    }

    /** Collects more output of the run {@code runId}. */
    public static ExecuteRequest continueRun(String runId) {
        return new ExecuteRequest(ExecutionMode.CONTINUE, runId, "");
    }

    /** Answers a {@code waiting-input} prompt of the run {@code runId} with one line (no trailing newline). */
    public static ExecuteRequest input(String runId, String line) {
        return new ExecuteRequest(ExecutionMode.INPUT, runId, Objects.requireNonNull(line, "line"));
    }
}
