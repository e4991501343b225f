package ai.backend.client.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of a resource policy to create or change. For an update, null settings are left unchanged; a
 * creation needs every setting but {@code allowedVfolderHosts}.
 *
 * @param defaultForUnspecified {@code LIMITED} or {@code UNLIMITED}: what a slot the policy does not name gets
 * @param totalResourceSlots    a JSON object text, e.g. {@code {"cpu": "4", "mem": "8g"}}
 * @param maxVfolderSize        in KiB, 0 for no limit
 * @param idleTimeout           in seconds
 */
public record ResourcePolicySpec(String defaultForUnspecified, String totalResourceSlots, Integer maxConcurrentSessions,
                                 Integer maxContainersPerSession, Integer maxVfolderCount, Long maxVfolderSize,
                                 Long idleTimeout, List<String> allowedVfolderHosts) {
    public ResourcePolicySpec {
        allowedVfolderHosts = allowedVfolderHosts == null ? null : List.copyOf(allowedVfolderHosts);
    }

    /** The 19.03 CLI's defaults for a new policy. */
    public static ResourcePolicySpec defaults() {
        return new ResourcePolicySpec("UNLIMITED", "{}", 30, 1, 10, 0L, 1800L, List.of("local"));
    }

    /** A builder with every setting unset (for an update), or start from {@link #defaults()} with {@link #toBuilder()}. */
    public static Builder builder() {
        return new Builder(new ResourcePolicySpec(null, null, null, null, null, null, null, null));
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    void requireComplete() {
        List<String> missing = new ArrayList<>();
        toInput().forEach((key, value) -> {
            if (value == null && !key.equals("allowed_vfolder_hosts")) {
                missing.add(key);
            }
        });
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("a new resource policy needs " + String.join(", ", missing));
        }
    }

    Map<String, Object> toInput() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("default_for_unspecified", defaultForUnspecified);
        m.put("total_resource_slots", totalResourceSlots);
        m.put("max_concurrent_sessions", maxConcurrentSessions);
        m.put("max_containers_per_session", maxContainersPerSession);
        m.put("max_vfolder_count", maxVfolderCount);
        m.put("max_vfolder_size", maxVfolderSize);
        m.put("idle_timeout", idleTimeout);
        m.put("allowed_vfolder_hosts", allowedVfolderHosts);
        return m;
    }

    /** Builds a {@link ResourcePolicySpec}. */
    public static final class Builder {
        private String defaultForUnspecified;
        private String totalResourceSlots;
        private Integer maxConcurrentSessions;
        private Integer maxContainersPerSession;
        private Integer maxVfolderCount;
        private Long maxVfolderSize;
        private Long idleTimeout;
        private List<String> allowedVfolderHosts;

        private Builder(ResourcePolicySpec from) {
            defaultForUnspecified = from.defaultForUnspecified;
            totalResourceSlots = from.totalResourceSlots;
            maxConcurrentSessions = from.maxConcurrentSessions;
            maxContainersPerSession = from.maxContainersPerSession;
            maxVfolderCount = from.maxVfolderCount;
            maxVfolderSize = from.maxVfolderSize;
            idleTimeout = from.idleTimeout;
            allowedVfolderHosts = from.allowedVfolderHosts;
        }

        public Builder defaultForUnspecified(String limitedOrUnlimited) {
            defaultForUnspecified = limitedOrUnlimited;
            return this;
        }

        public Builder totalResourceSlots(String jsonObject) {
            totalResourceSlots = jsonObject;
            return this;
        }

        public Builder maxConcurrentSessions(int value) {
            maxConcurrentSessions = value;
            return this;
        }

        public Builder maxContainersPerSession(int value) {
            maxContainersPerSession = value;
            return this;
        }

        public Builder maxVfolderCount(int value) {
            maxVfolderCount = value;
            return this;
        }

        public Builder maxVfolderSize(long kib) {
            maxVfolderSize = kib;
            return this;
        }

        public Builder idleTimeout(long seconds) {
            idleTimeout = seconds;
            return this;
        }

        public Builder allowedVfolderHosts(List<String> hosts) {
            allowedVfolderHosts = hosts;
            return this;
        }

        public ResourcePolicySpec build() {
            return new ResourcePolicySpec(defaultForUnspecified, totalResourceSlots, maxConcurrentSessions,
                    maxContainersPerSession, maxVfolderCount, maxVfolderSize, idleTimeout, allowedVfolderHosts);
        }
    }
}
