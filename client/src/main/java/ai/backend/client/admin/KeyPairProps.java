package ai.backend.client.admin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings of a keypair to create or change ({@code KeyPairInput} / {@code ModifyKeyPairInput}). For an
 * update, null settings are sent as null and left unchanged by the manager; for a creation they take the 19.03
 * CLI's defaults (active, not admin, rate limit 5000), except the resource policy, which is required.
 */
public record KeyPairProps(Boolean isActive, Boolean isAdmin, String resourcePolicy, Integer rateLimit) {
    /** The 19.03 CLI's default rate limit for a new keypair. */
    public static final int DEFAULT_RATE_LIMIT = 5000;

    public static Builder builder() {
        return new Builder();
    }

    Map<String, Object> toInput() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("is_active", isActive);
        m.put("is_admin", isAdmin);
        m.put("resource_policy", resourcePolicy);
        m.put("rate_limit", rateLimit);
        return m;
    }

    /** The input of {@code create_keypair}: defaults filled in; the resource policy must be set. */
    Map<String, Object> toCreationInput() {
        if (resourcePolicy == null || resourcePolicy.isBlank()) {
            throw new IllegalArgumentException("a new keypair needs a resource policy");
        }
        return new KeyPairProps(isActive == null || isActive, isAdmin != null && isAdmin, resourcePolicy,
                rateLimit == null ? DEFAULT_RATE_LIMIT : rateLimit).toInput();
    }

    /** Builds {@link KeyPairProps}; every setting starts unset (null). */
    public static final class Builder {
        private Boolean isActive;
        private Boolean isAdmin;
        private String resourcePolicy;
        private Integer rateLimit;

        private Builder() {
        }

        public Builder active(boolean active) {
            this.isActive = active;
            return this;
        }

        public Builder admin(boolean admin) {
            this.isAdmin = admin;
            return this;
        }

        public Builder resourcePolicy(String name) {
            this.resourcePolicy = name;
            return this;
        }

        public Builder rateLimit(int requestsPer15Minutes) {
            this.rateLimit = requestsPer15Minutes;
            return this;
        }

        public KeyPairProps build() {
            return new KeyPairProps(isActive, isAdmin, resourcePolicy, rateLimit);
        }
    }
}
