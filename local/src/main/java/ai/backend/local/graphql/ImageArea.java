package ai.backend.local.graphql;

import ai.backend.local.agent.Agent;
import ai.backend.local.agent.ImageRegistry;
import ai.backend.local.agent.ResourceSlots;
import ai.backend.local.store.Database;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.TypeRuntimeWiring;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Images (protocol §7.2), from the images table: {@code images} (admins may filter by {@code is_installed})
 * and {@code image(reference)} (null for a reference this server does not know). Each table row is one
 * image, tag {@code latest}, registry {@code local}; its resource limits are the row's minimum and maximum,
 * the machine's capacity where the row sets no maximum. An image is installed when its runtime is
 * available (python, which runs every session, or an executable shell).
 *
 * <p>Unlike 19.03.5, whose admin {@code image} resolver is broken, {@code image} works for admins too.
 *
 * <p>Admins have the image mutations: {@code alias_image} stores an alias without checking its target (as
 * 19.03), {@code dealias_image} removes one, both answer {@code ok: true, msg: ""}; an image's
 * {@code aliases} are the aliases whose target (after following further aliases) names it, and
 * {@code image(reference)} and session creation follow aliases. {@code rescan_images} has no registry to
 * read: the images table is the local catalogue, and whether an image is installed is computed on every
 * query; it answers {@code ok: true} for the local registry (or none) and {@code ok: false} for any other.
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
        return role == SchemaRole.ADMIN
                ? List.of("images.graphqls", role.rootFieldsResource("images"), "keypairs-mutations.graphqls",
                        "images-mutations.graphqls")
                : List.of("images.graphqls", role.rootFieldsResource("images"));
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring, SchemaRole role) {
        wiring.type(TypeRuntimeWiring.newTypeWiring(role.queryType())
                .dataFetcher("images", env -> images(env.getArgument("is_installed")))
                .dataFetcher("image", env -> image(env.getArgument("reference"))));
        if (role == SchemaRole.ADMIN) {
            wiring.type(TypeRuntimeWiring.newTypeWiring("MutationForAdmin")
                    .dataFetcher("alias_image", env -> {
                        db.putImageAlias(env.getArgument("alias"), env.getArgument("target"));
                        return MutationResults.result(true, "");
                    })
                    .dataFetcher("dealias_image", env -> {
                        db.deleteImageAlias(env.getArgument("alias"));
                        return MutationResults.result(true, "");
                    })
                    .dataFetcher("rescan_images", env -> {
                        String registry = env.getArgument("registry");
                        return registry == null || registry.equals("local")
                                ? MutationResults.result(true, "")
                                : MutationResults.result(false, "unknown registry: " + registry);
                    }));
        }
    }

    /** The image row name a reference (after aliases) names, or null when it names none of ours. */
    private String rowName(String reference) throws SQLException {
        return ImageRegistry.Reference.parse(db.followAliases(reference.trim()))
                .map(ImageRegistry.Reference::name).orElse(null);
    }

    private List<Map<String, Object>> images(Boolean installed) throws SQLException {
        Map<String, List<String>> aliases = aliasesByImage();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> row : Sql.query(db, COLUMNS + " ORDER BY name")) {
            Map<String, Object> image = imageObject(row, aliases);
            if (installed == null || installed.equals(image.get("installed"))) {
                out.add(image);
            }
        }
        return out;
    }

    /** The image a reference names ({@code python}, {@code lablup/python:3.6}, {@code index.docker.io/lablup/python}). */
    private Map<String, Object> image(String reference) throws SQLException {
        String name = rowName(reference);
        if (name == null) {
            return null;
        }
        List<Map<String, Object>> rows = Sql.query(db, COLUMNS + " WHERE name = ?", name);
        return rows.isEmpty() ? null : imageObject(rows.get(0), aliasesByImage());
    }

    /** Image row name to the aliases that lead to it. */
    private Map<String, List<String>> aliasesByImage() throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String alias : db.imageAliases().keySet()) {
            String name = rowName(alias);
            if (name != null) {
                out.computeIfAbsent(name, k -> new ArrayList<>()).add(alias);
            }
        }
        return out;
    }

    private Map<String, Object> imageObject(Map<String, Object> row, Map<String, List<String>> aliases) {
        String name = (String) row.get("name");
        Map<String, Object> i = new LinkedHashMap<>();
        i.put("name", name);
        i.put("humanized_name", name);
        i.put("tag", "latest");
        i.put("registry", "local");
        i.put("digest", null);
        i.put("labels", List.of());
        i.put("aliases", aliases.getOrDefault(name, List.of()));
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
