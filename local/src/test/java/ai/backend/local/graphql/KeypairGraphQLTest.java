package ai.backend.local.graphql;

import static ai.backend.local.graphql.GraphQLIntegrationTest.ISO;
import static ai.backend.local.graphql.GraphQLIntegrationTest.gql;
import static ai.backend.local.graphql.GraphQLIntegrationTest.gqlError;
import static org.assertj.core.api.Assertions.assertThat;

import ai.backend.client.kernel.CreateKernelRequest;
import ai.backend.client.kernel.Kernel;
import ai.backend.local.store.Keypair;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keypair and resource-policy queries (§7.2) with the documents of the 19.03 client (§7.3). */
class KeypairGraphQLTest extends ServerFixture {
    static final String KP_FIELDS = "user_id access_key secret_key is_active is_admin created_at last_used"
            + " resource_policy rate_limit concurrency_limit concurrency_used";
    /** {@code helper.is_admin} / {@code KeyPair(ak).info()} with the default fields. */
    static final String IS_ADMIN = "query {  keypair {    access_key secret_key is_active is_admin  }}";
    /** {@code backend.ai admin keypair}. */
    static final String KEYPAIR_CLI = "query {  keypair {    " + KP_FIELDS + "  }}";
    static final String KEYPAIRS = "query($is_active: Boolean) {  keypairs(is_active: $is_active) {    " + KP_FIELDS
            + "  }}";
    static final String KEYPAIRS_OF_USER = "query($user_id: String!, $is_active: Boolean) {  keypairs(user_id: $user_id,"
            + " is_active: $is_active) {    " + KP_FIELDS + "  }}";
    static final String RP_FIELDS = "name created_at total_resource_slots max_concurrent_sessions max_vfolder_count"
            + " max_vfolder_size idle_timeout default_for_unspecified max_containers_per_session allowed_vfolder_hosts";
    static final String POLICIES = "query {  keypair_resource_policies {    " + RP_FIELDS + "  }}";
    static final String POLICY = "query($name: String) {  keypair_resource_policy(name: $name) {    " + RP_FIELDS + "  }}";

    static List<String> keys(JsonNode object) {
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            keys.add(it.next());
        }
        return keys;
    }

    static List<String> accessKeys(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(k -> out.add(k.get("access_key").asText()));
        return out;
    }

    @Test
    void ownKeypairAsTheClientAsksForIt() {
        JsonNode mine = gql(user, IS_ADMIN).get("keypair");
        assertThat(keys(mine)).containsExactly("access_key", "secret_key", "is_active", "is_admin");
        assertThat(mine.get("access_key").asText()).isEqualTo(userKey.accessKey());
        assertThat(mine.get("secret_key").asText()).isEqualTo(userKey.secretKey());
        assertThat(mine.get("is_active").asBoolean()).isTrue();
        assertThat(mine.get("is_admin").asBoolean()).isFalse();
        assertThat(gql(admin, IS_ADMIN).get("keypair").get("is_admin").asBoolean()).isTrue();

        Kernel k = user.kernels().getOrCreate(CreateKernelRequest.builder("python").clientToken("kp-" + System.nanoTime())
                .build());
        server.recordSessionPids();
        try {
            JsonNode cli = gql(user, KEYPAIR_CLI).get("keypair");
            assertThat(String.join(" ", keys(cli))).isEqualTo(KP_FIELDS);
            assertThat(cli.get("user_id").asText()).isEqualTo(userKey.userId());
            assertThat(cli.get("created_at").asText()).matches(ISO);
            assertThat(cli.get("last_used").asText()).as("this request counts").matches(ISO);
            assertThat(cli.get("resource_policy").asText()).isEqualTo("default");
            assertThat(cli.get("rate_limit").asInt()).isEqualTo(userKey.rateLimit());
            assertThat(cli.get("concurrency_limit").asInt()).isZero();
            assertThat(cli.get("concurrency_used").asInt()).isEqualTo(1);
            int before = gql(user, "{ keypair { num_queries } }").get("keypair").get("num_queries").asInt();
            assertThat(before).isPositive();
            assertThat(gql(user, "{ keypair { num_queries } }").get("keypair").get("num_queries").asInt())
                    .isEqualTo(before + 1);
            // the admin sees the user's live session count too
            JsonNode viaAdmin = gql(admin, "query($ak: String) { keypair(access_key: $ak) { access_key concurrency_used } }",
                    "ak", userKey.accessKey()).get("keypair");
            assertThat(viaAdmin.get("access_key").asText()).isEqualTo(userKey.accessKey());
            assertThat(viaAdmin.get("concurrency_used").asInt()).isEqualTo(1);
            // the key's sessions
            JsonNode own = gql(user, "{ keypair { compute_sessions { sess_id status access_key } } }").get("keypair")
                    .get("compute_sessions");
            assertThat(own).hasSize(1);
            assertThat(own.get(0).get("sess_id").asText()).isEqualTo(k.id());
            assertThat(own.get(0).get("access_key").asText()).isEqualTo(userKey.accessKey());
            assertThat(gql(admin, "{ keypair { compute_sessions { sess_id } } }").get("keypair").get("compute_sessions"))
                    .isEmpty();
        } finally {
            k.destroy();
        }
        assertThat(gql(user, "{ keypair { concurrency_used } }").get("keypair").get("concurrency_used").asInt()).isZero();
        JsonNode after = gql(user, "{ keypair { all: compute_sessions { status } running: compute_sessions(status: "
                + "\"RUNNING\") { sess_id } } }").get("keypair");
        assertThat(after.get("all").get(0).get("status").asText()).isEqualTo("TERMINATED");
        assertThat(after.get("running")).isEmpty();
        BackendAPIErrorAssert.message(gqlError(user, "{ keypair { compute_sessions(status: \"FOO\") { sess_id } } }"),
                "'FOO'");
    }

    @Test
    void adminAndUserDifferences() {
        // admins: any key, or their own by default; an unknown key is null
        assertThat(gql(admin, "{ keypair { access_key } }").get("keypair").get("access_key").asText())
                .isEqualTo(adminKey.accessKey());
        assertThat(gql(admin, "{ keypair(access_key: \"AKIANOSUCHKEY\") { access_key } }").get("keypair").isNull()).isTrue();
        // users have no access_key argument
        BackendAPIErrorAssert.message(gqlError(user, "query($ak: String) { keypair(access_key: $ak) { access_key } }",
                "ak", adminKey.accessKey()), "Unknown argument \"access_key\" on field \"keypair\" of type \"QueryForUser\".");
        // users must name a user id in keypairs and see only their own user's keys
        BackendAPIErrorAssert.message(gqlError(user, KEYPAIRS, "is_active", null),
                "Field \"keypairs\" argument \"user_id\" of type \"String!\" is required but not provided.");
        assertThat(accessKeys(gql(user, KEYPAIRS_OF_USER, "user_id", adminKey.userId(), "is_active", null)
                .get("keypairs"))).containsExactly(userKey.accessKey());
        // unknown fields
        BackendAPIErrorAssert.message(gqlError(admin, "{ keypair { access_key foo } }"),
                "Cannot query field \"foo\" on type \"KeyPair\".");
        BackendAPIErrorAssert.message(gqlError(user, "{ keypair { bogus { name } } }"),
                "Cannot query field \"bogus\" on type \"KeyPair\".");
    }

    @Test
    void keypairListsAsTheCliSendsThem() throws Exception {
        Keypair other = Keypair.generate("other@test", false).withActive(false);
        server.server().database().insertKeypair(other);

        JsonNode all = gql(admin, KEYPAIRS, "is_active", null).get("keypairs");
        assertThat(accessKeys(all)).containsExactlyInAnyOrder(adminKey.accessKey(), userKey.accessKey(),
                other.accessKey());
        all.forEach(k -> assertThat(String.join(" ", keys(k))).isEqualTo(KP_FIELDS));
        assertThat(accessKeys(gql(admin, KEYPAIRS, "is_active", true).get("keypairs")))
                .containsExactlyInAnyOrder(adminKey.accessKey(), userKey.accessKey());
        assertThat(accessKeys(gql(admin, KEYPAIRS, "is_active", false).get("keypairs")))
                .containsExactly(other.accessKey());
        JsonNode inactive = gql(admin, KEYPAIRS, "is_active", false).get("keypairs").get(0);
        assertThat(inactive.get("is_active").asBoolean()).isFalse();
        assertThat(inactive.get("last_used").isNull()).isTrue();
        assertThat(inactive.get("user_id").asText()).isEqualTo("other@test");

        assertThat(accessKeys(gql(admin, KEYPAIRS_OF_USER, "user_id", "other@test", "is_active", null).get("keypairs")))
                .containsExactly(other.accessKey());
        assertThat(gql(admin, KEYPAIRS_OF_USER, "user_id", "other@test", "is_active", true).get("keypairs")).isEmpty();
        assertThat(gql(admin, KEYPAIRS_OF_USER, "user_id", "nobody", "is_active", null).get("keypairs")).isEmpty();
        // an integer user id declared as Int! fails validation (§9 client issue 6)
        BackendAPIErrorAssert.messageContains(gqlError(admin, KEYPAIRS_OF_USER.replace("$user_id: String!",
                "$user_id: Int!"), "user_id", 5, "is_active", null), "Variable \"$user_id\" of type \"Int!\"");
    }

    @Test
    void resourcePolicies() throws Exception {
        JsonNode list = gql(admin, POLICIES).get("keypair_resource_policies");
        assertThat(list).hasSize(1);
        JsonNode p = list.get(0);
        assertThat(String.join(" ", keys(p))).isEqualTo(RP_FIELDS);
        assertThat(p.get("name").asText()).isEqualTo("default");
        assertThat(p.get("created_at").asText()).matches(ISO);
        assertThat(p.get("total_resource_slots").asText()).isEqualTo("{}");
        assertThat(p.get("max_concurrent_sessions").asInt()).isEqualTo(30);
        assertThat(p.get("max_vfolder_count").asInt()).isEqualTo(10);
        assertThat(p.get("max_vfolder_size").asLong()).isZero();
        assertThat(p.get("idle_timeout").asLong()).isZero();
        assertThat(p.get("default_for_unspecified").asText()).isEqualTo("UNLIMITED");
        assertThat(p.get("max_containers_per_session").asInt()).isEqualTo(1);
        assertThat(p.get("allowed_vfolder_hosts").toString()).isEqualTo("[\"local\"]");

        // a second policy used by nobody of the user's
        try (var ps = server.server().database().connection().prepareStatement("INSERT INTO keypair_resource_policies"
                + " (name, created_at, default_for_unspecified, total_resource_slots, max_concurrent_sessions,"
                + " max_containers_per_session, max_vfolder_count, max_vfolder_size, allowed_vfolder_hosts)"
                + " VALUES ('gold', datetime('now'), 'LIMITED', '{\"cpu\": \"4\", \"mem\": \"1073741824\"}', 5, 1, 3, 1024,"
                + " '[\"local\", \"nfs\"]')")) {
            synchronized (server.server().database()) {
                ps.executeUpdate();
            }
        }
        assertThat(gql(admin, POLICIES).get("keypair_resource_policies")).hasSize(2);
        JsonNode gold = gql(admin, POLICY, "name", "gold").get("keypair_resource_policy");
        assertThat(gold.get("total_resource_slots").asText()).isEqualTo("{\"cpu\": \"4\", \"mem\": \"1073741824\"}");
        assertThat(gold.get("allowed_vfolder_hosts").toString()).isEqualTo("[\"local\",\"nfs\"]");
        assertThat(gold.get("default_for_unspecified").asText()).isEqualTo("LIMITED");
        assertThat(gql(admin, POLICY, "name", null).get("keypair_resource_policy").get("name").asText())
                .isEqualTo("default");
        assertThat(gql(admin, POLICY, "name", "nope").get("keypair_resource_policy").isNull()).isTrue();

        // users: only the policies of their user's keys
        assertThat(gql(user, POLICIES).get("keypair_resource_policies")).hasSize(1);
        assertThat(gql(user, POLICY, "name", null).get("keypair_resource_policy").get("name").asText())
                .isEqualTo("default");
        assertThat(gql(user, POLICY, "name", "default").get("keypair_resource_policy").get("name").asText())
                .isEqualTo("default");
        assertThat(gql(user, POLICY, "name", "gold").get("keypair_resource_policy").isNull()).isTrue();
        BackendAPIErrorAssert.message(gqlError(user, "{ keypair_resource_policy { name bogus } }"),
                "Cannot query field \"bogus\" on type \"KeyPairResourcePolicy\".");
    }
}
