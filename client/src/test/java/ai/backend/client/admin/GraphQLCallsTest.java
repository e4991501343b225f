package ai.backend.client.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.backend.client.internal.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The typed families send the documents and variables of protocol §7.3 (whitespace aside, which the
 * reference itself does not fix) and read the answers under the right keys.
 */
class GraphQLCallsTest {
    private static String squash(String document) {
        return document.replaceAll("\\s+", " ").replaceAll("\\s*([(){}:,$!])\\s*", "$1").trim();
    }

    private static void assertDocument(GraphQLCall<?> call, String expected) {
        assertThat(squash(call.document())).isEqualTo(squash(expected));
    }

    private static String variables(GraphQLCall<?> call) {
        return call.variables() == null ? null : Json.pythonDumps(call.variables());
    }

    @Test
    void keyPairCallsMatchTheReferenceDocuments() {
        GraphQLCall<?> info = KeyPairCalls.info(List.of("access_key", "secret_key", "is_active", "is_admin"));
        assertDocument(info, "query { keypair { access_key secret_key is_active is_admin } }");
        assertThat(info.variables()).as("KeyPair.info omits the variables key").isNull();

        GraphQLCall<?> all = KeyPairCalls.list(null, true, List.of("access_key"));
        assertDocument(all, "query($is_active: Boolean) { keypairs(is_active: $is_active) { access_key } }");
        assertThat(variables(all)).isEqualTo("{\"is_active\": true}");
        GraphQLCall<?> ofUser = KeyPairCalls.list("u@x", null, List.of("access_key"));
        assertDocument(ofUser, "query($user_id: String!, $is_active: Boolean) { keypairs(user_id: $user_id,"
                + " is_active: $is_active) { access_key } }");
        assertThat(variables(ofUser)).isEqualTo("{\"is_active\": null, \"user_id\": \"u@x\"}");

        GraphQLCall<?> create = KeyPairCalls.create("u@x", KeyPairProps.builder().resourcePolicy("default").build(),
                KeyPairCalls.CREATED_FIELDS);
        assertDocument(create, "mutation($user_id: String!, $input: KeyPairInput!) { create_keypair(user_id: $user_id,"
                + " props: $input) { ok msg keypair { access_key secret_key } } }");
        assertThat(variables(create)).isEqualTo("{\"user_id\": \"u@x\", \"input\": {\"is_active\": true, \"is_admin\": false,"
                + " \"resource_policy\": \"default\", \"rate_limit\": 5000}}");

        GraphQLCall<?> deactivate = KeyPairCalls.update("AK", KeyPairProps.builder().active(false).build());
        assertDocument(deactivate, "mutation($access_key: String!, $input: ModifyKeyPairInput!) {"
                + " modify_keypair(access_key: $access_key, props: $input) { ok msg } }");
        assertThat(variables(deactivate)).as("unset props are sent as null")
                .isEqualTo("{\"access_key\": \"AK\", \"input\": {\"is_active\": false, \"is_admin\": null,"
                        + " \"resource_policy\": null, \"rate_limit\": null}}");
        assertDocument(KeyPairCalls.delete("AK"),
                "mutation($access_key: String!) { delete_keypair(access_key: $access_key) { ok msg } }");
    }

    @Test
    void resourcePolicyImageAgentAndSessionCallsMatchTheReferenceDocuments() {
        GraphQLCall<?> policies = ResourcePolicyCalls.list(List.of("name", "idle_timeout"));
        assertDocument(policies, "query { keypair_resource_policies { name idle_timeout } }");
        assertThat(policies.variables()).isNull();
        GraphQLCall<?> own = ResourcePolicyCalls.info(null, List.of("name"));
        assertDocument(own, "query($name: String) { keypair_resource_policy(name: $name) { name } }");
        assertThat(variables(own)).isEqualTo("{\"name\": null}");
        GraphQLCall<?> create = ResourcePolicyCalls.create("p", ResourcePolicySpec.defaults(), List.of("name"));
        assertDocument(create, "mutation($name: String!, $input: CreateKeyPairResourcePolicyInput!) {"
                + " create_keypair_resource_policy(name: $name, props: $input) { ok msg resource_policy { name } } }");
        assertThat(variables(create)).isEqualTo("{\"name\": \"p\", \"input\": {\"default_for_unspecified\": \"UNLIMITED\","
                + " \"total_resource_slots\": \"{}\", \"max_concurrent_sessions\": 30, \"max_containers_per_session\": 1,"
                + " \"max_vfolder_count\": 10, \"max_vfolder_size\": 0, \"idle_timeout\": 1800,"
                + " \"allowed_vfolder_hosts\": [\"local\"]}}");
        assertDocument(ResourcePolicyCalls.update("p", ResourcePolicySpec.builder().idleTimeout(60).build()),
                "mutation($name: String!, $input: ModifyKeyPairResourcePolicyInput!) {"
                        + " modify_keypair_resource_policy(name: $name, props: $input) { ok msg } }");
        assertDocument(ResourcePolicyCalls.delete("p"),
                "mutation($name: String!) { delete_keypair_resource_policy(name: $name) { ok msg } }");

        GraphQLCall<?> images = ImageCalls.list(List.of("name", "tag", "hash"));
        assertDocument(images, "query { images { name tag hash } }");
        assertThat(images.variables()).isNull();
        assertDocument(ImageCalls.rescan(null), "mutation($registry: String) { rescan_images(registry:$registry) { ok msg } }");
        assertThat(variables(ImageCalls.rescan(null))).isEqualTo("{\"registry\": null}");
        assertDocument(ImageCalls.alias("a", "python:3"), "mutation($alias: String!, $target: String!) {"
                + " alias_image(alias: $alias, target: $target) { ok msg } }");
        assertDocument(ImageCalls.dealias("a"), "mutation($alias: String!) { dealias_image(alias: $alias) { ok msg } }");

        GraphQLCall<?> agents = AgentCalls.list(10, 20, "ALIVE", List.of("id", "status"));
        assertDocument(agents, "query($limit: Int!, $offset: Int!, $status: String) { agent_list(limit: $limit,"
                + " offset: $offset, status: $status) { items { id status } total_count } }");
        assertThat(variables(agents)).isEqualTo("{\"limit\": 10, \"offset\": 20, \"status\": \"ALIVE\"}");
        assertDocument(AgentCalls.info("i-1", List.of("id")),
                "query($agent_id:String!) { agent(agent_id:$agent_id) { id } }");

        GraphQLCall<?> sessions = ComputeSessionCalls.list("RUNNING", null, 10, 0, List.of("sess_id"));
        assertDocument(sessions, "query($limit:Int!, $offset:Int!, $ak:String, $status:String) {"
                + " compute_session_list(limit:$limit, offset:$offset, access_key:$ak, status:$status) {"
                + " items { sess_id } total_count } }");
        assertThat(variables(sessions)).isEqualTo("{\"limit\": 10, \"offset\": 0, \"status\": \"RUNNING\", \"ak\": null}");
        assertDocument(ComputeSessionCalls.info("s1", List.of("sess_id", "status")),
                "query($sess_id:String) { compute_session(sess_id:$sess_id) { sess_id status } }");
    }

    @Test
    void answersAreReadUnderTheirKeys() throws Exception {
        var page = AgentCalls.list(10, 0, null, AgentCalls.DEFAULT_FIELDS).parser().apply(Json.MAPPER.readTree(
                "{\"agent_list\": {\"items\": [{\"id\": \"i-1\", \"status\": \"ALIVE\", \"cpu_cur_pct\": 12.5,"
                        + " \"mem_cur_bytes\": null}], \"total_count\": 11}}"));
        assertThat(page.totalCount()).isEqualTo(11);
        assertThat(page.items()).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo("i-1");
            assertThat(a.cpuCurPct()).isEqualTo(12.5);
            assertThat(a.memCurBytes()).isNull();
        });
        assertThat(page.hasMoreAfter(0)).isTrue();
        assertThat(page.hasMoreAfter(10)).isFalse();

        var created = KeyPairCalls.create("u", KeyPairProps.builder().resourcePolicy("p").build(), List.of("access_key"))
                .parser().apply(Json.MAPPER.readTree("{\"create_keypair\": {\"ok\": false, \"msg\": \"no\", \"keypair\": null}}"));
        assertThat(created.ok()).isFalse();
        assertThat(created.result().msg()).isEqualTo("no");
        assertThat(created.created()).isNull();

        assertThat(ResourcePolicyCalls.info("x", List.of("name")).parser()
                .apply(Json.MAPPER.readTree("{\"keypair_resource_policy\": null}"))).isNull();
        var policy = ResourcePolicyCalls.info(null, List.of("max_vfolder_count")).parser()
                .apply(Json.MAPPER.readTree("{\"keypair_resource_policy\": {\"max_vfolder_count\": 3}}"));
        assertThat(policy.maxVfolderCount()).isEqualTo(3);
        assertThat(policy.maxConcurrentSessions()).as("not selected").isEqualTo(-1);
        assertThat(policy.name()).isNull();
    }

    @Test
    void fieldsAreNamesOrNestedSelectionsOnly() {
        assertThat(GraphQLCall.selection(List.of("access_key", "vfolders { name max_size }")))
                .isEqualTo("access_key vfolders { name max_size }");
        assertThatThrownBy(() -> GraphQLCall.selection(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GraphQLCall.selection(List.of("name } } mutation { delete_keypair")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unbalanced");
        assertThatThrownBy(() -> GraphQLCall.selection(List.of("name(x: 1)")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a GraphQL field name");
        assertThatThrownBy(() -> GraphQLCall.selection(List.of("vfolders {")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unbalanced");
    }

    @Test
    void creationsNeedWhatTheSchemaRequires() {
        assertThatThrownBy(() -> KeyPairCalls.create("u", KeyPairProps.builder().build(), List.of("access_key")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("resource policy");
        assertThatThrownBy(() -> KeyPairCalls.create(" ", KeyPairProps.builder().resourcePolicy("p").build(),
                List.of("access_key"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user ID");
        assertThatThrownBy(() -> ResourcePolicyCalls.create("p", ResourcePolicySpec.builder().maxVfolderCount(1).build(),
                List.of("name"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("default_for_unspecified").hasMessageContaining("idle_timeout")
                .hasMessageNotContaining("max_vfolder_count");
        assertThatThrownBy(() -> AgentCalls.list(0, 0, null, List.of("id"))).isInstanceOf(IllegalArgumentException.class);
    }
}
