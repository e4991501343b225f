package ai.backend.client.vfolder;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A virtual folder as {@code GET /folders} and {@code GET /folders/{name}} describe it. {@code numFiles} and
 * {@code created} are -1 / null in list entries, which do not carry them.
 *
 * @param permission {@code ro}, {@code rw} or {@code wd}
 */
public record VFolderInfo(String id, String name, String host, boolean isOwner, String permission, long numFiles,
                          String created, JsonNode raw) {
    static VFolderInfo fromJson(JsonNode n) {
        long files = n.has("numFiles") ? n.get("numFiles").asLong() : n.has("num_files") ? n.get("num_files").asLong() : -1;
        return new VFolderInfo(n.path("id").asText(null), n.path("name").asText(null), n.path("host").asText(null),
                n.path("is_owner").asBoolean(false), n.path("permission").asText(null), files,
                n.hasNonNull("created") ? n.get("created").asText() : null, n);
    }
}
