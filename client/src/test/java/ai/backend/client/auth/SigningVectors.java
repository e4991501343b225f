package ai.backend.client.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code reference/signing-vectors.json} (never retyped) for the parameterized tests. */
public final class SigningVectors {
    private SigningVectors() {
    }

    public static Path referenceDir() {
        String prop = System.getProperty("backendai.reference.dir");
        if (prop != null && Files.isDirectory(Path.of(prop))) {
            return Path.of(prop);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolveSibling("shared").resolve("reference");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("Cannot find ../shared/reference (set -Dbackendai.reference.dir)");
    }

    public static JsonNode file() throws IOException {
        return new ObjectMapper().readTree(referenceDir().resolve("signing-vectors.json").toFile());
    }

    public static List<JsonNode> vectors() throws IOException {
        List<JsonNode> list = new ArrayList<>();
        file().get("vectors").forEach(list::add);
        return list;
    }
}
