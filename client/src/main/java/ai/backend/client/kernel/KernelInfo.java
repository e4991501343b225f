package ai.backend.client.kernel;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What {@code GET /kernel/{sess}} reports (protocol §3.2.2). {@code ageMillis} is a float on the wire;
 * {@code memoryLimitKiB} is the peak memory used in KiB (the manager's misnamed field).
 */
public record KernelInfo(String image, String registry, String tag, double ageMillis, long memoryLimitKiB,
                         long numQueriesExecuted, long memoryUsedKiB, long cpuCreditUsedMs, JsonNode raw) {
    static KernelInfo fromJson(JsonNode n) {
        String image = n.hasNonNull("image") ? n.get("image").asText() : n.path("lang").asText(null);
        return new KernelInfo(image, n.path("registry").asText(null), n.hasNonNull("tag") ? n.get("tag").asText() : null,
                n.path("age").asDouble(), n.path("memoryLimit").asLong(), n.path("numQueriesExecuted").asLong(),
                n.path("memoryUsed").asLong(-1), n.path("cpuCreditUsed").asLong(), n);
    }
}
