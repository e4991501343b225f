package ai.backend.client.kernel;

/** The status of an execution result (protocol §4.3), with its wire name. */
public enum ExecutionStatus {
    /** More output is coming: call again with {@link ExecuteRequest#continueRun(String)}. */
    CONTINUED("continued"),
    /** The program waits for a line of input: answer with {@link ExecuteRequest#input(String, String)}. */
    WAITING_INPUT("waiting-input"),
    /** The run has ended; {@code exitCode} is set. */
    FINISHED("finished"),
    /** Batch mode: the clean step has ended; continue to get the rest. */
    CLEAN_FINISHED("clean-finished"),
    /** Batch mode: the build step has ended; continue to get the rest. */
    BUILD_FINISHED("build-finished"),
    /** The run was stopped by the session's execution timeout. Terminal. */
    EXEC_TIMEOUT("exec-timeout");

    private final String wireName;

    ExecutionStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether no more results follow for this run. */
    public boolean isTerminal() {
        return this == FINISHED || this == EXEC_TIMEOUT;
    }

    /** @throws IllegalArgumentException for an unknown name */
    public static ExecutionStatus fromWire(String name) {
        for (ExecutionStatus s : values()) {
            if (s.wireName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("Unknown execution status: " + name);
    }
}
