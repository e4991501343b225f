package ai.backend.client.kernel;

/**
 * The steps of a batch run (protocol §4.2): each is a shell command, {@code *} for the image's default
 * heuristic, or null to skip it. Batch runs work in the session's working directory.
 */
public record BatchOptions(String clean, String build, String exec) {
    /** The CLI's defaults: {@code *} for every step. */
    public static BatchOptions defaults() {
        return new BatchOptions("*", "*", "*");
    }
}
