package ai.backend.client.admin;

import static ai.backend.client.admin.GraphQLCall.vars;

import java.util.List;

/** The GraphQL documents of the ResourcePolicy family (protocol §7.3), shared by the blocking and async classes. */
final class ResourcePolicyCalls {
    static final List<String> DEFAULT_FIELDS = List.of("name", "created_at", "default_for_unspecified",
            "total_resource_slots", "max_concurrent_sessions", "max_containers_per_session", "max_vfolder_count",
            "max_vfolder_size", "idle_timeout", "allowed_vfolder_hosts");
    static final List<String> CREATED_FIELDS = List.of("name");

    private ResourcePolicyCalls() {
    }

    static GraphQLCall<ResourcePolicyInfo> info(String name, List<String> fields) {
        return new GraphQLCall<>("query($name: String) { keypair_resource_policy(name: $name) { "
                + GraphQLCall.selection(fields) + " } }", vars("name", name),
                d -> GraphQLCall.object(d, "keypair_resource_policy", ResourcePolicyInfo::fromJson));
    }

    static GraphQLCall<List<ResourcePolicyInfo>> list(List<String> fields) {
        return new GraphQLCall<>("query { keypair_resource_policies { " + GraphQLCall.selection(fields) + " } }", null,
                d -> GraphQLCall.list(d.path("keypair_resource_policies"), ResourcePolicyInfo::fromJson));
    }

    static GraphQLCall<Creation<ResourcePolicyInfo>> create(String name, ResourcePolicySpec spec, List<String> fields) {
        spec.requireComplete();
        return new GraphQLCall<>("mutation($name: String!, $input: CreateKeyPairResourcePolicyInput!) {"
                + " create_keypair_resource_policy(name: $name, props: $input) { ok msg resource_policy { "
                + GraphQLCall.selection(fields) + " } } }",
                vars("name", KeyPairCalls.requireText(name, "policy name"), "input", spec.toInput()), d -> {
                    var r = d.path("create_keypair_resource_policy");
                    return new Creation<>(MutationResult.fromJson(r), r.path("resource_policy").isObject()
                            ? ResourcePolicyInfo.fromJson(r.get("resource_policy")) : null);
                });
    }

    static GraphQLCall<MutationResult> update(String name, ResourcePolicySpec spec) {
        return MutationResult.call("mutation($name: String!, $input: ModifyKeyPairResourcePolicyInput!) {"
                + " modify_keypair_resource_policy(name: $name, props: $input) { ok msg } }",
                vars("name", KeyPairCalls.requireText(name, "policy name"), "input", spec.toInput()),
                "modify_keypair_resource_policy");
    }

    static GraphQLCall<MutationResult> delete(String name) {
        return MutationResult.call("mutation($name: String!) { delete_keypair_resource_policy(name: $name) { ok msg } }",
                vars("name", KeyPairCalls.requireText(name, "policy name")), "delete_keypair_resource_policy");
    }
}
