package ai.backend.client.vfolder;

import com.fasterxml.jackson.databind.JsonNode;

/** One entry of a folder listing: name, mode string or number as sent, size in bytes and the three times. */
public record FileEntry(String filename, String mode, long size, String ctime, String mtime, String atime, JsonNode raw) {
    static FileEntry fromJson(JsonNode n) {
        return new FileEntry(n.path("filename").asText(), n.path("mode").asText(), n.path("size").asLong(),
                n.path("ctime").asText(null), n.path("mtime").asText(null), n.path("atime").asText(null), n);
    }

    /** Whether the entry is a directory (its mode starts with {@code d}). */
    public boolean isDirectory() {
        return mode.startsWith("d");
    }
}
