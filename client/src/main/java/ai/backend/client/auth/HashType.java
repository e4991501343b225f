package ai.backend.client.auth;

import ai.backend.client.BackendClientError;
import java.util.Locale;
import java.util.Map;

/**
 * A hash algorithm usable for request signing, named as Python's {@code hashlib} names it
 * ({@code sha256}, {@code sha1}, {@code md5}, ...), with its JDK HMAC and digest algorithm names.
 */
public record HashType(String pythonName, String hmacAlgorithm, String digestAlgorithm) {
    private static final Map<String, HashType> KNOWN = Map.of(
            "md5", new HashType("md5", "HmacMD5", "MD5"),
            "sha1", new HashType("sha1", "HmacSHA1", "SHA-1"),
            "sha224", new HashType("sha224", "HmacSHA224", "SHA-224"),
            "sha256", new HashType("sha256", "HmacSHA256", "SHA-256"),
            "sha384", new HashType("sha384", "HmacSHA384", "SHA-384"),
            "sha512", new HashType("sha512", "HmacSHA512", "SHA-512"),
            "sha3_224", new HashType("sha3_224", "HmacSHA3-224", "SHA3-224"),
            "sha3_256", new HashType("sha3_256", "HmacSHA3-256", "SHA3-256"),
            "sha3_384", new HashType("sha3_384", "HmacSHA3-384", "SHA3-384"),
            "sha3_512", new HashType("sha3_512", "HmacSHA3-512", "SHA3-512"));

    /**
     * Looks a hash up by its Python name, case-insensitively.
     *
     * @throws BackendClientError for a name the JDK cannot compute (for example {@code blake2b})
     */
    public static HashType of(String name) {
        HashType type = name == null ? null : KNOWN.get(name.toLowerCase(Locale.ROOT));
        if (type == null) {
            throw new BackendClientError("Unsupported signing hash type: '" + name
                    + "' (use one of md5, sha1, sha224, sha256, sha384, sha512, sha3_224, sha3_256, sha3_384, sha3_512)");
        }
        return type;
    }

    /** Like {@link #of(String)} but returns null for an unknown name. */
    public static HashType find(String name) {
        return name == null ? null : KNOWN.get(name.toLowerCase(Locale.ROOT));
    }

    /** The name as it appears in {@code signMethod=HMAC-<NAME>}: the Python name upper-cased. */
    public String signMethodName() {
        return pythonName.toUpperCase(Locale.ROOT);
    }
}
