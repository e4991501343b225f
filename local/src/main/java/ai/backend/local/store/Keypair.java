package ai.backend.local.store;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * An access key, its secret and flags. {@link #toString()} never shows the secret.
 */
public record Keypair(String accessKey, String secretKey, String userId, boolean active, boolean admin,
                      String resourcePolicy, int rateLimit) {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    /** A new keypair generated as the manager does: {@code AKIA} + base32 of 10 random bytes, a 40-char secret. */
    public static Keypair generate(String userId, boolean admin) {
        byte[] ak = new byte[10];
        RANDOM.nextBytes(ak);
        byte[] sk = new byte[30];
        RANDOM.nextBytes(sk);
        return new Keypair("AKIA" + base32(ak), Base64.getUrlEncoder().withoutPadding().encodeToString(sk),
                userId, true, admin, "default", admin ? 30000 : 3000);
    }

    public Keypair withActive(boolean isActive) {
        return new Keypair(accessKey, secretKey, userId, isActive, admin, resourcePolicy, rateLimit);
    }

    static String base32(byte[] data) {
        StringBuilder sb = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(BASE32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(BASE32[(buffer << (5 - bits)) & 31]);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "Keypair[" + accessKey + (admin ? ", admin" : "") + (active ? "" : ", inactive") + "]";
    }
}
