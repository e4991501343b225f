package ai.backend.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What {@code GET /} reports: the API version the server speaks and the manager's version.
 *
 * @param raw the JSON object as received
 */
public record ServerInfo(String apiVersion, String managerVersion, JsonNode raw) {
    static ServerInfo fromJson(JsonNode node) {
        return new ServerInfo(node.path("version").asText(null), node.path("manager").asText(null), node);
    }

    /** Whether the server is older than streaming execution ({@code <= v4.20181215}), as 19.03 decides. */
    public boolean isLegacy() {
        return apiVersion != null && apiVersion.compareTo("v4.20181215") <= 0;
    }
}
