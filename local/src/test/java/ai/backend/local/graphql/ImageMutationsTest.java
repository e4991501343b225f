package ai.backend.local.graphql;

import static ai.backend.local.graphql.GraphQLIntegrationTest.gql;
import static ai.backend.local.graphql.GraphQLIntegrationTest.gqlError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.backend.client.BackendAPIError;
import ai.backend.client.kernel.CreateKernelRequest;
import ai.backend.client.kernel.ExecuteRequest;
import ai.backend.client.kernel.Kernel;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** rescan_images, alias_image and dealias_image (§7.1-7.3) with the 19.03 SDK documents, and aliases in use. */
class ImageMutationsTest extends ServerFixture {
    static final String RESCAN = "mutation($registry: String) { rescan_images(registry:$registry) { ok msg } }";
    static final String ALIAS = "mutation($alias: String!, $target: String!) { alias_image(alias: $alias, target: $target) { ok msg } }";
    static final String DEALIAS = "mutation($alias: String!) { dealias_image(alias: $alias) { ok msg } }";
    static final String IMAGE = "query($ref: String!) { image(reference: $ref) { name aliases } }";

    private JsonNode aliasesOf(String image) {
        for (JsonNode i : gql(admin, "query { images { name aliases } }").get("images")) {
            if (i.get("name").asText().equals(image)) {
                return i.get("aliases");
            }
        }
        throw new AssertionError("no image " + image);
    }

    @Test
    void aliasesAreStoredListedFollowedAndRemoved() {
        JsonNode r = gql(admin, ALIAS, "alias", "py", "target", "lablup/python:3.6-ubuntu18.04").get("alias_image");
        assertThat(r.toString()).isEqualTo("{\"ok\":true,\"msg\":\"\"}");
        // an alias of an alias, and one whose target is unknown (stored without checking, as 19.03)
        gql(admin, ALIAS, "alias", "snake", "target", "py");
        gql(admin, ALIAS, "alias", "ghost", "target", "nosuchimage");
        assertThat(aliasesOf("python")).extracting(JsonNode::asText).containsExactly("py", "snake");
        assertThat(aliasesOf("bash")).isEmpty();
        assertThat(gql(user, IMAGE, "ref", "snake").get("image").get("name").asText()).isEqualTo("python");
        assertThat(gql(user, IMAGE, "ref", "ghost").get("image").isNull()).isTrue();

        // session creation follows the chain
        Kernel k = user.kernels().getOrCreate(CreateKernelRequest.builder("snake").clientToken("alias-" + System.nanoTime()).build());
        try {
            assertThat(k.execute(ExecuteRequest.query("print(6 * 7)")).stdout()).isEqualTo("42\n");
        } finally {
            k.destroy();
        }
        assertThatThrownBy(() -> user.kernels().getOrCreate(CreateKernelRequest.builder("ghost").clientToken("ghost-1").build()))
                .isInstanceOfSatisfying(BackendAPIError.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("Unknown image reference: ghost");
                });

        // re-pointing replaces; dealias removes (and removing a missing alias is still ok, as 19.03)
        gql(admin, ALIAS, "alias", "py", "target", "bash");
        assertThat(aliasesOf("bash")).extracting(JsonNode::asText).containsExactly("py", "snake");
        assertThat(gql(admin, DEALIAS, "alias", "py").get("dealias_image").get("ok").asBoolean()).isTrue();
        assertThat(gql(admin, DEALIAS, "alias", "py").get("dealias_image").get("ok").asBoolean()).isTrue();
        assertThat(aliasesOf("bash")).isEmpty();
        assertThat(gql(user, IMAGE, "ref", "py").get("image").isNull()).isTrue();
        assertThatThrownBy(() -> user.kernels().getOrCreate(CreateKernelRequest.builder("py").clientToken("ghost-2").build()))
                .isInstanceOf(BackendAPIError.class);
    }

    @Test
    void rescanKnowsOnlyTheLocalRegistry() {
        assertThat(gql(admin, RESCAN, "registry", null).get("rescan_images").toString()).isEqualTo("{\"ok\":true,\"msg\":\"\"}");
        assertThat(gql(admin, RESCAN, "registry", "local").get("rescan_images").get("ok").asBoolean()).isTrue();
        JsonNode other = gql(admin, RESCAN, "registry", "index.docker.io").get("rescan_images");
        assertThat(other.get("ok").asBoolean()).isFalse();
        assertThat(other.get("msg").asText()).isEqualTo("unknown registry: index.docker.io");
    }

    @Test
    void usersHaveNoImageMutations() {
        BackendAPIError e = gqlError(user, ALIAS, "alias", "py", "target", "python");
        assertThat(e.data().get("data").get(0).get("message").asText()).isEqualTo("Schema is not configured for mutations");
        assertThat(gql(user, IMAGE, "ref", "py").get("image").isNull()).isTrue();
    }
}
