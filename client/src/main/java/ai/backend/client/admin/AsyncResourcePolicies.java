package ai.backend.client.admin;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Keypair resource policies. For an {@code AsyncSession} ({@code asyncSession.resourcePolicies()}): the calls of
 * {@link ResourcePolicies}, without blocking. Futures complete on an SDK thread, or fail with
 * {@link ai.backend.client.BackendAPIError} or {@link ai.backend.client.BackendClientError} (read timeout
 * included); cancelling one abandons the wait, not the request. Invalid arguments throw at once.
 */
public final class AsyncResourcePolicies {
    private final AsyncAdmin admin;

    public AsyncResourcePolicies(AsyncAdmin admin) {
        this.admin = admin;
    }

    /** A policy by name, the caller's own when {@code name} is null; null when there is no such policy. */
    public CompletableFuture<ResourcePolicyInfo> info(String name) {
        return info(name, ResourcePolicyCalls.DEFAULT_FIELDS);
    }

    public CompletableFuture<ResourcePolicyInfo> info(String name, List<String> fields) {
        return admin.run(ResourcePolicyCalls.info(name, fields));
    }

    /** Every policy an admin can see; for a user key, the policies of the caller's user. */
    public CompletableFuture<List<ResourcePolicyInfo>> list() {
        return list(ResourcePolicyCalls.DEFAULT_FIELDS);
    }

    public CompletableFuture<List<ResourcePolicyInfo>> list(List<String> fields) {
        return admin.run(ResourcePolicyCalls.list(fields));
    }

    /**
     * Creates a policy from a complete {@code spec} (start from {@link ResourcePolicySpec#defaults()}).
     *
     * @throws IllegalArgumentException when a setting other than the vfolder hosts is missing
     */
    public CompletableFuture<Creation<ResourcePolicyInfo>> create(String name, ResourcePolicySpec spec) {
        return create(name, spec, ResourcePolicyCalls.CREATED_FIELDS);
    }

    public CompletableFuture<Creation<ResourcePolicyInfo>> create(String name, ResourcePolicySpec spec, List<String> fields) {
        return admin.run(ResourcePolicyCalls.create(name, spec, fields));
    }

    /** Changes the settings of {@code spec} that are not null; keys using the policy see it on their next request. */
    public CompletableFuture<MutationResult> update(String name, ResourcePolicySpec spec) {
        return admin.run(ResourcePolicyCalls.update(name, spec));
    }

    /** Deletes a policy; the manager refuses while a keypair uses it. */
    public CompletableFuture<MutationResult> delete(String name) {
        return admin.run(ResourcePolicyCalls.delete(name));
    }
}
