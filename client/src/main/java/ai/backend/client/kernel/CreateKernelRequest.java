package ai.backend.client.kernel;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.security.SecureRandom;

/**
 * What to create (or reuse) with {@code getOrCreate}: the image, the client session token that names the
 * session, mounts, environment, resources, cluster size and tag. Immutable; build with {@link #builder(String)}.
 */
public final class CreateKernelRequest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String image;
    private final String clientToken;
    private final List<String> mounts;
    private final Map<String, String> environ;
    private final Map<String, String> resources;
    private final int clusterSize;
    private final String tag;
    private final java.time.Duration execTimeout;

    private CreateKernelRequest(Builder b) {
        this.execTimeout = b.execTimeout;
        this.image = b.image;
        this.clientToken = b.clientToken == null ? randomToken() : b.clientToken;
        this.mounts = List.copyOf(b.mounts);
        this.environ = Map.copyOf(b.environ);
        this.resources = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.resources));
        this.clusterSize = b.clusterSize;
        this.tag = b.tag;
    }

    /** @param image an image name or alias, e.g. {@code python} or {@code python:3.6-ubuntu18.04} */
    public static Builder builder(String image) {
        return new Builder(image);
    }

    /** A random 32-hex-character token, as the Python SDK generates ({@code uuid4().hex}). */
    public static String randomToken() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public String image() {
        return image;
    }

    public String clientToken() {
        return clientToken;
    }

    public List<String> mounts() {
        return mounts;
    }

    public Map<String, String> environ() {
        return environ;
    }

    /** Resource slots as strings, e.g. {@code cpu=2}, {@code mem=4g}. */
    public Map<String, String> resources() {
        return resources;
    }

    public int clusterSize() {
        return clusterSize;
    }

    public String tag() {
        return tag;
    }

    /** The session's execution timeout, or null for the server's default. */
    public java.time.Duration execTimeout() {
        return execTimeout;
    }

    /** Builds a {@link CreateKernelRequest}. Not thread-safe. */
    public static final class Builder {
        private final String image;
        private String clientToken;
        private final List<String> mounts = new ArrayList<>();
        private final Map<String, String> environ = new LinkedHashMap<>();
        private final Map<String, String> resources = new LinkedHashMap<>();
        private int clusterSize = 1;
        private String tag;
        private java.time.Duration execTimeout;

        private Builder(String image) {
            this.image = Objects.requireNonNull(image, "image");
            if (image.isBlank()) {
                throw new IllegalArgumentException("The image name must not be empty");
            }
        }

        /**
         * The session's name: 4 to 64 characters. Without one a random token is used.
         *
         * @throws IllegalArgumentException when the length is out of range
         */
        public Builder clientToken(String token) {
            if (token != null && (token.length() < 4 || token.length() > 64)) {
                throw new IllegalArgumentException("The client session token must be 4 to 64 characters long, not "
                        + token.length() + " ('" + token + "')");
            }
            this.clientToken = token;
            return this;
        }

        public Builder mount(String vfolderName) {
            this.mounts.add(Objects.requireNonNull(vfolderName));
            return this;
        }

        public Builder mounts(List<String> vfolderNames) {
            this.mounts.addAll(vfolderNames);
            return this;
        }

        public Builder env(String name, String value) {
            this.environ.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
            return this;
        }

        public Builder environ(Map<String, String> env) {
            this.environ.putAll(env);
            return this;
        }

        /** A resource slot such as {@code cpu} = {@code 2} or {@code mem} = {@code 4g}. */
        public Builder resource(String slot, String value) {
            this.resources.put(Objects.requireNonNull(slot), Objects.requireNonNull(value));
            return this;
        }

        public Builder resources(Map<String, String> slots) {
            this.resources.putAll(slots);
            return this;
        }

        public Builder clusterSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("The cluster size must be at least 1");
            }
            this.clusterSize = size;
            return this;
        }

        public Builder tag(String tag) {
            this.tag = tag;
            return this;
        }

        /**
         * Runs longer than this end with {@code exec-timeout}. Sent as {@code config.execTimeout} (seconds), an
         * extension of the local server; a real manager ignores it.
         */
        public Builder execTimeout(java.time.Duration timeout) {
            this.execTimeout = timeout;
            return this;
        }

        public CreateKernelRequest build() {
            return new CreateKernelRequest(this);
        }
    }
}
