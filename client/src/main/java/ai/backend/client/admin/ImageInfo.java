package ai.backend.client.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** An image the server can run. Components not selected are null (aliases empty, installed false, size -1). */
public record ImageInfo(String name, String tag, String registry, String digest, long sizeBytes, List<String> aliases,
                        boolean installed, JsonNode raw) {
    static ImageInfo fromJson(JsonNode n) {
        List<String> aliases = new ArrayList<>();
        n.path("aliases").forEach(a -> aliases.add(a.asText()));
        return new ImageInfo(GraphQLCall.text(n, "name"), GraphQLCall.text(n, "tag"), GraphQLCall.text(n, "registry"),
                GraphQLCall.text(n, "digest"), n.path("size_bytes").asLong(-1), List.copyOf(aliases),
                n.path("installed").asBoolean(false), n);
    }
}
