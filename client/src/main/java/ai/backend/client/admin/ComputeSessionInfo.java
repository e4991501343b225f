package ai.backend.client.admin;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A compute session as the admin API lists it ({@code compute_session(s)}, {@code compute_session_list}).
 * {@code occupiedSlots} is the manager's JSON text. Components not selected are null.
 */
public record ComputeSessionInfo(String sessId, String role, String image, String tag, String registry, String accessKey,
                                 String status, String statusInfo, String createdAt, String terminatedAt, String agent,
                                 String occupiedSlots, Long memCurBytes, Long memMaxBytes, Double cpuUsing,
                                 Long numQueries, JsonNode raw) {
    static ComputeSessionInfo fromJson(JsonNode n) {
        return new ComputeSessionInfo(GraphQLCall.text(n, "sess_id"), GraphQLCall.text(n, "role"),
                GraphQLCall.text(n, "image"), GraphQLCall.text(n, "tag"), GraphQLCall.text(n, "registry"),
                GraphQLCall.text(n, "access_key"), GraphQLCall.text(n, "status"), GraphQLCall.text(n, "status_info"),
                GraphQLCall.text(n, "created_at"), GraphQLCall.text(n, "terminated_at"), GraphQLCall.text(n, "agent"),
                GraphQLCall.text(n, "occupied_slots"), number(n, "mem_cur_bytes"), number(n, "mem_max_bytes"),
                n.hasNonNull("cpu_using") ? n.get("cpu_using").asDouble() : null, number(n, "num_queries"), n);
    }

    private static Long number(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asLong() : null;
    }
}
