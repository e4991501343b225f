package ai.backend.client.vfolder;

import com.fasterxml.jackson.databind.JsonNode;

/** A pending invitation to share a folder. */
public record Invitation(String id, String inviter, String permission, String state, String createdAt, String vfolderId,
                         JsonNode raw) {
    static Invitation fromJson(JsonNode n) {
        return new Invitation(n.path("id").asText(), n.path("inviter").asText(null), n.path("perm").asText(null),
                n.path("state").asText(null), n.path("created_at").asText(null), n.path("vfolder_id").asText(null), n);
    }
}
