package ai.backend.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Immutable connection settings: endpoint, API version, keys, hash type, vfolder mounts, TLS checking
 * and timeouts. Build one with {@link #builder()} or read it from {@code BACKEND_*} / {@code SORNA_*}
 * environment variables with {@link #fromEnvironment()}.
 *
 * <p>Timeouts: {@link #connectTimeout()} bounds establishing a TCP connection; {@link #readTimeout()}
 * bounds waiting for a response to start (zero means no limit, as in the Python client). Creating a
 * session on a real cluster can take minutes while an image is pulled, so the default read timeout is
 * generous.
 */
public final class APIConfig {
    public static final String DEFAULT_ENDPOINT = "https://api.backend.ai";
    public static final String DEFAULT_VERSION = "v4.20190315";
    public static final String DEFAULT_HASH_TYPE = "sha256";
    public static final String DEFAULT_USER_AGENT = "Backend.AI Client for Java " + Version.CLIENT_VERSION;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofMinutes(10);

    private final URI endpoint;
    private final String version;
    private final String userAgent;
    private final String accessKey;
    private final String secretKey;
    private final String hashType;
    private final List<String> vfolderMounts;
    private final boolean skipSslCertValidation;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    private APIConfig(Builder b) {
        this.endpoint = parseEndpoint(b.endpoint == null ? DEFAULT_ENDPOINT : b.endpoint);
        this.version = b.version == null ? DEFAULT_VERSION : b.version;
        this.userAgent = b.userAgent == null ? DEFAULT_USER_AGENT : b.userAgent;
        this.accessKey = require(b.accessKey, "ACCESS_KEY");
        this.secretKey = require(b.secretKey, "SECRET_KEY");
        this.hashType = (b.hashType == null ? DEFAULT_HASH_TYPE : b.hashType).toLowerCase(Locale.ROOT);
        ai.backend.client.auth.HashType.of(this.hashType); // validates
        this.vfolderMounts = List.copyOf(b.vfolderMounts);
        this.skipSslCertValidation = b.skipSslCertValidation;
        this.connectTimeout = nonNegative(b.connectTimeout, "connectTimeout");
        this.readTimeout = nonNegative(b.readTimeout, "readTimeout");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.endpoint = endpoint.toString();
        b.version = version;
        b.userAgent = userAgent;
        b.accessKey = accessKey;
        b.secretKey = secretKey;
        b.hashType = hashType;
        b.vfolderMounts.addAll(vfolderMounts);
        b.skipSslCertValidation = skipSslCertValidation;
        b.connectTimeout = connectTimeout;
        b.readTimeout = readTimeout;
        return b;
    }

    /** Reads the process environment; see {@link #fromEnvironment(Function)}. */
    public static APIConfig fromEnvironment() {
        return fromEnvironment(System::getenv);
    }

    /**
     * Reads {@code ENDPOINT}, {@code ACCESS_KEY}, {@code SECRET_KEY}, {@code VFOLDER_MOUNTS} and
     * {@code SKIP_SSLCERT_VALIDATION}, each from {@code BACKEND_<KEY>} or else {@code SORNA_<KEY>}, as the
     * Python SDK 19.03 does. The API version and hash type are not read from the environment.
     *
     * @throws BackendClientError naming the variable to set when a key is missing, or when a value is invalid
     */
    public static APIConfig fromEnvironment(Function<String, String> env) {
        return fromEnvironment(env, builder());
    }

    /** Like {@link #fromEnvironment(Function)}, starting from the given builder's explicit values. */
    public static APIConfig fromEnvironment(Function<String, String> env, Builder explicit) {
        Builder b = explicit;
        if (b.endpoint == null) {
            String endpoint = lookup(env, "ENDPOINT");
            b.endpoint = endpoint == null || endpoint.isEmpty() ? DEFAULT_ENDPOINT : endpoint;
        }
        if (b.accessKey == null) {
            b.accessKey = lookup(env, "ACCESS_KEY");
        }
        if (b.secretKey == null) {
            b.secretKey = lookup(env, "SECRET_KEY");
        }
        String mounts = lookup(env, "VFOLDER_MOUNTS");
        if (mounts != null) {
            for (String name : mounts.split(",")) {
                if (!name.isBlank()) {
                    b.vfolderMounts.add(name.trim());
                }
            }
        }
        if (!b.skipSslCertValidation) {
            String skip = lookup(env, "SKIP_SSLCERT_VALIDATION");
            b.skipSslCertValidation = skip != null && parseBoolean(skip, "SKIP_SSLCERT_VALIDATION");
        }
        return b.build();
    }

    /**
     * Returns {@code BACKEND_<key>} if set, else {@code SORNA_<key>}, else null. The key is upper-cased;
     * unprefixed variables are never read.
     */
    public static String lookup(Function<String, String> env, String key) {
        String upper = key.toUpperCase(Locale.ROOT);
        String value = env.apply("BACKEND_" + upper);
        return value != null ? value : env.apply("SORNA_" + upper);
    }

    /**
     * Parses a boolean environment value as the Python SDK does: {@code y, yes, t, true, 1} and
     * {@code n, no, f, false, 0}, case-insensitive; anything else is an error naming the variable.
     */
    public static boolean parseBoolean(String value, String key) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "y": case "yes": case "t": case "true": case "1":
                return true;
            case "n": case "no": case "f": case "false": case "0":
                return false;
            default:
                throw new BackendClientError("Unrecognized value of boolean environment variable BACKEND_"
                        + key + ": '" + value + "' (use yes/no, true/false or 1/0)");
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public String version() {
        return version;
    }

    public String userAgent() {
        return userAgent;
    }

    public String accessKey() {
        return accessKey;
    }

    /** The secret key. Never log it; {@link #toString()} masks it. */
    public String secretKey() {
        return secretKey;
    }

    public String hashType() {
        return hashType;
    }

    /** Vfolder names added to the mounts of every session this configuration creates. */
    public List<String> vfolderMounts() {
        return vfolderMounts;
    }

    public boolean skipSslCertValidation() {
        return skipSslCertValidation;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Zero means no limit. */
    public Duration readTimeout() {
        return readTimeout;
    }

    /** The secret key as {@code backend.ai config} shows it: first 6 and last 10 characters, 24 stars between. */
    public static String maskSecret(String secret) {
        if (secret.length() <= 16) {
            return "*".repeat(24);
        }
        return secret.substring(0, 6) + "*".repeat(24) + secret.substring(secret.length() - 10);
    }

    @Override
    public String toString() {
        return "APIConfig[endpoint=" + endpoint + ", version=" + version + ", accessKey=" + accessKey
                + ", secretKey=" + maskSecret(secretKey) + ", hashType=" + hashType
                + ", vfolderMounts=" + vfolderMounts + ", skipSslCertValidation=" + skipSslCertValidation + "]";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof APIConfig)) {
            return false;
        }
        APIConfig c = (APIConfig) o;
        return endpoint.equals(c.endpoint) && version.equals(c.version) && userAgent.equals(c.userAgent)
                && accessKey.equals(c.accessKey) && secretKey.equals(c.secretKey) && hashType.equals(c.hashType)
                && vfolderMounts.equals(c.vfolderMounts) && skipSslCertValidation == c.skipSslCertValidation
                && connectTimeout.equals(c.connectTimeout) && readTimeout.equals(c.readTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(endpoint, version, accessKey, hashType);
    }

    private static URI parseEndpoint(String value) {
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw new BackendClientError("The API endpoint is not a valid URL: '" + value
                    + "'. Set BACKEND_ENDPOINT to an absolute URL such as https://api.backend.ai", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new BackendClientError("The API endpoint must be an absolute http(s) URL, not '" + value
                    + "'. Set BACKEND_ENDPOINT to a URL such as https://api.backend.ai");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new BackendClientError("The API endpoint must not have a query or fragment: '" + value + "'");
        }
        return uri;
    }

    private static String require(String value, String key) {
        if (value == null || value.isEmpty()) {
            throw new BackendClientError("The " + key.toLowerCase(Locale.ROOT).replace('_', ' ')
                    + " is not configured. Set BACKEND_" + key + " (or SORNA_" + key + ") in the environment.");
        }
        return value;
    }

    private static Duration nonNegative(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative");
        }
        return d;
    }

    /** Builds an {@link APIConfig}; unset fields take the Python SDK's defaults. Not thread-safe. */
    public static final class Builder {
        private String endpoint;
        private String version;
        private String userAgent;
        private String accessKey;
        private String secretKey;
        private String hashType;
        private final Set<String> vfolderMounts = new LinkedHashSet<>();
        private boolean skipSslCertValidation;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;

        private Builder() {
        }

        /** An absolute http(s) URL, optionally with a path prefix. */
        public Builder endpoint(String endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint.toString();
            return this;
        }

        public Builder version(String version) {
            this.version = version;
            return this;
        }

        public Builder userAgent(String userAgent) {
            this.userAgent = userAgent;
            return this;
        }

        public Builder accessKey(String accessKey) {
            this.accessKey = accessKey;
            return this;
        }

        public Builder secretKey(String secretKey) {
            this.secretKey = secretKey;
            return this;
        }

        /** A hash name such as {@code sha256} (default), {@code sha1} or {@code md5}. */
        public Builder hashType(String hashType) {
            this.hashType = hashType;
            return this;
        }

        public Builder vfolderMounts(Collection<String> names) {
            this.vfolderMounts.addAll(new ArrayList<>(names));
            return this;
        }

        public Builder skipSslCertValidation(boolean skip) {
            this.skipSslCertValidation = skip;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** Zero means no limit. */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        /** @throws BackendClientError when a key is missing or the endpoint is not an absolute URL */
        public APIConfig build() {
            return new APIConfig(this);
        }

    }
}
