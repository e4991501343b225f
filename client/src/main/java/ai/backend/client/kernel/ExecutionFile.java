package ai.backend.client.kernel;

/** A file the run wrote under {@code .output}: its path relative to it and the URL it was uploaded to. */
public record ExecutionFile(String name, String url) {
}
