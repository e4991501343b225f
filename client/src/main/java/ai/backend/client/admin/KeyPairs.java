package ai.backend.client.admin;

import java.util.List;

/**
 * The KeyPair family of the Python SDK (§4.7): {@code session.keyPairs()}. Each call is one
 * {@code POST /admin/graphql}, blocking up to the connect plus read timeout. Mutations are for admin keys; a
 * refused one comes back with {@code ok} false and the manager's message, a user key gets a
 * {@link ai.backend.client.BackendAPIError} ({@code graphql-error}). {@code fields} arguments select what is
 * fetched (Python's {@code fields=}); unselected record components are null, false or -1.
 */
public final class KeyPairs {
    private final Admin admin;

    public KeyPairs(Admin admin) {
        this.admin = admin;
    }

    /** The caller's own keypair ({@code KeyPair.info}: 19.03 always answers with the caller's). */
    public KeyPairInfo info() {
        return info(KeyPairCalls.DEFAULT_FIELDS);
    }

    public KeyPairInfo info(List<String> fields) {
        return admin.run(KeyPairCalls.info(fields));
    }

    /** Whether the caller's key is an admin key ({@code helper.is_admin}, with its field selection). */
    public boolean isAdmin() {
        return info(KeyPairCalls.IS_ADMIN_FIELDS).isAdmin();
    }

    /** Keypairs, of one user when {@code userId} is not null, filtered by {@code isActive} when not null. */
    public List<KeyPairInfo> list(String userId, Boolean isActive) {
        return list(userId, isActive, KeyPairCalls.DEFAULT_FIELDS);
    }

    public List<KeyPairInfo> list(String userId, Boolean isActive, List<String> fields) {
        return admin.run(KeyPairCalls.list(userId, isActive, fields));
    }

    /** Creates a keypair for {@code userId}; the created keypair carries the new access and secret keys. */
    public Creation<KeyPairInfo> create(String userId, KeyPairProps props) {
        return create(userId, props, KeyPairCalls.CREATED_FIELDS);
    }

    public Creation<KeyPairInfo> create(String userId, KeyPairProps props, List<String> fields) {
        return admin.run(KeyPairCalls.create(userId, props, fields));
    }

    /** Changes the settings of {@code props} that are not null. */
    public MutationResult update(String accessKey, KeyPairProps props) {
        return admin.run(KeyPairCalls.update(accessKey, props));
    }

    /** Deletes a keypair; the manager refuses to delete the key making the request. */
    public MutationResult delete(String accessKey) {
        return admin.run(KeyPairCalls.delete(accessKey));
    }

    public MutationResult activate(String accessKey) {
        return update(accessKey, KeyPairProps.builder().active(true).build());
    }

    /** Deactivates a keypair: its next request is refused with 401. */
    public MutationResult deactivate(String accessKey) {
        return update(accessKey, KeyPairProps.builder().active(false).build());
    }
}
