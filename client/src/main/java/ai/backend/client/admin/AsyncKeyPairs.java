package ai.backend.client.admin;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Keypairs: who may call the API, with which rights and policy. For an {@code AsyncSession} ({@code asyncSession.keyPairs()}): the calls of
 * {@link KeyPairs}, without blocking. Futures complete on an SDK thread, or fail with
 * {@link ai.backend.client.BackendAPIError} or {@link ai.backend.client.BackendClientError} (read timeout
 * included); cancelling one abandons the wait, not the request. Invalid arguments throw at once.
 */
public final class AsyncKeyPairs {
    private final AsyncAdmin admin;

    public AsyncKeyPairs(AsyncAdmin admin) {
        this.admin = admin;
    }

    /** The caller's own keypair ({@code KeyPair.info}: 19.03 always answers with the caller's). */
    public CompletableFuture<KeyPairInfo> info() {
        return info(KeyPairCalls.DEFAULT_FIELDS);
    }

    public CompletableFuture<KeyPairInfo> info(List<String> fields) {
        return admin.run(KeyPairCalls.info(fields));
    }

    /** Whether the caller's key is an admin key ({@code helper.is_admin}, with its field selection). */
    public CompletableFuture<Boolean> isAdmin() {
        return info(KeyPairCalls.IS_ADMIN_FIELDS).thenApply(KeyPairInfo::isAdmin);
    }

    /** Keypairs, of one user when {@code userId} is not null, filtered by {@code isActive} when not null. */
    public CompletableFuture<List<KeyPairInfo>> list(String userId, Boolean isActive) {
        return list(userId, isActive, KeyPairCalls.DEFAULT_FIELDS);
    }

    public CompletableFuture<List<KeyPairInfo>> list(String userId, Boolean isActive, List<String> fields) {
        return admin.run(KeyPairCalls.list(userId, isActive, fields));
    }

    /** Creates a keypair for {@code userId}; the created keypair carries the new access and secret keys. */
    public CompletableFuture<Creation<KeyPairInfo>> create(String userId, KeyPairProps props) {
        return create(userId, props, KeyPairCalls.CREATED_FIELDS);
    }

    public CompletableFuture<Creation<KeyPairInfo>> create(String userId, KeyPairProps props, List<String> fields) {
        return admin.run(KeyPairCalls.create(userId, props, fields));
    }

    /** Changes the settings of {@code props} that are not null. */
    public CompletableFuture<MutationResult> update(String accessKey, KeyPairProps props) {
        return admin.run(KeyPairCalls.update(accessKey, props));
    }

    /** Deletes a keypair; the manager refuses to delete the key making the request. */
    public CompletableFuture<MutationResult> delete(String accessKey) {
        return admin.run(KeyPairCalls.delete(accessKey));
    }

    public CompletableFuture<MutationResult> activate(String accessKey) {
        return update(accessKey, KeyPairProps.builder().active(true).build());
    }

    /** Deactivates a keypair: its next request is refused with 401. */
    public CompletableFuture<MutationResult> deactivate(String accessKey) {
        return update(accessKey, KeyPairProps.builder().active(false).build());
    }
}
