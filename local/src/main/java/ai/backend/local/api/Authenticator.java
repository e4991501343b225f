package ai.backend.local.api;

import ai.backend.client.auth.HashType;
import ai.backend.client.auth.RequestSigner;
import ai.backend.local.store.Database;
import ai.backend.local.store.Keypair;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies signed requests as the 19.03 manager's auth middleware does (protocol §2.4): the date window,
 * the Authorization header's form, the key, then the signature. Thread-safe.
 */
public final class Authenticator {
    /** The allowed clock skew, inclusive. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(15);

    private final Database db;
    private final Clock clock;

    public Authenticator(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** What the verifier needs from a request; {@code contentType} is the parsed media type or null. */
    public record SignedRequest(String method, String rawPathAndQuery, String host, String contentType,
                                Map<String, String> headers, byte[] body) {
        String header(String name) {
            for (Map.Entry<String, String> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return null;
        }
    }

    /**
     * Authenticates a request.
     *
     * @return the verified keypair
     * @throws Problem 400 {@code invalid-auth-params} for date or header problems, 401 {@code auth-failed}
     *                 for a missing header, unknown or inactive key, or a wrong signature
     */
    public Keypair authenticate(SignedRequest req) {
        String dateHeader = req.header("Date");
        if (dateHeader == null) {
            dateHeader = req.header("X-BackendAI-Date");
        }
        if (dateHeader == null) {
            dateHeader = req.header("X-Sorna-Date");
        }
        OffsetDateTime date = DateHeaders.parse(dateHeader);
        if (date == null) {
            throw Problem.invalidAuthParams("Date/time sync error");
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (Duration.between(date, now).abs().compareTo(MAX_SKEW) > 0) {
            throw Problem.invalidAuthParams("Date/time sync error");
        }
        String authorization = req.header("Authorization");
        if (authorization == null) {
            throw Problem.authFailed(null);
        }
        int space = authorization.indexOf(' ');
        if (space < 0) {
            throw Problem.invalidAuthParams("Malformed authorization header");
        }
        String scheme = authorization.substring(0, space);
        if (!scheme.equals("BackendAI") && !scheme.equals("Sorna")) {
            throw Problem.invalidAuthParams("Invalid authorization type name");
        }
        Map<String, String> params = new HashMap<>();
        for (String item : authorization.substring(space + 1).split(",")) {
            int eq = item.indexOf('=');
            if (eq < 0) {
                throw Problem.invalidAuthParams("Missing or malformed authorization parameters");
            }
            params.put(item.substring(0, eq).trim(), item.substring(eq + 1).trim());
        }
        String signMethod = params.get("signMethod");
        String credential = params.get("credential");
        if (signMethod == null || credential == null || credential.indexOf(':') < 0) {
            throw Problem.invalidAuthParams("Missing or malformed authorization parameters");
        }
        String[] method = signMethod.split("-", -1);
        if (method.length != 2) {
            throw Problem.authFailed("Invalid signature");
        }
        if (!method[0].equalsIgnoreCase("hmac")) {
            throw Problem.invalidAuthParams("Unsupported request signing method (MAC type)");
        }
        HashType hash = HashType.find(method[1].toLowerCase(Locale.ROOT));
        if (hash == null) {
            throw Problem.invalidAuthParams("Unsupported request signing method (hash type)");
        }
        String versionHeaderName = "x-backendai-version";
        String version = req.header("X-BackendAI-Version");
        if (version == null) {
            version = req.header("X-Sorna-Version");
            versionHeaderName = "x-sorna-version";
        }
        if (version == null) {
            throw Problem.invalidAuthParams("API version missing in request headers");
        }
        int colon = credential.indexOf(':');
        String accessKey = credential.substring(0, colon);
        String signature = credential.substring(colon + 1);
        Optional<Keypair> keypair;
        try {
            keypair = db.findKeypair(accessKey);
        } catch (SQLException e) {
            throw Problem.internal(null);
        }
        if (keypair.isEmpty() || !keypair.get().active()) {
            throw Problem.authFailed("Access key not found");
        }
        String contentType = req.contentType() == null || req.contentType().isEmpty()
                ? "application/octet-stream" : req.contentType();
        RequestSigner.Input input = new RequestSigner.Input(req.method(), req.rawPathAndQuery(), dateHeader,
                date.toLocalDate(), req.host() == null ? "" : req.host(), contentType, version, versionHeaderName, req.body());
        String expected = RequestSigner.signature(hash, keypair.get().secretKey(), input);
        if (!RequestSigner.matches(expected, signature)) {
            throw Problem.authFailed(null);
        }
        try {
            db.touchKeypair(accessKey);
        } catch (SQLException e) {
            throw Problem.internal(null);
        }
        return keypair.get();
    }
}
