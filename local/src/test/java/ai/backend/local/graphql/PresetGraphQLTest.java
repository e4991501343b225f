package ai.backend.local.graphql;

import static ai.backend.local.graphql.GraphQLIntegrationTest.gql;
import static ai.backend.local.graphql.GraphQLIntegrationTest.gqlError;
import static org.assertj.core.api.Assertions.assertThat;

import ai.backend.client.BackendAPIError;
import ai.backend.client.manager.ResourcePreset;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** resource_preset(s) queries and the preset mutations (§7.1), consistent with GET /resource/presets. */
class PresetGraphQLTest extends ServerFixture {
    static final String ONE = "query($name: String) { resource_preset(name: $name) { name resource_slots } }";
    static final String ALL = "query { resource_presets { name resource_slots } }";
    static final String CREATE = "mutation($name: String!, $input: CreateResourcePresetInput!) {"
            + " create_resource_preset(name: $name, props: $input) { ok msg resource_preset { name resource_slots } } }";
    static final String MODIFY = "mutation($name: String!, $input: ModifyResourcePresetInput!) {"
            + " modify_resource_preset(name: $name, props: $input) { ok msg } }";
    static final String DELETE = "mutation($name: String!) { delete_resource_preset(name: $name) { ok msg } }";

    @Test
    void presetsAreQueriedAndChangedByAdmins() {
        assertThat(gql(user, ALL).get("resource_presets").findValuesAsText("name")).containsExactly("large", "medium", "small");
        assertThat(gql(user, ONE, "name", "small").get("resource_preset").get("resource_slots").asText())
                .isEqualTo("{\"cpu\": \"1\", \"mem\": \"1073741824\"}");
        assertThat(gql(user, ONE, "name", "nosuch").get("resource_preset").isNull()).isTrue();

        JsonNode r = gql(admin, CREATE, "name", "tiny", "input", Map.of("resource_slots", "{\"cpu\": \"0.5\", \"mem\": \"512m\"}"))
                .get("create_resource_preset");
        assertThat(r.get("ok").asBoolean()).isTrue();
        assertThat(r.get("msg").asText()).isEqualTo("success");
        assertThat(r.get("resource_preset").get("resource_slots").asText()).isEqualTo("{\"cpu\": \"0.5\", \"mem\": \"536870912\"}");
        assertThat(user.resources().list()).extracting(ResourcePreset::name).contains("tiny");

        JsonNode dup = gql(admin, CREATE, "name", "tiny", "input", Map.of("resource_slots", "{}")).get("create_resource_preset");
        assertThat(dup.get("ok").asBoolean()).isFalse();
        assertThat(dup.get("msg").asText()).startsWith("integrity error");
        assertThat(dup.get("resource_preset").isNull()).isTrue();

        BackendAPIError bad = gqlError(admin, CREATE, "name", "broken", "input", Map.of("resource_slots", "{\"cpu\": \"lots\"}"));
        assertThat(bad.data().get("data").get(0).get("message").asText()).isEqualTo("('Cannot convert to decimal', 'lots')");
        assertThat(gql(admin, ONE, "name", "broken").get("resource_preset").isNull()).isTrue();

        assertThat(gql(admin, MODIFY, "name", "tiny", "input", Map.of("resource_slots", "{\"cpu\": \"2\"}"))
                .get("modify_resource_preset").get("ok").asBoolean()).isTrue();
        assertThat(gql(admin, ONE, "name", "tiny").get("resource_preset").get("resource_slots").asText()).isEqualTo("{\"cpu\": \"2\"}");
        assertThat(gql(admin, MODIFY, "name", "nosuch", "input", Map.of("resource_slots", "{}"))
                .get("modify_resource_preset").get("msg").asText()).isEqualTo("no such resource preset");

        assertThat(gql(admin, DELETE, "name", "tiny").get("delete_resource_preset").get("ok").asBoolean()).isTrue();
        assertThat(gql(admin, DELETE, "name", "tiny").get("delete_resource_preset").get("ok").asBoolean()).isFalse();
        assertThat(user.resources().list()).extracting(ResourcePreset::name).doesNotContain("tiny");
    }

    @Test
    void usersCannotChangePresets() {
        BackendAPIError e = gqlError(user, DELETE, "name", "small");
        assertThat(e.data().get("data").toString()).isEqualTo("[{\"message\":\"Schema is not configured for mutations\"}]");
        assertThat(gql(user, ONE, "name", "small").get("resource_preset").isNull()).isFalse();
    }
}
