package ai.backend.client.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of a resource policy to create or change. For an update, null fields are left unchanged.
 *
 * @param defaultForUnspecified {@code LIMITED} or {@code UNLIMITED}
 * @param totalResourceSlots    a JSON object text, e.g. {@code {"cpu": "4"}}
 */
public record ResourcePolicySpec(String defaultForUnspecified, String totalResourceSlots, Integer maxConcurrentSessions,
                                 Integer maxContainersPerSession, Integer maxVfolderCount, Long maxVfolderSize,
                                 Long idleTimeout, List<String> allowedVfolderHosts) {
    /** The 19.03 CLI's defaults for a new policy. */
    public static ResourcePolicySpec defaults() {
        return new ResourcePolicySpec("UNLIMITED", "{}", 30, 1, 10, 0L, 1800L, List.of("local"));
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
}
