package ai.backend.client.admin;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An agent: where sessions run. Slots are the JSON texts the manager sends ({@code {"cpu": "2", "mem": "..."}});
 * live figures are null when the manager has none. Components not selected are null.
 */
public record AgentInfo(String id, String status, String region, String addr, String firstContact, Double cpuCurPct,
                        Long memCurBytes, String availableSlots, String occupiedSlots, JsonNode raw) {
    static AgentInfo fromJson(JsonNode n) {
        return new AgentInfo(GraphQLCall.text(n, "id"), GraphQLCall.text(n, "status"), GraphQLCall.text(n, "region"),
                GraphQLCall.text(n, "addr"), GraphQLCall.text(n, "first_contact"),
                n.hasNonNull("cpu_cur_pct") ? n.get("cpu_cur_pct").asDouble() : null,
                n.hasNonNull("mem_cur_bytes") ? n.get("mem_cur_bytes").asLong() : null,
                GraphQLCall.text(n, "available_slots"), GraphQLCall.text(n, "occupied_slots"), n);
    }
}
