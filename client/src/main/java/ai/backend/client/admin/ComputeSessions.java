package ai.backend.client.admin;

import java.util.List;

/**
 * Compute sessions as the admin API lists them, with the paging that {@code ps} and {@code admin sessions} need:
 * {@code session.computeSessions()}. (The Python SDK reaches these only through {@code Admin.query}.) Each call
 * is one {@code POST /admin/graphql}, blocking up to the connect plus read timeout; {@link #listAll} makes one
 * call per page of 50. A user key sees its own sessions only.
 */
public final class ComputeSessions {
    private final Admin admin;

    public ComputeSessions(Admin admin) {
        this.admin = admin;
    }

    /**
     * One page of sessions.
     *
     * @param status    {@code RUNNING}, {@code TERMINATED}...; null for every status
     * @param accessKey only this key's sessions (admins); null for the caller's (users) or everyone's (admins)
     */
    public Page<ComputeSessionInfo> list(String status, String accessKey, int limit, int offset) {
        return list(status, accessKey, limit, offset, ComputeSessionCalls.DEFAULT_FIELDS);
    }

    public Page<ComputeSessionInfo> list(String status, String accessKey, int limit, int offset, List<String> fields) {
        return admin.run(ComputeSessionCalls.list(status, accessKey, limit, offset, fields));
    }

    /** Every session with {@code status} (null for all), fetched page by page. */
    public List<ComputeSessionInfo> listAll(String status, String accessKey) {
        return listAll(status, accessKey, ComputeSessionCalls.DEFAULT_FIELDS);
    }

    public List<ComputeSessionInfo> listAll(String status, String accessKey, List<String> fields) {
        return PageCalls.all(offset -> list(status, accessKey, PageCalls.PAGE_SIZE, offset, fields));
    }

    /** One running session by its client-side ID; null when none is running (19.03 looks up running sessions only). */
    public ComputeSessionInfo info(String sessId) {
        return info(sessId, ComputeSessionCalls.DEFAULT_FIELDS);
    }

    public ComputeSessionInfo info(String sessId, List<String> fields) {
        return admin.run(ComputeSessionCalls.info(sessId, fields));
    }
}
