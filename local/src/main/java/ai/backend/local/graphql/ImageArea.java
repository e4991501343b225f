package ai.backend.local.graphql;

import ai.backend.local.agent.Agent;
import ai.backend.local.agent.ResourceSlots;
import ai.backend.local.store.Database;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.TypeRuntimeWiring;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Images (protocol §7.2), from the images table: {@code images} (admins may filter by {@code is_installed})
 * and {@code image(reference)} (null for a reference this server does not know). Each table row is one
 * image, tag {@code latest}, registry {@code local}; its resource limits are the row's minimum and maximum,
 * the machine's capacity where the row sets no maximum. An image is installed when its runtime is
 * available (python, which runs every session, or an executable shell).
 *
 * <p>Unlike 19.03.5, whose admin {@code image} resolver is broken, {@code image} works for admins too.
 */
public final class ImageArea implements SchemaArea {
    static final String COLUMNS = "SELECT name, runtime, min_cpu, min_mem, max_cpu, max_mem FROM images";

    private final Database db;
    private final Agent agent;

    public ImageArea(Database db, Agent agent) {
        this.db = db;
        this.agent = agent;
    }

    @Override
    public List<String> sdl(SchemaRole role) {
        return List.of("images.graphqls", role.rootFieldsResource("images"));
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring, SchemaRole role) {
        wiring.type(TypeRuntimeWiring.newTypeWiring(role.queryType())
                .dataFetcher("images", env -> images(env.getArgument("is_installed")))
                .dataFetcher("image", env -> image(env.getArgument("reference"))));
    }

    private List<Map<String, Object>> images(Boolean installed) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> row : Sql.query(db, COLUMNS + " ORDER BY name")) {
            Map<String, Object> image = imageObject(row);
            if (installed == null || installed.equals(image.get("installed"))) {
                out.add(image);
            }
        }
        return out;
    }

    /** The image a reference names ({@code python}, {@code lablup/python:3.6}, {@code index.docker.io/lablup/python}). */
    private Map<String, Object> image(String reference) {
        String ref = reference.trim().toLowerCase(Locale.ROOT);
        int slash = ref.lastIndexOf('/');
        int colon = ref.lastIndexOf(':');
        if (colon > slash) {
            ref = ref.substring(0, colon);
        }
        String namespace = slash >= 0 ? ref.substring(0, slash) : "";
        if (!(namespace.isEmpty() || namespace.equals("lablup") || namespace.endsWith("/lablup"))) {
            return null;
        }
        String name = slash >= 0 ? ref.substring(slash + 1) : ref;
        List<Map<String, Object>> rows = Sql.query(db, COLUMNS + " WHERE name = ?", name);
        return rows.isEmpty() ? null : imageObject(rows.get(0));
    }

    private Map<String, Object> imageObject(Map<String, Object> row) {
        String name = (String) row.get("name");
        Map<String, Object> i = new LinkedHashMap<>();
        i.put("name", name);
        i.put("humanized_name", name);
        i.put("tag", "latest");
        i.put("registry", "local");
        i.put("digest", null);
        i.put("labels", List.of());
        i.put("aliases", List.of());
        i.put("size_bytes", 0L);
        List<Map<String, Object>> limits = new ArrayList<>();
        limits.add(limit("cpu", (String) row.get("min_cpu"), (String) row.get("max_cpu")));
        limits.add(limit("mem", (String) row.get("min_mem"), (String) row.get("max_mem")));
        i.put("resource_limits", limits);
        i.put("supported_accelerators", List.of());
        i.put("installed", installed((String) row.get("runtime")));
        i.put("hash", null);
        return i;
    }

    private Map<String, Object> limit(String slot, String min, String max) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("key", slot);
        l.put("min", min);
        if (max == null) {
            BigDecimal cap = agent.capacity().get(slot);
            max = ResourceSlots.isInfinite(cap) ? "Infinity" : cap.stripTrailingZeros().toPlainString();
        }
        l.put("max", max);
        return l;
    }

    private static boolean installed(String runtime) {
        if (runtime.startsWith("shell:")) {
            return Files.isExecutable(Path.of(runtime.substring("shell:".length())));
        }
        return true;
    }
}
