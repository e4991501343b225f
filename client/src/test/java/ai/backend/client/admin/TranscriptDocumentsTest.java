package ai.backend.client.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ai.backend.client.auth.SigningVectors;
import ai.backend.client.internal.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every GraphQL request the real Python client 19.03.2 sent in {@code reference/transcripts-19.03.5.jsonl} is
 * rebuilt with the typed families from its arguments; the document must be the same (whitespace aside) and the
 * variables byte-for-byte the same JSON, key order and nulls included, or omitted where the client omitted them.
 */
class TranscriptDocumentsTest {
    private static final Pattern ROOT = Pattern.compile("^(?:query|mutation)\\s*(?:\\([^)]*\\))?\\s*\\{\\s*(\\w+)");

    private static String squash(String document) {
        return document.replaceAll("\\s+", " ").replaceAll("\\s*([(){}:,$!])\\s*", "$1").trim();
    }

    /** The field names inside the first {@code { ... }} after {@code marker}. */
    private static List<String> selection(String query, String marker) {
        int start = query.indexOf('{', query.indexOf(marker) + marker.length());
        int end = query.indexOf('}', start);
        return Arrays.asList(query.substring(start + 1, end).trim().split("\\s+"));
    }

    private static String text(JsonNode vars, String name) {
        return vars.hasNonNull(name) ? vars.get(name).asText() : null;
    }

    private static Boolean bool(JsonNode vars, String name) {
        return vars.hasNonNull(name) ? vars.get(name).asBoolean() : null;
    }

    private static KeyPairProps props(JsonNode input) {
        return new KeyPairProps(bool(input, "is_active"), bool(input, "is_admin"), text(input, "resource_policy"),
                input.hasNonNull("rate_limit") ? input.get("rate_limit").asInt() : null);
    }

    private static ResourcePolicySpec spec(JsonNode in) {
        List<String> hosts = new ArrayList<>();
        in.path("allowed_vfolder_hosts").forEach(h -> hosts.add(h.asText()));
        return new ResourcePolicySpec(text(in, "default_for_unspecified"), text(in, "total_resource_slots"),
                in.get("max_concurrent_sessions").asInt(), in.get("max_containers_per_session").asInt(),
                in.get("max_vfolder_count").asInt(), in.get("max_vfolder_size").asLong(), in.get("idle_timeout").asLong(), hosts);
    }

    /** Our call for the request the Python client sent. */
    private static GraphQLCall<?> rebuild(String root, String query, JsonNode vars) {
        switch (root) {
            case "keypair":
                return KeyPairCalls.info(selection(query, "keypair"));
            case "keypairs":
                return KeyPairCalls.list(text(vars, "user_id"), bool(vars, "is_active"), selection(query, "keypairs("));
            case "create_keypair":
                return KeyPairCalls.create(text(vars, "user_id"), props(vars.get("input")), selection(query, "keypair "));
            case "modify_keypair":
                return KeyPairCalls.update(text(vars, "access_key"), props(vars.get("input")));
            case "delete_keypair":
                return KeyPairCalls.delete(text(vars, "access_key"));
            case "images":
                return ImageCalls.list(selection(query, "images"));
            case "alias_image":
                return ImageCalls.alias(text(vars, "alias"), text(vars, "target"));
            case "dealias_image":
                return ImageCalls.dealias(text(vars, "alias"));
            case "rescan_images":
                return ImageCalls.rescan(text(vars, "registry"));
            case "keypair_resource_policies":
                return ResourcePolicyCalls.list(selection(query, "keypair_resource_policies"));
            case "keypair_resource_policy":
                return ResourcePolicyCalls.info(text(vars, "name"), selection(query, "keypair_resource_policy("));
            case "create_keypair_resource_policy":
                return ResourcePolicyCalls.create(text(vars, "name"), spec(vars.get("input")), selection(query, "resource_policy "));
            case "modify_keypair_resource_policy":
                return ResourcePolicyCalls.update(text(vars, "name"), spec(vars.get("input")));
            case "delete_keypair_resource_policy":
                return ResourcePolicyCalls.delete(text(vars, "name"));
            case "compute_session_list":
                return ComputeSessionCalls.list(text(vars, "status"), text(vars, "ak"), vars.get("limit").asInt(),
                        vars.get("offset").asInt(), selection(query, "items"));
            case "agent_list":
                return AgentCalls.list(vars.get("limit").asInt(), vars.get("offset").asInt(), text(vars, "status"),
                        selection(query, "items"));
            default:
                return null;
        }
    }

    @Test
    void everyGraphQLRequestOfThePythonClientIsRebuiltExactly() throws Exception {
        List<String> lines = Files.readAllLines(SigningVectors.referenceDir().resolve("transcripts-19.03.5.jsonl"));
        Set<String> covered = new LinkedHashSet<>();
        Set<String> notRebuilt = new LinkedHashSet<>();
        for (String line : lines) {
            JsonNode request = Json.MAPPER.readTree(line).path("request");
            if (!request.path("path").asText().equals("/admin/graphql")
                    || !request.path("headers").path("User-Agent").asText().contains("Python")) {
                continue;
            }
            JsonNode body = Json.MAPPER.readTree(request.path("body").asText());
            String query = body.path("query").asText();
            Matcher m = ROOT.matcher(query.trim());
            assertThat(m.find()).as(query).isTrue();
            String root = m.group(1);
            GraphQLCall<?> ours = rebuild(root, query, body.path("variables"));
            if (ours == null) {
                notRebuilt.add(root);
                continue;
            }
            covered.add(root);
            assertThat(squash(ours.document())).as(root).isEqualTo(squash(query));
            if (body.has("variables")) {
                assertThat(ours.variables()).as(root + " sends variables").isNotNull();
                assertThat(Json.pythonDumps(ours.variables())).as(root).isEqualTo(Json.pythonDumps(body.get("variables")));
            } else {
                assertThat(ours.variables()).as(root + " omits the variables key").isNull();
            }
        }
        assertThat(covered).as("the SDK calls in the transcript").contains("keypair", "keypairs", "create_keypair",
                "modify_keypair", "delete_keypair", "images", "alias_image", "dealias_image", "keypair_resource_policies",
                "keypair_resource_policy", "create_keypair_resource_policy", "modify_keypair_resource_policy",
                "delete_keypair_resource_policy", "compute_session_list");
        assertThat(notRebuilt).as("requests without a typed call").isEmpty();
    }
}
