package ai.backend.client.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** An image the server can run. */
public record ImageInfo(String name, String tag, String registry, List<String> aliases, boolean installed, JsonNode raw) {
    static final String FIELDS = "name tag registry aliases installed";

    static ImageInfo fromJson(JsonNode n) {
        List<String> aliases = new ArrayList<>();
        n.path("aliases").forEach(a -> aliases.add(a.asText()));
        return new ImageInfo(KeyPairInfo.text(n, "name"), KeyPairInfo.text(n, "tag"), KeyPairInfo.text(n, "registry"),
                List.copyOf(aliases), n.path("installed").asBoolean(false), n);
    }
}
