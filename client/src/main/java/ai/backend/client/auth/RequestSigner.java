package ai.backend.client.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Backend.AI HMAC request signature (protocol §2), shared by the SDK, which signs, and the local
 * server, which verifies. Stateless and thread-safe.
 */
public final class RequestSigner {
    /** The first API version whose signature no longer hashes the body. */
    public static final String BODYLESS_SIGNATURE_SINCE = "v4.20181215";

    private static final DateTimeFormatter ISO_MICROS = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.MICRO_OF_SECOND, 6, 6, true).optionalEnd()
            .appendOffset("+HH:MM", "+00:00")
            .toFormatter(Locale.ROOT);

    private RequestSigner() {
    }

    /** What goes into one signature. {@code contentType} is the bare, lower-case media type. */
    public record Input(String method, String relUrl, String dateHeader, LocalDate keyDate, String host,
                        String contentType, String apiVersion, String versionHeaderName, byte[] body) {
        /** The usual input: {@code X-BackendAI-Version}, key date taken from an ISO-8601 date header. */
        public static Input of(String method, String relUrl, String dateHeader, String host,
                               String contentType, String apiVersion, byte[] body) {
            return new Input(method, relUrl, dateHeader, isoKeyDate(dateHeader), host, contentType,
                    apiVersion, "x-backendai-version", body);
        }
    }

    /** Formats a date as Python's {@code datetime.isoformat()} does (fraction only when non-zero). */
    public static String formatDate(OffsetDateTime time) {
        OffsetDateTime micros = time.withNano(time.getNano() / 1000 * 1000);
        if (micros.getNano() == 0) {
            return micros.format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx", Locale.ROOT));
        }
        return micros.format(ISO_MICROS);
    }

    /** The current UTC time formatted for the {@code Date} header. */
    public static String now() {
        return formatDate(OffsetDateTime.now(ZoneOffset.UTC));
    }

    /** The calendar date of an ISO-8601 date string in the offset written in it (vector V6). */
    public static LocalDate isoKeyDate(String dateHeader) {
        return OffsetDateTime.parse(dateHeader).toLocalDate();
    }

    /** The body hash line: the hex digest of the body for old API versions, of nothing otherwise. */
    public static String bodyHash(HashType hash, String apiVersion, String contentType, byte[] body) {
        boolean hashBody = apiVersion.compareTo(BODYLESS_SIGNATURE_SINCE) < 0
                && !contentType.startsWith("multipart/") && body != null;
        byte[] hashed = hashBody ? body : new byte[0];
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(hash.digestAlgorithm()).digest(hashed));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The seven-line string to sign of protocol §2.3. */
    public static String stringToSign(HashType hash, Input in) {
        return in.method().toUpperCase(Locale.ROOT) + "\n"
                + in.relUrl() + "\n"
                + in.dateHeader() + "\n"
                + "host:" + in.host() + "\n"
                + "content-type:" + in.contentType().toLowerCase(Locale.ROOT) + "\n"
                + in.versionHeaderName() + ":" + in.apiVersion() + "\n"
                + bodyHash(hash, in.apiVersion(), in.contentType(), in.body());
    }

    /** The signing key: HMAC(HMAC(secret, YYYYMMDD), host). */
    public static byte[] signingKey(HashType hash, String secretKey, LocalDate keyDate, String host) {
        String ymd = String.format(Locale.ROOT, "%04d%02d%02d",
                keyDate.getYear(), keyDate.getMonthValue(), keyDate.getDayOfMonth());
        byte[] k1 = hmac(hash, secretKey.getBytes(StandardCharsets.UTF_8), ymd.getBytes(StandardCharsets.US_ASCII));
        return hmac(hash, k1, host.getBytes(StandardCharsets.UTF_8));
    }

    /** The lower-case hex signature. */
    public static String signature(HashType hash, String secretKey, Input in) {
        byte[] key = signingKey(hash, secretKey, in.keyDate(), in.host());
        return HexFormat.of().formatHex(hmac(hash, key, stringToSign(hash, in).getBytes(StandardCharsets.UTF_8)));
    }

    /** The full {@code Authorization} header value. */
    public static String authorization(HashType hash, String accessKey, String secretKey, Input in) {
        return "BackendAI signMethod=HMAC-" + hash.signMethodName() + ", credential=" + accessKey + ":"
                + signature(hash, secretKey, in);
    }

    /** Compares two signatures in constant time. */
    public static boolean matches(String expected, String actual) {
        if (expected == null || actual == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] hmac(HashType hash, byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance(hash.hmacAlgorithm());
            mac.init(new SecretKeySpec(key, hash.hmacAlgorithm()));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC " + hash.hmacAlgorithm() + " is not available", e);
        }
    }
}
