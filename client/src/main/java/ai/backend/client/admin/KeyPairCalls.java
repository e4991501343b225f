package ai.backend.client.admin;

import static ai.backend.client.admin.GraphQLCall.vars;

import java.util.List;
import java.util.Map;

/** The GraphQL documents of the KeyPair family (protocol §7.3), shared by {@link KeyPairs} and {@link AsyncKeyPairs}. */
final class KeyPairCalls {
    /** The fields the typed calls select when none are given: everything 19.03 has. */
    static final List<String> DEFAULT_FIELDS = List.of("user_id", "access_key", "secret_key", "is_active", "is_admin",
            "created_at", "last_used", "resource_policy", "rate_limit", "concurrency_used", "num_queries");
    static final List<String> CREATED_FIELDS = List.of("access_key", "secret_key");
    /** What 19.03's {@code helper.is_admin} selects (the KeyPair defaults). */
    static final List<String> IS_ADMIN_FIELDS = List.of("access_key", "secret_key", "is_active", "is_admin");

    private KeyPairCalls() {
    }

    static GraphQLCall<KeyPairInfo> info(List<String> fields) {
        return new GraphQLCall<>("query { keypair { " + GraphQLCall.selection(fields) + " } }", null,
                d -> GraphQLCall.object(d, "keypair", KeyPairInfo::fromJson));
    }

    static GraphQLCall<List<KeyPairInfo>> list(String userId, Boolean isActive, List<String> fields) {
        String selection = GraphQLCall.selection(fields);
        if (userId == null) {
            return new GraphQLCall<>("query($is_active: Boolean) { keypairs(is_active: $is_active) { " + selection + " } }",
                    vars("is_active", isActive), d -> GraphQLCall.list(d.path("keypairs"), KeyPairInfo::fromJson));
        }
        return new GraphQLCall<>("query($user_id: String!, $is_active: Boolean) {"
                + " keypairs(user_id: $user_id, is_active: $is_active) { " + selection + " } }",
                vars("is_active", isActive, "user_id", userId), // the Python SDK's order
                d -> GraphQLCall.list(d.path("keypairs"), KeyPairInfo::fromJson));
    }

    static GraphQLCall<Creation<KeyPairInfo>> create(String userId, KeyPairProps props, List<String> fields) {
        Map<String, Object> variables = vars("user_id", requireText(userId, "user ID"), "input", props.toCreationInput());
        return new GraphQLCall<>("mutation($user_id: String!, $input: KeyPairInput!) { create_keypair(user_id: $user_id,"
                + " props: $input) { ok msg keypair { " + GraphQLCall.selection(fields) + " } } }", variables, d -> {
                    var r = d.path("create_keypair");
                    return new Creation<>(MutationResult.fromJson(r),
                            r.path("keypair").isObject() ? KeyPairInfo.fromJson(r.get("keypair")) : null);
                });
    }

    static GraphQLCall<MutationResult> update(String accessKey, KeyPairProps props) {
        return MutationResult.call("mutation($access_key: String!, $input: ModifyKeyPairInput!) {"
                + " modify_keypair(access_key: $access_key, props: $input) { ok msg } }",
                vars("access_key", requireText(accessKey, "access key"), "input", props.toInput()), "modify_keypair");
    }

    static GraphQLCall<MutationResult> delete(String accessKey) {
        return MutationResult.call("mutation($access_key: String!) { delete_keypair(access_key: $access_key) { ok msg } }",
                vars("access_key", requireText(accessKey, "access key")), "delete_keypair");
    }

    static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the " + what + " must not be empty");
        }
        return value;
    }
}
