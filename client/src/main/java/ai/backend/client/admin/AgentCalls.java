package ai.backend.client.admin;

import static ai.backend.client.admin.GraphQLCall.vars;

import java.util.List;

/** The GraphQL documents of the Agent family (protocol §7.3), shared by {@link Agents} and {@link AsyncAgents}. */
final class AgentCalls {
    static final List<String> DEFAULT_FIELDS = List.of("id", "status", "region", "addr", "first_contact", "cpu_cur_pct",
            "mem_cur_bytes", "available_slots", "occupied_slots");

    private AgentCalls() {
    }

    static GraphQLCall<Page<AgentInfo>> list(int limit, int offset, String status, List<String> fields) {
        checkPage(limit, offset);
        return new GraphQLCall<>("query($limit: Int!, $offset: Int!, $status: String) { agent_list(limit: $limit,"
                + " offset: $offset, status: $status) { items { " + GraphQLCall.selection(fields) + " } total_count } }",
                vars("limit", limit, "offset", offset, "status", status), PageCalls.parser("agent_list", AgentInfo::fromJson));
    }

    static GraphQLCall<AgentInfo> info(String agentId, List<String> fields) {
        return new GraphQLCall<>("query($agent_id: String!) { agent(agent_id: $agent_id) { "
                + GraphQLCall.selection(fields) + " } }", vars("agent_id", KeyPairCalls.requireText(agentId, "agent ID")),
                d -> GraphQLCall.object(d, "agent", AgentInfo::fromJson));
    }

    static void checkPage(int limit, int offset) {
        if (limit < 1 || offset < 0) {
            throw new IllegalArgumentException("limit must be positive and offset not negative, not " + limit + ", " + offset);
        }
    }
}
