package ai.backend.client.admin;

import java.util.List;

/**
 * The ResourcePolicy family of the Python SDK (§4.7): {@code session.resourcePolicies()}. Each call is one
 * {@code POST /admin/graphql}, blocking up to the connect plus read timeout. Mutations are for admin keys; a
 * refused one comes back with {@code ok} false and the manager's message (deleting a policy still in use, for
 * one). {@code fields} arguments select what is fetched (Python's {@code fields=}).
 */
public final class ResourcePolicies {
    private final Admin admin;

    public ResourcePolicies(Admin admin) {
        this.admin = admin;
    }

    /** A policy by name, the caller's own when {@code name} is null; null when there is no such policy. */
    public ResourcePolicyInfo info(String name) {
        return info(name, ResourcePolicyCalls.DEFAULT_FIELDS);
    }

    public ResourcePolicyInfo info(String name, List<String> fields) {
        return admin.run(ResourcePolicyCalls.info(name, fields));
    }

    /** Every policy an admin can see; for a user key, the policies of the caller's user. */
    public List<ResourcePolicyInfo> list() {
        return list(ResourcePolicyCalls.DEFAULT_FIELDS);
    }

    public List<ResourcePolicyInfo> list(List<String> fields) {
        return admin.run(ResourcePolicyCalls.list(fields));
    }

    /**
     * Creates a policy from a complete {@code spec} (start from {@link ResourcePolicySpec#defaults()}).
     *
     * @throws IllegalArgumentException when a setting other than the vfolder hosts is missing
     */
    public Creation<ResourcePolicyInfo> create(String name, ResourcePolicySpec spec) {
        return create(name, spec, ResourcePolicyCalls.CREATED_FIELDS);
    }

    public Creation<ResourcePolicyInfo> create(String name, ResourcePolicySpec spec, List<String> fields) {
        return admin.run(ResourcePolicyCalls.create(name, spec, fields));
    }

    /** Changes the settings of {@code spec} that are not null; keys using the policy see it on their next request. */
    public MutationResult update(String name, ResourcePolicySpec spec) {
        return admin.run(ResourcePolicyCalls.update(name, spec));
    }

    /** Deletes a policy; the manager refuses while a keypair uses it. */
    public MutationResult delete(String name) {
        return admin.run(ResourcePolicyCalls.delete(name));
    }
}
