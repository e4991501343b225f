package ai.backend.client.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A keypair resource policy. {@code totalResourceSlots} is the JSON text the manager stores, e.g.
 * {@code {"cpu": "4", "mem": "8g"}}.
 */
public record ResourcePolicyInfo(String name, String createdAt, String defaultForUnspecified, String totalResourceSlots,
                                 int maxConcurrentSessions, int maxContainersPerSession, int maxVfolderCount,
                                 long maxVfolderSize, long idleTimeout, List<String> allowedVfolderHosts, JsonNode raw) {
    static final String FIELDS = "name created_at default_for_unspecified total_resource_slots max_concurrent_sessions"
            + " max_containers_per_session max_vfolder_count max_vfolder_size idle_timeout allowed_vfolder_hosts";

    static ResourcePolicyInfo fromJson(JsonNode n) {
        List<String> hosts = new ArrayList<>();
        n.path("allowed_vfolder_hosts").forEach(h -> hosts.add(h.asText()));
        return new ResourcePolicyInfo(KeyPairInfo.text(n, "name"), KeyPairInfo.text(n, "created_at"),
                KeyPairInfo.text(n, "default_for_unspecified"), KeyPairInfo.text(n, "total_resource_slots"),
                n.path("max_concurrent_sessions").asInt(), n.path("max_containers_per_session").asInt(),
                n.path("max_vfolder_count").asInt(), n.path("max_vfolder_size").asLong(), n.path("idle_timeout").asLong(),
                List.copyOf(hosts), n);
    }
}
