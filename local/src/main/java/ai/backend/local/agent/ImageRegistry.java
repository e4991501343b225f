package ai.backend.local.agent;

import java.util.Locale;
import java.util.Optional;

/**
 * Maps image references to runtimes: {@code python}, {@code python:<tag>}, and the same with a registry or
 * {@code lablup/} prefix ({@code index.docker.io/lablup/python:3.6-ubuntu18.04}) all run on the Python runtime.
 */
public final class ImageRegistry {
    private final Runtime python;

    public ImageRegistry(Runtime python) {
        this.python = python;
    }

    /** The image a reference names, or empty when this server does not know it. */
    public Optional<Image> resolve(String reference) {
        if (reference == null || reference.isBlank()) {
            return Optional.empty();
        }
        String ref = reference.trim().toLowerCase(Locale.ROOT);
        String tag = "latest";
        int slash = ref.lastIndexOf('/');
        int colon = ref.lastIndexOf(':');
        if (colon > slash) {
            tag = ref.substring(colon + 1);
            ref = ref.substring(0, colon);
        }
        String name = slash >= 0 ? ref.substring(ref.lastIndexOf('/') + 1) : ref;
        String namespace = slash >= 0 ? ref.substring(0, slash) : "";
        if (!(namespace.isEmpty() || namespace.equals("lablup") || namespace.endsWith("/lablup"))) {
            return Optional.empty();
        }
        if (tag.isEmpty() || !tag.matches("[a-z0-9][a-z0-9._-]*")) {
            return Optional.empty();
        }
        if (name.equals("python")) {
            return Optional.of(new Image("python:" + tag, python));
        }
        return Optional.empty();
    }
}
