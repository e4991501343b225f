package ai.backend.client.admin;

import java.util.List;

/**
 * The Agent family of the Python SDK (§4.7): {@code session.agents()}. Each call is one
 * {@code POST /admin/graphql}, blocking up to the connect plus read timeout ({@link #listAll} makes one call per
 * page of 50). Agents are visible to admin keys only; a user key gets a
 * {@link ai.backend.client.BackendAPIError} ({@code graphql-error}). {@code fields} arguments select what is
 * fetched (Python's {@code fields=}).
 */
public final class Agents {
    private final Admin admin;

    public Agents(Admin admin) {
        this.admin = admin;
    }

    /** One page of the agents with {@code status} ({@code ALIVE}, {@code LOST}...; null for any), Python's {@code list_with_limit}. */
    public Page<AgentInfo> list(int limit, int offset, String status) {
        return list(limit, offset, status, AgentCalls.DEFAULT_FIELDS);
    }

    public Page<AgentInfo> list(int limit, int offset, String status, List<String> fields) {
        return admin.run(AgentCalls.list(limit, offset, status, fields));
    }

    /** Every agent with {@code status}, fetched page by page. */
    public List<AgentInfo> listAll(String status) {
        return listAll(status, AgentCalls.DEFAULT_FIELDS);
    }

    public List<AgentInfo> listAll(String status, List<String> fields) {
        return PageCalls.all(offset -> list(PageCalls.PAGE_SIZE, offset, status, fields));
    }

    /** One agent by ID; null when there is none. */
    public AgentInfo info(String agentId) {
        return info(agentId, AgentCalls.DEFAULT_FIELDS);
    }

    public AgentInfo info(String agentId, List<String> fields) {
        return admin.run(AgentCalls.info(agentId, fields));
    }
}
