package ai.backend.local.graphql;

import static ai.backend.local.graphql.GraphQLIntegrationTest.gql;
import static ai.backend.local.graphql.GraphQLIntegrationTest.gqlError;
import static ai.backend.local.graphql.KeypairGraphQLTest.POLICIES;
import static ai.backend.local.graphql.KeypairGraphQLTest.POLICY;
import static ai.backend.local.graphql.KeypairGraphQLTest.keys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.backend.client.BackendAPIError;
import ai.backend.client.Session;
import ai.backend.client.kernel.CreateKernelRequest;
import ai.backend.local.store.Keypair;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The admin mutations (§7.2) with the documents of the 19.03 client (§7.3). */
class MutationGraphQLTest extends ServerFixture {
    static final String CREATE = "mutation($user_id: String!, $input: KeyPairInput!) {  create_keypair(user_id: $user_id,"
            + " props: $input) {    ok msg keypair { access_key secret_key }  }}";
    static final String MODIFY = "mutation($access_key: String!, $input: ModifyKeyPairInput!) {  modify_keypair("
            + "access_key: $access_key, props: $input) {    ok msg  }}";
    static final String DELETE = "mutation($access_key: String!) {  delete_keypair(access_key: $access_key) {    ok msg  }}";
    static final String RP_CREATE = "mutation($name: String!, $input: CreateKeyPairResourcePolicyInput!) {"
            + "  create_keypair_resource_policy(name: $name, props: $input) {    ok msg resource_policy { name }  }}";
    static final String RP_MODIFY = "mutation($name: String!, $input: ModifyKeyPairResourcePolicyInput!) {"
            + "  modify_keypair_resource_policy(name: $name, props: $input) {    ok msg  }}";
    static final String RP_DELETE = "mutation($name: String!) {  delete_keypair_resource_policy(name: $name) {    ok msg  }}";
    static final String NOT_CONFIGURED = "[{\"message\":\"Schema is not configured for mutations\"}]";

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static void assertOk(JsonNode r) {
        assertThat(keys(r)).startsWith("ok", "msg");
        assertThat(r.get("msg").asText()).isEqualTo("success");
        assertThat(r.get("ok").asBoolean()).isTrue();
    }

    private static void assertRefused(JsonNode r, String msg) {
        assertThat(r.get("ok").asBoolean()).isFalse();
        assertThat(r.get("msg").asText()).contains(msg);
    }

    private JsonNode keypair(String ak) {
        return gql(admin, "query($ak: String) { keypair(access_key: $ak) { user_id access_key secret_key is_active is_admin"
                + " resource_policy rate_limit } }", "ak", ak).get("keypair");
    }

    private int keypairCount() {
        return gql(admin, "query($is_active: Boolean) { keypairs(is_active: $is_active) { access_key } }", "is_active",
                null).get("keypairs").size();
    }

    @Test
    void keypairLifecycleAsTheSdkSendsIt() {
        JsonNode created = gql(admin, CREATE, "user_id", "new@test", "input", map("is_active", true, "is_admin", false,
                "resource_policy", "default", "rate_limit", 5000)).get("create_keypair");
        assertOk(created);
        String ak = created.get("keypair").get("access_key").asText();
        String sk = created.get("keypair").get("secret_key").asText();
        assertThat(ak).matches("AKIA[A-Z2-7]{16}");
        assertThat(sk).hasSize(40);
        JsonNode stored = keypair(ak);
        assertThat(stored.get("user_id").asText()).isEqualTo("new@test");
        assertThat(stored.get("secret_key").asText()).isEqualTo(sk);
        assertThat(stored.get("is_active").asBoolean()).isTrue();
        assertThat(stored.get("is_admin").asBoolean()).isFalse();
        assertThat(stored.get("rate_limit").asInt()).isEqualTo(5000);

        // the new key works at once
        Keypair k = new Keypair(ak, sk, "new@test", true, false, "default", 5000);
        try (Session fresh = new Session(server.config(k))) {
            assertThat(gql(fresh, "{ keypair { access_key } }").get("keypair").get("access_key").asText()).isEqualTo(ak);

            // deactivate as KeyPair.deactivate does (nulls are unchanged), and the key stops working
            assertOk(gql(admin, MODIFY, "access_key", ak, "input", map("is_active", false, "is_admin", null,
                    "resource_policy", null, "rate_limit", null)).get("modify_keypair"));
            stored = keypair(ak);
            assertThat(stored.get("is_active").asBoolean()).isFalse();
            assertThat(stored.get("rate_limit").asInt()).isEqualTo(5000);
            assertThatThrownBy(() -> gql(fresh, "{ keypair { access_key } }")).isInstanceOf(BackendAPIError.class);
        }
        assertOk(gql(admin, MODIFY, "access_key", ak, "input", map("is_active", true, "is_admin", true,
                "resource_policy", "default", "rate_limit", 7, "secret_key", "s".repeat(40))).get("modify_keypair"));
        stored = keypair(ak);
        assertThat(stored.get("is_admin").asBoolean()).isTrue();
        assertThat(stored.get("rate_limit").asInt()).isEqualTo(7);
        assertThat(stored.get("secret_key").asText()).isEqualTo("s".repeat(40));

        // refused modifications leave the key as it was
        assertRefused(gql(admin, MODIFY, "access_key", "AKIANOSUCHKEY", "input", map("is_active", false))
                .get("modify_keypair"), "no such keypair");
        assertRefused(gql(admin, MODIFY, "access_key", ak, "input", map("resource_policy", "nope", "rate_limit", 1))
                .get("modify_keypair"), "integrity error");
        assertThat(keypair(ak)).isEqualTo(stored);

        // delete
        int before = keypairCount();
        assertOk(gql(admin, DELETE, "access_key", ak).get("delete_keypair"));
        assertThat(keypair(ak).isNull()).isTrue();
        assertThat(keypairCount()).isEqualTo(before - 1);
        assertRefused(gql(admin, DELETE, "access_key", ak).get("delete_keypair"), "no such keypair");
    }

    @Test
    void createKeypairVariantsAndRefusals() {
        // given keys, omitted flags become false
        JsonNode r = gql(admin, "mutation($input: KeyPairInput!) { create_keypair(user_id: \"u2\", props: $input) {"
                + " ok msg keypair { access_key secret_key is_active is_admin user_id resource_policy } } }",
                "input", map("access_key", "AKIAGIVEN0000000TEST", "secret_key", "x".repeat(40),
                        "resource_policy", "default", "rate_limit", 10)).get("create_keypair");
        assertOk(r);
        assertThat(r.get("keypair").get("access_key").asText()).isEqualTo("AKIAGIVEN0000000TEST");
        assertThat(r.get("keypair").get("secret_key").asText()).isEqualTo("x".repeat(40));
        assertThat(r.get("keypair").get("is_active").asBoolean()).isFalse();
        assertThat(r.get("keypair").get("is_admin").asBoolean()).isFalse();
        assertThat(r.get("keypair").get("user_id").asText()).isEqualTo("u2");

        int count = keypairCount();
        // a duplicate access key and an unknown policy: ok false, no keypair, nothing stored
        r = gql(admin, CREATE, "user_id", "u3", "input", map("access_key", "AKIAGIVEN0000000TEST",
                "resource_policy", "default", "rate_limit", 10)).get("create_keypair");
        assertRefused(r, "integrity error");
        assertThat(r.get("keypair").isNull()).isTrue();
        r = gql(admin, CREATE, "user_id", "u3", "input", map("resource_policy", "nope", "rate_limit", 10))
                .get("create_keypair");
        assertRefused(r, "integrity error");
        assertThat(keypairCount()).isEqualTo(count);
        assertThat(keypair("AKIAGIVEN0000000TEST").get("user_id").asText()).isEqualTo("u2");

        // required input fields
        BackendAPIErrorAssert.messageContains(gqlError(admin, CREATE, "user_id", "u3", "input", map("rate_limit", 1)),
                "resource_policy");
        // an integer user id declared as Int! (§9 client issue 6)
        gqlError(admin, CREATE.replace("$user_id: String!", "$user_id: Int!"), "user_id", 5, "input",
                map("resource_policy", "default", "rate_limit", 1));
        assertThat(keypairCount()).isEqualTo(count);

        // the requester's own keypair cannot be deleted
        assertRefused(gql(admin, DELETE, "access_key", adminKey.accessKey()).get("delete_keypair"),
                "cannot delete the keypair making this request");
        assertThat(keypair(adminKey.accessKey()).get("access_key").asText()).isEqualTo(adminKey.accessKey());
        assertThat(keypairCount()).isEqualTo(count);
    }

    @Test
    void usersCannotMutate() {
        int count = keypairCount();
        BackendAPIError e = gqlError(user, DELETE, "access_key", adminKey.accessKey());
        assertThat(e.data().get("data").toString()).isEqualTo(NOT_CONFIGURED);
        e = gqlError(user, RP_DELETE, "name", "default");
        assertThat(e.data().get("data").toString()).isEqualTo(NOT_CONFIGURED);
        // the user schema does not know the input types
        e = gqlError(user, CREATE, "user_id", "x", "input", map("resource_policy", "default", "rate_limit", 1));
        assertThat(e.data().get("data").get(0).get("message").asText()).isEqualTo("Unknown type \"KeyPairInput\". Perhaps you meant \"KeyPair\"?");
        assertThat(keypairCount()).isEqualTo(count);
        assertThat(gql(admin, POLICIES).get("keypair_resource_policies")).hasSize(1);
        // admins: mutations that do not exist are unknown fields
        BackendAPIErrorAssert.message(gqlError(admin, "mutation { bogus_mutation { ok } }"),
                "Cannot query field \"bogus_mutation\" on type \"MutationForAdmin\".");
        BackendAPIErrorAssert.messageContains(gqlError(admin, "mutation { delete_keypair(access_key: \"x\") { ok nope } }"),
                "Cannot query field \"nope\" on type \"DeleteKeyPair\".");
    }

    private static Map<String, Object> policyInput(String slots) {
        return map("default_for_unspecified", "LIMITED", "total_resource_slots", slots, "max_concurrent_sessions", 2,
                "max_containers_per_session", 1, "max_vfolder_count", 3, "max_vfolder_size", 4096, "idle_timeout", 600,
                "allowed_vfolder_hosts", List.of("local"));
    }

    @Test
    void resourcePolicyLifecycleAsTheSdkSendsIt() {
        JsonNode r = gql(admin, RP_CREATE, "name", "silver", "input", policyInput("{}"))
                .get("create_keypair_resource_policy");
        assertOk(r);
        assertThat(r.get("resource_policy").get("name").asText()).isEqualTo("silver");
        JsonNode p = gql(admin, POLICY, "name", "silver").get("keypair_resource_policy");
        assertThat(p.get("default_for_unspecified").asText()).isEqualTo("LIMITED");
        assertThat(p.get("total_resource_slots").asText()).isEqualTo("{}");
        assertThat(p.get("max_concurrent_sessions").asInt()).isEqualTo(2);
        assertThat(p.get("max_vfolder_count").asInt()).isEqualTo(3);
        assertThat(p.get("max_vfolder_size").asLong()).isEqualTo(4096);
        assertThat(p.get("allowed_vfolder_hosts").toString()).isEqualTo("[\"local\"]");
        assertThat(gql(admin, POLICIES).get("keypair_resource_policies")).hasSize(2);

        // a duplicate name: ok false, resource_policy null
        r = gql(admin, RP_CREATE, "name", "silver", "input", policyInput("{\"cpu\": \"1\"}"))
                .get("create_keypair_resource_policy");
        assertRefused(r, "integrity error");
        assertThat(r.get("resource_policy").isNull()).isTrue();
        assertThat(gql(admin, POLICY, "name", "silver").get("keypair_resource_policy")).isEqualTo(p);

        // the transcript's invalid slot value is a graphql-error, and nothing changes
        Map<String, Object> bad = policyInput("{\"cpu\": \"count\"}");
        bad.put("max_concurrent_sessions", 9);
        BackendAPIError e = gqlError(admin, RP_MODIFY, "name", "silver", "input", bad);
        JsonNode error = e.data().get("data").get(0);
        assertThat(error.get("message").asText()).isEqualTo("('Cannot convert to decimal', 'count')");
        assertThat(error.get("locations").toString()).as("as in the transcript").isEqualTo("[{\"line\":1,\"column\":72}]");
        assertThat(error.get("path").toString()).isEqualTo("[\"modify_keypair_resource_policy\"]");
        assertThat(gql(admin, POLICY, "name", "silver").get("keypair_resource_policy")).isEqualTo(p);
        e = gqlError(admin, RP_CREATE, "name", "bronze", "input", policyInput("{\"cpu\": \"count\"}"));
        BackendAPIErrorAssert.message(e, "('Cannot convert to decimal', 'count')");
        // text that is not JSON, a slot object that is no object, an unknown default
        gqlError(admin, RP_CREATE, "name", "bronze", "input", policyInput("{not json"));
        BackendAPIErrorAssert.message(gqlError(admin, RP_CREATE, "name", "bronze", "input", policyInput("[1]")),
                "'list' object has no attribute 'items'");
        Map<String, Object> foo = policyInput("{}");
        foo.put("default_for_unspecified", "FOO");
        BackendAPIErrorAssert.message(gqlError(admin, RP_CREATE, "name", "bronze", "input", foo), "'FOO'");
        assertThat(gql(admin, POLICY, "name", "bronze").get("keypair_resource_policy").isNull()).isTrue();

        // modify: units and nulls
        Map<String, Object> input = map("default_for_unspecified", null, "total_resource_slots",
                "{\"cpu\": \"2\", \"mem\": \"1g\"}", "max_concurrent_sessions", 5, "max_containers_per_session", null,
                "max_vfolder_count", null, "max_vfolder_size", null, "idle_timeout", null,
                "allowed_vfolder_hosts", List.of("local", "nfs"));
        assertOk(gql(admin, RP_MODIFY, "name", "silver", "input", input).get("modify_keypair_resource_policy"));
        JsonNode q = gql(admin, POLICY, "name", "silver").get("keypair_resource_policy");
        assertThat(q.get("total_resource_slots").asText()).isEqualTo("{\"cpu\": \"2\", \"mem\": \"1073741824\"}");
        assertThat(q.get("max_concurrent_sessions").asInt()).isEqualTo(5);
        assertThat(q.get("max_vfolder_count").asInt()).isEqualTo(3);
        assertThat(q.get("default_for_unspecified").asText()).isEqualTo("LIMITED");
        assertThat(q.get("allowed_vfolder_hosts").toString()).isEqualTo("[\"local\",\"nfs\"]");
        assertRefused(gql(admin, RP_MODIFY, "name", "nope", "input", map("max_concurrent_sessions", 1))
                .get("modify_keypair_resource_policy"), "no such keypair resource policy");

        // a policy in use cannot be deleted
        assertOk(gql(admin, MODIFY, "access_key", userKey.accessKey(), "input", map("resource_policy", "silver"))
                .get("modify_keypair"));
        assertRefused(gql(admin, RP_DELETE, "name", "silver").get("delete_keypair_resource_policy"), "integrity error");
        assertRefused(gql(admin, RP_DELETE, "name", "default").get("delete_keypair_resource_policy"), "integrity error");
        assertThat(gql(admin, POLICIES).get("keypair_resource_policies")).hasSize(2);
        // the user now sees their new policy
        assertThat(gql(user, POLICY, "name", null).get("keypair_resource_policy").get("name").asText())
                .isEqualTo("silver");
        assertOk(gql(admin, MODIFY, "access_key", userKey.accessKey(), "input", map("resource_policy", "default"))
                .get("modify_keypair"));
        assertOk(gql(admin, RP_DELETE, "name", "silver").get("delete_keypair_resource_policy"));
        assertThat(gql(admin, POLICY, "name", "silver").get("keypair_resource_policy").isNull()).isTrue();
        assertRefused(gql(admin, RP_DELETE, "name", "silver").get("delete_keypair_resource_policy"),
                "no such keypair resource policy");
    }

    @Test
    void policyChangesTakeEffectAtOnce() {
        // a quota smaller than the python image's minimum (cpu 0.01) refuses the user's sessions
        assertOk(gql(admin, RP_MODIFY, "name", "default", "input", map("total_resource_slots",
                "{\"cpu\": \"0.001\", \"mem\": \"1g\"}")).get("modify_keypair_resource_policy"));
        assertThatThrownBy(() -> user.kernels().getOrCreate(CreateKernelRequest.builder("python")
                .clientToken("quota-" + System.nanoTime()).build()))
                .isInstanceOfSatisfying(BackendAPIError.class, err -> assertThat(err.title()).contains("quota"));
        server.recordSessionPids();
    }
}
