package ai.backend.client.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The typed GraphQL families of the Python SDK (§4.7): {@code session.keyPairs()}, {@code resourcePolicies()},
 * {@code agents()}, {@code images()} are views of this class. Each call is one {@code POST /admin/graphql},
 * blocking up to the connect plus read timeout; refused mutations come back with {@code ok} false.
 */
public final class AdminFunctions {
    private final Admin admin;

    public AdminFunctions(Admin admin) {
        this.admin = admin;
    }

    private static <T> List<T> list(JsonNode array, Function<JsonNode, T> parse) {
        List<T> out = new ArrayList<>();
        for (JsonNode n : array) {
            out.add(parse.apply(n));
        }
        return out;
    }

    // ---- keypairs

    /** The caller's own keypair. */
    public KeyPairInfo keyPair() {
        return KeyPairInfo.fromJson(admin.query("query { keypair { " + KeyPairInfo.FIELDS + " } }").path("keypair"));
    }

    /** Keypairs, of one user when {@code userId} is given, active or not when {@code isActive} is given. */
    public List<KeyPairInfo> keyPairs(String userId, Boolean isActive) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("is_active", isActive);
        String doc;
        if (userId == null) {
            doc = "query($is_active: Boolean) { keypairs(is_active: $is_active) { " + KeyPairInfo.FIELDS + " } }";
        } else {
            vars.put("user_id", userId);
            doc = "query($user_id: String!, $is_active: Boolean) { keypairs(user_id: $user_id, is_active: $is_active) { "
                    + KeyPairInfo.FIELDS + " } }";
        }
        return list(admin.query(doc, vars).path("keypairs"), KeyPairInfo::fromJson);
    }

    /** Creates a keypair for {@code userId} (admins); the result's keypair carries the new keys. */
    public KeyPairCreation createKeyPair(String userId, boolean isActive, boolean isAdmin, String resourcePolicy, int rateLimit) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("is_active", isActive);
        input.put("is_admin", isAdmin);
        input.put("resource_policy", resourcePolicy);
        input.put("rate_limit", rateLimit);
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("user_id", userId);
        vars.put("input", input);
        JsonNode r = admin.query("mutation($user_id: String!, $input: KeyPairInput!) { create_keypair(user_id: $user_id,"
                + " props: $input) { ok msg keypair { access_key secret_key } } }", vars).path("create_keypair");
        return new KeyPairCreation(MutationResult.fromJson(r), r.path("keypair").isObject()
                ? KeyPairInfo.fromJson(r.get("keypair")) : null);
    }

    /** The outcome of {@link #createKeyPair}. */
    public record KeyPairCreation(MutationResult result, KeyPairInfo keyPair) {
    }

    /** Changes a keypair; null arguments are left unchanged. */
    public MutationResult updateKeyPair(String accessKey, Boolean isActive, Boolean isAdmin, String resourcePolicy, Integer rateLimit) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("is_active", isActive);
        input.put("is_admin", isAdmin);
        input.put("resource_policy", resourcePolicy);
        input.put("rate_limit", rateLimit);
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("access_key", accessKey);
        vars.put("input", input);
        return MutationResult.fromJson(admin.query("mutation($access_key: String!, $input: ModifyKeyPairInput!) {"
                + " modify_keypair(access_key: $access_key, props: $input) { ok msg } }", vars).path("modify_keypair"));
    }

    public MutationResult activateKeyPair(String accessKey) {
        return updateKeyPair(accessKey, true, null, null, null);
    }

    public MutationResult deactivateKeyPair(String accessKey) {
        return updateKeyPair(accessKey, false, null, null, null);
    }

    public MutationResult deleteKeyPair(String accessKey) {
        return MutationResult.fromJson(admin.query("mutation($access_key: String!) { delete_keypair(access_key: $access_key)"
                + " { ok msg } }", Map.of("access_key", accessKey)).path("delete_keypair"));
    }

    // ---- resource policies

    /** A policy by name, the caller's own when {@code name} is null; null when there is none. */
    public ResourcePolicyInfo resourcePolicy(String name) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("name", name);
        JsonNode n = admin.query("query($name: String) { keypair_resource_policy(name: $name) { "
                + ResourcePolicyInfo.FIELDS + " } }", vars).path("keypair_resource_policy");
        return n.isObject() && n.hasNonNull("name") ? ResourcePolicyInfo.fromJson(n) : null;
    }

    public List<ResourcePolicyInfo> resourcePolicies() {
        return list(admin.query("query { keypair_resource_policies { " + ResourcePolicyInfo.FIELDS + " } }")
                .path("keypair_resource_policies"), ResourcePolicyInfo::fromJson);
    }

    public MutationResult createResourcePolicy(String name, ResourcePolicySpec spec) {
        return policyMutation("create_keypair_resource_policy", "CreateKeyPairResourcePolicyInput", name, spec);
    }

    public MutationResult updateResourcePolicy(String name, ResourcePolicySpec spec) {
        return policyMutation("modify_keypair_resource_policy", "ModifyKeyPairResourcePolicyInput", name, spec);
    }

    public MutationResult deleteResourcePolicy(String name) {
        return MutationResult.fromJson(admin.query("mutation($name: String!) { delete_keypair_resource_policy(name: $name)"
                + " { ok msg } }", Map.of("name", name)).path("delete_keypair_resource_policy"));
    }

    private MutationResult policyMutation(String field, String inputType, String name, ResourcePolicySpec spec) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("name", name);
        vars.put("input", spec.toInput());
        return MutationResult.fromJson(admin.query("mutation($name: String!, $input: " + inputType + "!) { " + field
                + "(name: $name, props: $input) { ok msg } }", vars).path(field));
    }

    // ---- agents and images

    /** One page of agents with {@code status} (ALIVE by default in 19.03). */
    public Page<AgentInfo> agents(int limit, int offset, String status) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("limit", limit);
        vars.put("offset", offset);
        vars.put("status", status);
        JsonNode list = admin.query("query($limit: Int!, $offset: Int!, $status: String) { agent_list(limit: $limit,"
                + " offset: $offset, status: $status) { items { " + AgentInfo.FIELDS + " } total_count } }", vars)
                .path("agent_list");
        return new Page<>(list(list.path("items"), AgentInfo::fromJson), list.path("total_count").asInt());
    }

    /** Every agent with {@code status}, fetched page by page. */
    public List<AgentInfo> allAgents(String status) {
        List<AgentInfo> all = new ArrayList<>();
        for (int offset = 0; ; offset += 20) {
            Page<AgentInfo> page = agents(20, offset, status);
            all.addAll(page.items());
            if (page.items().isEmpty() || all.size() >= page.totalCount()) {
                return all;
            }
        }
    }

    public List<ImageInfo> images() {
        return list(admin.query("query { images { " + ImageInfo.FIELDS + " } }").path("images"), ImageInfo::fromJson);
    }

    /** {@code Image.rescanImages}: re-reads the image metadata of {@code registry} (every registry when null). */
    public MutationResult rescanImages(String registry) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("registry", registry);
        return MutationResult.fromJson(admin.query("mutation($registry: String) { rescan_images(registry:$registry)"
                + " { ok msg } }", vars).path("rescan_images"));
    }

    /** {@code Image.aliasImage}: points {@code alias} at the image reference {@code target} (not checked by 19.03). */
    public MutationResult aliasImage(String alias, String target) {
        return MutationResult.fromJson(admin.query("mutation($alias: String!, $target: String!) {"
                + " alias_image(alias: $alias, target: $target) { ok msg } }", Map.of("alias", alias, "target", target))
                .path("alias_image"));
    }

    /** {@code Image.dealiasImage}: removes {@code alias}. */
    public MutationResult dealiasImage(String alias) {
        return MutationResult.fromJson(admin.query("mutation($alias: String!) { dealias_image(alias: $alias) { ok msg } }",
                Map.of("alias", alias)).path("dealias_image"));
    }
}
