package ai.backend.local.graphql;

import static ai.backend.local.graphql.GraphQLIntegrationTest.ISO;
import static ai.backend.local.graphql.GraphQLIntegrationTest.gql;
import static ai.backend.local.graphql.GraphQLIntegrationTest.gqlError;
import static org.assertj.core.api.Assertions.assertThat;

import ai.backend.client.BackendAPIError;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The vfolders query and KeyPair.vfolders (§7.1) with the 19.03 {@code admin vfolders} documents (§7.3). */
class VFolderGraphQLTest extends ServerFixture {
    static final String FIELDS = "name created_at last_used max_files max_size";
    static final String ALL = "query {  vfolders {    " + FIELDS + "  }}";
    static final String OF_KEY = "query($ak:String) {  vfolders(access_key:$ak) {    " + FIELDS + "  }}";

    private static List<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(f -> out.add(f.get("name").asText()));
        return out;
    }

    @Test
    void ownedFoldersNewestFirstPerRole() throws Exception {
        assertThat(gql(user, ALL).get("vfolders")).isEmpty();
        user.vfolders().create("first", null);
        Thread.sleep(5); // created_at has microseconds; keep the order unambiguous
        user.vfolders().create("second", null);
        admin.vfolders().create("admins", null);
        JsonNode mine = gql(user, ALL).get("vfolders");
        assertThat(names(mine)).containsExactly("second", "first");
        JsonNode f = mine.get(1);
        assertThat(f.get("created_at").asText()).matches(ISO);
        assertThat(f.get("last_used").isNull()).isTrue();
        assertThat(f.get("max_files").asInt()).isEqualTo(1000);
        assertThat(f.get("max_size").asInt()).isEqualTo(1024);

        String userAk = server.server().userKeypair().accessKey();
        String adminAk = server.server().adminKeypair().accessKey();
        assertThat(names(gql(admin, OF_KEY, "ak", userAk).get("vfolders"))).containsExactly("second", "first");
        assertThat(names(gql(admin, OF_KEY, "ak", adminAk).get("vfolders"))).containsExactly("admins");
        assertThat(names(gql(admin, OF_KEY, "ak", "AKNOSUCHKEY").get("vfolders"))).isEmpty();
        assertThat(names(gql(admin, ALL).get("vfolders"))).containsExactlyInAnyOrder("second", "first", "admins");

        JsonNode viaKeypair = gql(admin, "query($ak: String) { keypair(access_key: $ak) { access_key"
                + " vfolders { id host name num_files cur_size } } }", "ak", userAk).get("keypair");
        assertThat(names(viaKeypair.get("vfolders"))).containsExactly("second", "first");
        JsonNode one = viaKeypair.get("vfolders").get(0);
        assertThat(one.get("id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(one.get("id").asText().replace("-", "")).isEqualTo(user.vfolders().info("second").id());
        assertThat(one.get("host").asText()).isEqualTo("local");
        assertThat(one.get("num_files").asInt()).isZero();

        // deleting removes it from the listing
        user.vfolders().delete("first");
        assertThat(names(gql(user, ALL).get("vfolders"))).containsExactly("second");
    }

    @Test
    void usersCannotAskForAnotherKeysFolders() {
        BackendAPIError e = gqlError(user, OF_KEY, "ak", server.server().adminKeypair().accessKey());
        assertThat(e.data().get("data").get(0).get("message").asText())
                .isEqualTo("Unknown argument \"access_key\" on field \"vfolders\" of type \"QueryForUser\".");
    }
}
