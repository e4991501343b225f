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
        return new ComputeSessionInfo(KeyPairInfo.text(n, "sess_id"), KeyPairInfo.text(n, "role"),
                KeyPairInfo.text(n, "image"), KeyPairInfo.text(n, "tag"), KeyPairInfo.text(n, "registry"),
                KeyPairInfo.text(n, "access_key"), KeyPairInfo.text(n, "status"), KeyPairInfo.text(n, "status_info"),
                KeyPairInfo.text(n, "created_at"), KeyPairInfo.text(n, "terminated_at"), KeyPairInfo.text(n, "agent"),
                KeyPairInfo.text(n, "occupied_slots"), number(n, "mem_cur_bytes"), number(n, "mem_max_bytes"),
                n.hasNonNull("cpu_using") ? n.get("cpu_using").asDouble() : null, number(n, "num_queries"), n);
    }

    private static Long number(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asLong() : null;
    }
}
