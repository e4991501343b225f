package ai.backend.local.graphql;

import static ai.backend.local.graphql.GraphQLIntegrationTest.ISO;
import static ai.backend.local.graphql.GraphQLIntegrationTest.gql;
import static ai.backend.local.graphql.GraphQLIntegrationTest.gqlError;
import static ai.backend.local.graphql.KeypairGraphQLTest.keys;
import static org.assertj.core.api.Assertions.assertThat;

import ai.backend.client.Session;
import ai.backend.client.kernel.CreateKernelRequest;
import ai.backend.client.kernel.Kernel;
import ai.backend.local.agent.ResourceSlots;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Agent and image queries (§7.2) with the documents of the 19.03 client (§7.3). */
class AgentImageGraphQLTest extends ServerFixture {
    static final String AGENT_LIST_SDK = "query($limit: Int!, $offset: Int!, $status: String) {  agent_list(limit: $limit,"
            + " offset: $offset, status: $status) {    items { id addr status first_contact mem_slots cpu_slots gpu_slots }"
            + "    total_count  }}";
    static final String CLI_FIELDS = "id status region first_contact cpu_cur_pct mem_cur_bytes available_slots occupied_slots";
    static final String AGENT_LIST_CLI = AGENT_LIST_SDK.replace("id addr status first_contact mem_slots cpu_slots gpu_slots",
            CLI_FIELDS);
    static final String AGENT_CLI = "query($agent_id:String!) {  agent(agent_id:$agent_id) {    " + CLI_FIELDS + "  }}";
    static final String IMAGES_SDK = "query {  images {    name tag hash  }}";
    static final String IMAGES_CLI = "query {  images {    name registry tag digest size_bytes aliases  }}";

    private String capacityJson() {
        ResourceSlots cap = server.server().agent().capacity();
        return "{\"cpu\": \"" + cap.get("cpu").stripTrailingZeros().toPlainString() + "\", \"mem\": \""
                + cap.get("mem").toPlainString() + "\"}";
    }

    @Test
    void agentsAsTheSdkAndCliAskForThem() {
        OffsetDateTime before = OffsetDateTime.now().minusMinutes(5);
        JsonNode list = gql(admin, AGENT_LIST_SDK, "limit", 10, "offset", 0, "status", "ALIVE").get("agent_list");
        assertThat(keys(list)).containsExactly("items", "total_count");
        assertThat(list.get("total_count").asInt()).isEqualTo(1);
        JsonNode a = list.get("items").get(0);
        assertThat(keys(a)).containsExactly("id", "addr", "status", "first_contact", "mem_slots", "cpu_slots", "gpu_slots");
        assertThat(a.get("id").asText()).isEqualTo("local");
        assertThat(a.get("addr").asText()).isEqualTo("127.0.0.1");
        assertThat(a.get("status").asText()).isEqualTo("ALIVE");
        assertThat(a.get("first_contact").asText()).matches(ISO);
        assertThat(OffsetDateTime.parse(a.get("first_contact").asText())).isAfter(before).isBefore(OffsetDateTime.now());
        ResourceSlots cap = server.server().agent().capacity();
        assertThat(a.get("mem_slots").asLong()).isEqualTo(cap.get("mem").longValue() >> 20);
        assertThat(a.get("cpu_slots").asDouble()).isEqualTo(cap.get("cpu").doubleValue());
        assertThat(a.get("gpu_slots").isFloatingPointNumber()).isTrue();

        // paging and status
        assertThat(gql(admin, AGENT_LIST_SDK, "limit", 10, "offset", 1, "status", "ALIVE").get("agent_list")
                .get("items")).isEmpty();
        assertThat(gql(admin, AGENT_LIST_SDK, "limit", 0, "offset", 0, "status", null).get("agent_list")
                .get("total_count").asInt()).isEqualTo(1);
        JsonNode lost = gql(admin, AGENT_LIST_SDK, "limit", 10, "offset", 0, "status", "LOST").get("agent_list");
        assertThat(lost.get("items")).isEmpty();
        assertThat(lost.get("total_count").asInt()).isZero();
        BackendAPIErrorAssert.message(gqlError(admin, AGENT_LIST_SDK, "limit", 10, "offset", 0, "status", "FOO"), "'FOO'");

        Kernel k = user.kernels().getOrCreate(CreateKernelRequest.builder("python").clientToken("ag-" + System.nanoTime())
                .build());
        server.recordSessionPids();
        try {
            JsonNode cli = gql(admin, AGENT_LIST_CLI, "limit", 10, "offset", 0, "status", "ALIVE").get("agent_list")
                    .get("items").get(0);
            assertThat(String.join(" ", keys(cli))).isEqualTo(CLI_FIELDS);
            assertThat(cli.get("region").asText()).isEqualTo("local");
            assertThat(cli.get("cpu_cur_pct").isFloatingPointNumber()).isTrue();
            assertThat(cli.get("mem_cur_bytes").isNumber()).isTrue();
            assertThat(cli.get("available_slots").asText()).isEqualTo(capacityJson());
            assertThat(cli.get("occupied_slots").asText()).isEqualTo("{\"cpu\": \"0.01\", \"mem\": \"268435456\"}");

            JsonNode one = gql(admin, AGENT_CLI, "agent_id", "local").get("agent");
            assertThat(String.join(" ", keys(one))).isEqualTo(CLI_FIELDS);
            assertThat(one.get("occupied_slots").asText()).isEqualTo("{\"cpu\": \"0.01\", \"mem\": \"268435456\"}");

            JsonNode more = gql(admin, "{ agents { id lost_at used_mem_slots used_cpu_slots used_gpu_slots tpu_slots "
                    + "used_tpu_slots computations(status: \"RUNNING\") { sess_id status agent } } }").get("agents");
            assertThat(more).hasSize(1);
            assertThat(more.get(0).get("lost_at").isNull()).isTrue();
            assertThat(more.get(0).get("used_mem_slots").asInt()).isEqualTo(256);
            assertThat(more.get(0).get("used_cpu_slots").asDouble()).isEqualTo(0.01);
            assertThat(more.get(0).get("computations")).hasSize(1);
            assertThat(more.get(0).get("computations").get(0).get("sess_id").asText()).isEqualTo(k.id());
            assertThat(more.get(0).get("computations").get(0).get("agent").asText()).isEqualTo("local");
        } finally {
            k.destroy();
        }
        JsonNode idle = gql(admin, AGENT_CLI, "agent_id", "local").get("agent");
        assertThat(idle.get("occupied_slots").asText()).isEqualTo("{\"cpu\": \"0\", \"mem\": \"0\"}");
        assertThat(gql(admin, "{ agents(status: \"ALIVE\") { id } }").get("agents")).hasSize(1);
        assertThat(gql(admin, "{ agents(status: \"TERMINATED\") { id } }").get("agents")).isEmpty();
        assertThat(gql(admin, "{ agents { computations(status: \"RUNNING\") { sess_id } } }").get("agents").get(0)
                .get("computations")).isEmpty();
        assertThat(gql(admin, "{ agents { computations { status } } }").get("agents").get(0).get("computations")
                .get(0).get("status").asText()).isEqualTo("TERMINATED");
        assertThat(gql(admin, AGENT_CLI, "agent_id", "i-nope").get("agent").isNull()).isTrue();
        BackendAPIErrorAssert.message(gqlError(admin, "{ agents { id foo } }"), "Cannot query field \"foo\" on type \"Agent\".");

        // users have no agent queries
        BackendAPIErrorAssert.message(gqlError(user, AGENT_CLI, "agent_id", "local"),
                "Cannot query field \"agent\" on type \"QueryForUser\".");
        BackendAPIErrorAssert.message(gqlError(user, AGENT_LIST_SDK, "limit", 10, "offset", 0, "status", "ALIVE"),
                "Cannot query field \"agent_list\" on type \"QueryForUser\".");
    }

    @Test
    void imagesAsTheSdkAndCliAskForThem() {
        for (Session s : List.of(user, admin)) {
            JsonNode images = gql(s, IMAGES_SDK).get("images");
            List<String> names = new ArrayList<>();
            images.forEach(i -> {
                assertThat(keys(i)).containsExactly("name", "tag", "hash");
                assertThat(i.get("tag").asText()).isEqualTo("latest");
                assertThat(i.get("hash").isNull()).isTrue();
                names.add(i.get("name").asText());
            });
            assertThat(names).containsExactly("bash", "python", "sh");
            JsonNode cli = gql(s, IMAGES_CLI).get("images").get(1);
            assertThat(String.join(" ", keys(cli))).isEqualTo("name registry tag digest size_bytes aliases");
            assertThat(cli.get("registry").asText()).isEqualTo("local");
            assertThat(cli.get("digest").isNull()).isTrue();
            assertThat(cli.get("size_bytes").asLong()).isZero();
            assertThat(cli.get("aliases")).isEmpty();
        }
        String all = "{ images { name humanized_name labels { key value } supported_accelerators installed"
                + " resource_limits { key min max } } }";
        JsonNode python = gql(admin, all).get("images").get(1);
        assertThat(python.get("name").asText()).isEqualTo("python");
        assertThat(python.get("humanized_name").asText()).isEqualTo("python");
        assertThat(python.get("labels")).isEmpty();
        assertThat(python.get("supported_accelerators")).isEmpty();
        assertThat(python.get("installed").asBoolean()).isTrue();
        ResourceSlots cap = server.server().agent().capacity();
        assertThat(python.get("resource_limits").toString()).isEqualTo("[{\"key\":\"cpu\",\"min\":\"0.01\",\"max\":\""
                + cap.get("cpu").stripTrailingZeros().toPlainString() + "\"},{\"key\":\"mem\",\"min\":\"256m\",\"max\":\""
                + cap.get("mem").toPlainString() + "\"}]");

        // is_installed (admins only)
        assertThat(gql(admin, "{ images(is_installed: true) { name } }").get("images")).hasSize(3);
        assertThat(gql(admin, "{ images(is_installed: false) { name } }").get("images")).isEmpty();
        BackendAPIErrorAssert.message(gqlError(user, "{ images(is_installed: true) { name } }"),
                "Unknown argument \"is_installed\" on field \"images\" of type \"QueryForUser\".");

        // image(reference)
        String image = "query($ref: String!) { image(reference: $ref) { name tag registry } }";
        for (Session s : List.of(user, admin)) {
            assertThat(gql(s, image, "ref", "python").get("image").get("name").asText()).isEqualTo("python");
            assertThat(gql(s, image, "ref", "lablup/bash:latest").get("image").get("name").asText()).isEqualTo("bash");
            assertThat(gql(s, image, "ref", "index.docker.io/lablup/sh").get("image").get("name").asText())
                    .isEqualTo("sh");
            assertThat(gql(s, image, "ref", "no-such-image").get("image").isNull()).isTrue();
            assertThat(gql(s, image, "ref", "someone/python").get("image").isNull()).isTrue();
        }
        BackendAPIErrorAssert.message(gqlError(user, "{ image { name } }"),
                "Field \"image\" argument \"reference\" of type \"String!\" is required but not provided.");
        BackendAPIErrorAssert.message(gqlError(user, "{ images { name zzzz } }"),
                "Cannot query field \"zzzz\" on type \"Image\".");
    }
}
