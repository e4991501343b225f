package ai.backend.client.admin;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The agents a manager runs sessions on; admin keys only. For an {@code AsyncSession} ({@code asyncSession.agents()}): the calls of
 * {@link Agents}, without blocking. Futures complete on an SDK thread, or fail with
 * {@link ai.backend.client.BackendAPIError} or {@link ai.backend.client.BackendClientError} (read timeout
 * included); cancelling one abandons the wait, not the request. Invalid arguments throw at once.
 */
public final class AsyncAgents {
    private final AsyncAdmin admin;

    public AsyncAgents(AsyncAdmin admin) {
        this.admin = admin;
    }

    /** One page of the agents with {@code status} ({@code ALIVE}, {@code LOST}...; null for any), Python's {@code list_with_limit}. */
    public CompletableFuture<Page<AgentInfo>> list(int limit, int offset, String status) {
        return list(limit, offset, status, AgentCalls.DEFAULT_FIELDS);
    }

    public CompletableFuture<Page<AgentInfo>> list(int limit, int offset, String status, List<String> fields) {
        return admin.run(AgentCalls.list(limit, offset, status, fields));
    }

    /** Every agent with {@code status}, fetched page by page. */
    public CompletableFuture<List<AgentInfo>> listAll(String status) {
        return listAll(status, AgentCalls.DEFAULT_FIELDS);
    }

    public CompletableFuture<List<AgentInfo>> listAll(String status, List<String> fields) {
        return PageCalls.allAsync(offset -> list(PageCalls.PAGE_SIZE, offset, status, fields));
    }

    /** One agent by ID; null when there is none. */
    public CompletableFuture<AgentInfo> info(String agentId) {
        return info(agentId, AgentCalls.DEFAULT_FIELDS);
    }

    public CompletableFuture<AgentInfo> info(String agentId, List<String> fields) {
        return admin.run(AgentCalls.info(agentId, fields));
    }
}
