package ai.backend.client.admin;

import static ai.backend.client.admin.GraphQLCall.vars;

import java.util.List;

/** The compute-session documents that {@code ps} and {@code admin sessions}/{@code session} send (protocol §7.3). */
final class ComputeSessionCalls {
    /** What {@code admin sessions} shows, for admins (users may not select access_key on other keys' rows). */
    static final List<String> DEFAULT_FIELDS = List.of("sess_id", "role", "image", "tag", "registry", "access_key",
            "status", "status_info", "created_at", "terminated_at", "agent", "occupied_slots", "mem_cur_bytes",
            "mem_max_bytes", "cpu_using", "num_queries");

    private ComputeSessionCalls() {
    }

    static GraphQLCall<Page<ComputeSessionInfo>> list(String status, String accessKey, int limit, int offset,
                                                      List<String> fields) {
        AgentCalls.checkPage(limit, offset);
        return new GraphQLCall<>("query($limit:Int!, $offset:Int!, $ak:String, $status:String) {"
                + " compute_session_list(limit:$limit, offset:$offset, access_key:$ak, status:$status) { items { "
                + GraphQLCall.selection(fields) + " } total_count } }",
                vars("limit", limit, "offset", offset, "status", status, "ak", accessKey),
                PageCalls.parser("compute_session_list", ComputeSessionInfo::fromJson));
    }

    static GraphQLCall<ComputeSessionInfo> info(String sessId, List<String> fields) {
        return new GraphQLCall<>("query($sess_id:String) { compute_session(sess_id:$sess_id) { "
                + GraphQLCall.selection(fields) + " } }", vars("sess_id", KeyPairCalls.requireText(sessId, "session ID")),
                d -> GraphQLCall.object(d, "compute_session", ComputeSessionInfo::fromJson));
    }
}
