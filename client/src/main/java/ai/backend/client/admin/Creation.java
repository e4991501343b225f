package ai.backend.client.admin;

/**
 * What a creating mutation answers: whether it worked, why not, and the created object as selected (null
 * when the mutation failed).
 */
public record Creation<T>(MutationResult result, T created) {
    public boolean ok() {
        return result.ok();
    }
}
