package ai.backend.client.admin;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Compute sessions as the admin API lists them, with paging. For an {@code AsyncSession} ({@code asyncSession.computeSessions()}): the calls of
 * {@link ComputeSessions}, without blocking. Futures complete on an SDK thread, or fail with
 * {@link ai.backend.client.BackendAPIError} or {@link ai.backend.client.BackendClientError} (read timeout
 * included); cancelling one abandons the wait, not the request. Invalid arguments throw at once.
 */
public final class AsyncComputeSessions {
    private final AsyncAdmin admin;

    public AsyncComputeSessions(AsyncAdmin admin) {
        this.admin = admin;
    }

    /**
     * One page of sessions.
     *
     * @param status    {@code RUNNING}, {@code TERMINATED}...; null for every status
     * @param accessKey only this key's sessions (admins); null for the caller's (users) or everyone's (admins)
     */
    public CompletableFuture<Page<ComputeSessionInfo>> list(String status, String accessKey, int limit, int offset) {
        return list(status, accessKey, limit, offset, ComputeSessionCalls.DEFAULT_FIELDS);
    }

    public CompletableFuture<Page<ComputeSessionInfo>> list(String status, String accessKey, int limit, int offset, List<String> fields) {
        return admin.run(ComputeSessionCalls.list(status, accessKey, limit, offset, fields));
    }

    /** Every session with {@code status} (null for all), fetched page by page. */
    public CompletableFuture<List<ComputeSessionInfo>> listAll(String status, String accessKey) {
        return listAll(status, accessKey, ComputeSessionCalls.DEFAULT_FIELDS);
    }

    public CompletableFuture<List<ComputeSessionInfo>> listAll(String status, String accessKey, List<String> fields) {
        return PageCalls.allAsync(offset -> list(status, accessKey, PageCalls.PAGE_SIZE, offset, fields));
    }

    /** One running session by its client-side ID; null when none is running (19.03 looks up running sessions only). */
    public CompletableFuture<ComputeSessionInfo> info(String sessId) {
        return info(sessId, ComputeSessionCalls.DEFAULT_FIELDS);
    }

    public CompletableFuture<ComputeSessionInfo> info(String sessId, List<String> fields) {
        return admin.run(ComputeSessionCalls.info(sessId, fields));
    }
}
