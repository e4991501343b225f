package ai.backend.local.graphql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.backend.client.BackendAPIError;
import ai.backend.client.Session;
import ai.backend.local.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A user key attempting every mutation of the admin schema, each as an admin would send it: every one gets the
 * 400 graphql-error of 19.03, and nothing changes. The list is checked against the admin schema's mutation type,
 * so a mutation added later without a refusal test fails here.
 */
class UserMutationsTest {
    private static final String SLOTS = "{\"cpu\": \"1\"}";
    private static final Map<String, Object> POLICY = policy();

    private static Map<String, Object> policy() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("default_for_unspecified", "UNLIMITED");
        p.put("total_resource_slots", SLOTS);
        p.put("max_concurrent_sessions", 1);
        p.put("max_containers_per_session", 1);
        p.put("idle_timeout", 1);
        p.put("max_vfolder_count", 1);
        p.put("max_vfolder_size", 1);
        p.put("allowed_vfolder_hosts", List.of("local"));
        return p;
    }

    /** Each mutation: field name, document, variables. */
    private static List<Object[]> mutations(String adminKey, String userKey) {
        List<Object[]> m = new ArrayList<>();
        m.add(new Object[] {"create_keypair", "mutation($u: String!, $i: KeyPairInput!) { create_keypair(user_id: $u, props: $i)"
                + " { ok msg } }", Map.of("u", "x@y", "i", Map.of("resource_policy", "default", "rate_limit", 1))});
        m.add(new Object[] {"modify_keypair", "mutation($a: String!, $i: ModifyKeyPairInput!) { modify_keypair(access_key: $a,"
                + " props: $i) { ok msg } }", Map.of("a", userKey, "i", Map.of("is_admin", true))});
        m.add(new Object[] {"delete_keypair", "mutation($a: String!) { delete_keypair(access_key: $a) { ok msg } }",
                Map.of("a", adminKey)});
        m.add(new Object[] {"create_keypair_resource_policy", "mutation($n: String!, $i: CreateKeyPairResourcePolicyInput!) {"
                + " create_keypair_resource_policy(name: $n, props: $i) { ok msg } }", Map.of("n", "p2", "i", POLICY)});
        m.add(new Object[] {"modify_keypair_resource_policy", "mutation($n: String!, $i: ModifyKeyPairResourcePolicyInput!) {"
                + " modify_keypair_resource_policy(name: $n, props: $i) { ok msg } }",
                Map.of("n", "default", "i", Map.of("max_concurrent_sessions", 99))});
        m.add(new Object[] {"delete_keypair_resource_policy", "mutation($n: String!) { delete_keypair_resource_policy(name: $n)"
                + " { ok msg } }", Map.of("n", "default")});
        m.add(new Object[] {"create_resource_preset", "mutation($n: String!, $i: CreateResourcePresetInput!) {"
                + " create_resource_preset(name: $n, props: $i) { ok msg } }", Map.of("n", "x", "i", Map.of("resource_slots", SLOTS))});
        m.add(new Object[] {"modify_resource_preset", "mutation($n: String!, $i: ModifyResourcePresetInput!) {"
                + " modify_resource_preset(name: $n, props: $i) { ok msg } }", Map.of("n", "small", "i", Map.of("resource_slots", SLOTS))});
        m.add(new Object[] {"delete_resource_preset", "mutation($n: String!) { delete_resource_preset(name: $n) { ok msg } }",
                Map.of("n", "small")});
        m.add(new Object[] {"rescan_images", "mutation($r: String) { rescan_images(registry: $r) { ok msg } }", Map.of()});
        m.add(new Object[] {"alias_image", "mutation($a: String!, $t: String!) { alias_image(alias: $a, target: $t) { ok msg } }",
                Map.of("a", "py", "t", "python")});
        m.add(new Object[] {"dealias_image", "mutation($a: String!) { dealias_image(alias: $a) { ok msg } }", Map.of("a", "py")});
        return m;
    }

    private static String state(Session admin) {
        return admin.admin().query("query { keypairs { access_key is_active is_admin resource_policy rate_limit }"
                + " keypair_resource_policies { name max_concurrent_sessions total_resource_slots }"
                + " resource_presets { name resource_slots } images { name aliases } }").toString();
    }

    @Test
    void aUserKeyIsRefusedEveryMutationAndNothingChanges() {
        try (TestServer server = TestServer.start(); Session admin = new Session(server.adminConfig());
             Session user = new Session(server.userConfig())) {
            List<Object[]> mutations = mutations(server.server().adminKeypair().accessKey(),
                    server.server().userKeypair().accessKey());
            List<String> schemaMutations = new ArrayList<>();
            admin.admin().query("query { __schema { mutationType { fields { name } } } }")
                    .at("/__schema/mutationType/fields").forEach(f -> schemaMutations.add(f.path("name").asText()));
            assertThat(mutations).extracting(m -> (String) m[0]).containsExactlyInAnyOrderElementsOf(schemaMutations);

            String before = state(admin);
            for (Object[] m : mutations) {
                @SuppressWarnings("unchecked")
                Map<String, Object> vars = (Map<String, Object>) m[2];
                assertThatThrownBy(() -> user.admin().query((String) m[1], vars)).as((String) m[0])
                        .isInstanceOfSatisfying(BackendAPIError.class, e -> {
                            assertThat(e.status()).isEqualTo(400);
                            assertThat(e.type()).isEqualTo("https://api.backend.ai/probs/graphql-error");
                            JsonNode first = e.data().path("data").path(0);
                            assertThat(first.path("message").asText()).as((String) m[0])
                                    .matches("Schema is not configured for mutations|Unknown type \".*Input\".*");
                        });
            }
            assertThat(state(admin)).isEqualTo(before);
        }
    }
}
