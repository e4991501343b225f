package ai.backend.local.agent;

import ai.backend.local.store.Database;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The images this server runs, read from the database: each name maps to a runtime and resource limits.
 * A reference may carry a registry, a {@code lablup/} namespace and a tag
 * ({@code index.docker.io/lablup/python:3.6-ubuntu18.04}); the tag is kept in the canonical name.
 */
public final class ImageRegistry {
    /** An image reference taken apart: the image name (a row of the images table) and the tag. */
    public record Reference(String name, String tag) {
        /**
         * Parses {@code [registry/][lablup/]name[:tag]} (case-insensitive; tag {@code latest} when absent);
         * empty for another namespace or an invalid tag. Aliases are not followed here.
         */
        public static Optional<Reference> parse(String reference) {
            String ref = reference.trim().toLowerCase(Locale.ROOT);
            String tag = "latest";
            int slash = ref.lastIndexOf('/');
            int colon = ref.lastIndexOf(':');
            if (colon > slash) {
                tag = ref.substring(colon + 1);
                ref = ref.substring(0, colon);
            }
            String namespace = slash >= 0 ? ref.substring(0, slash) : "";
            if (!(namespace.isEmpty() || namespace.equals("lablup") || namespace.endsWith("/lablup"))) {
                return Optional.empty();
            }
            if (tag.isEmpty() || !tag.matches("[a-z0-9][a-z0-9._-]*")) {
                return Optional.empty();
            }
            return Optional.of(new Reference(slash >= 0 ? ref.substring(slash + 1) : ref, tag));
        }
    }

    private final PythonRuntime python;
    private final ResourceSlots capacity;
    private final Database db;

    /**
     * @param capacity the machine's slots, the maximum of images that set none
     */
    public ImageRegistry(Database db, PythonRuntime python, ResourceSlots capacity) {
        this.python = python;
        this.capacity = capacity;
        this.db = db;
    }

    /**
     * The image a reference names, after following image aliases (up to 8 hops), or empty when this server
     * does not know it.
     */
    public Optional<Image> resolve(String reference) {
        if (reference == null || reference.isBlank()) {
            return Optional.empty();
        }
        String target;
        try {
            target = db.followAliases(reference.trim());
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the image aliases", e);
        }
        Optional<Reference> parsed = Reference.parse(target);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        String name = parsed.get().name();
        String tag = parsed.get().tag();
        Database.ImageRow row;
        try {
            row = db.image(name).orElse(null);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the images", e);
        }
        if (row == null) {
            return Optional.empty();
        }
        Runtime runtime = row.runtime().startsWith("shell:")
                ? new ShellRuntime(python, row.runtime().substring("shell:".length())) : python;
        Map<String, BigDecimal> min = new LinkedHashMap<>();
        min.put("cpu", ResourceSlots.parse("cpu", row.minCpu()));
        min.put("mem", ResourceSlots.parse("mem", row.minMem()));
        Map<String, BigDecimal> max = new LinkedHashMap<>();
        max.put("cpu", row.maxCpu() == null ? capacity.get("cpu") : ResourceSlots.parse("cpu", row.maxCpu()));
        max.put("mem", row.maxMem() == null ? capacity.get("mem") : ResourceSlots.parse("mem", row.maxMem()));
        return Optional.of(new Image(name + ":" + tag, runtime, ResourceSlots.of(min), ResourceSlots.of(max),
                ServiceDef.parseAll(name, row.servicePorts())));
    }
}
