package ai.backend.client.kernel;

/** The {@code mode} of an execute call (protocol §4.2). */
public enum ExecutionMode {
    QUERY("query"), BATCH("batch"), CONTINUE("continue"), INPUT("input"), COMPLETE("complete");

    private final String wireName;

    ExecutionMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
