package ai.backend.client.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A keypair resource policy. {@code totalResourceSlots} is the JSON text the manager stores, e.g.
 * {@code {"cpu": "4", "mem": "8g"}}. Components not selected are null, or -1 for numbers.
 */
public record ResourcePolicyInfo(String name, String createdAt, String defaultForUnspecified, String totalResourceSlots,
                                 int maxConcurrentSessions, int maxContainersPerSession, int maxVfolderCount,
                                 long maxVfolderSize, long idleTimeout, List<String> allowedVfolderHosts, JsonNode raw) {
    static ResourcePolicyInfo fromJson(JsonNode n) {
        List<String> hosts = new ArrayList<>();
        n.path("allowed_vfolder_hosts").forEach(h -> hosts.add(h.asText()));
        return new ResourcePolicyInfo(GraphQLCall.text(n, "name"), GraphQLCall.text(n, "created_at"),
                GraphQLCall.text(n, "default_for_unspecified"), GraphQLCall.text(n, "total_resource_slots"),
                n.path("max_concurrent_sessions").asInt(-1), n.path("max_containers_per_session").asInt(-1),
                n.path("max_vfolder_count").asInt(-1), n.path("max_vfolder_size").asLong(-1), n.path("idle_timeout").asLong(-1),
                List.copyOf(hosts), n);
    }
}
