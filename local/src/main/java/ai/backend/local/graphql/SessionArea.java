package ai.backend.local.graphql;

import ai.backend.local.agent.Agent;
import ai.backend.local.agent.LocalKernel;
import ai.backend.local.store.Database;
import ai.backend.local.store.Database.KernelRow;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.TypeRuntimeWiring;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compute sessions (protocol §7.2): {@code compute_session_list}, {@code compute_sessions} and
 * {@code compute_session}, with the 19.03 manager's argument semantics.
 *
 * <ul>
 *   <li>{@code compute_session_list(limit, offset, access_key, status)}: newest first; a null status means
 *       every status; for users a null access_key means their own, a foreign one is an error.</li>
 *   <li>{@code compute_sessions}: at most 100, newest first. Admins: with an access_key, that key's sessions
 *       in any status unless one is given; without, every key's sessions in {@code status} (default
 *       RUNNING). Users: their own sessions, in any status unless one is given.</li>
 *   <li>{@code compute_session(sess_id)}: the RUNNING session of that name (users: their own; admins: any
 *       owner's), else an object whose fields are all null.</li>
 * </ul>
 * An unknown status name is a resolver error printed as Python's KeyError ({@code 'FOO'}).
 */
public final class SessionArea implements SchemaArea {
    /** The manager's KernelStatus names. */
    static final Set<String> KERNEL_STATUSES = Set.of("PREPARING", "BUILDING", "RUNNING", "RESTARTING", "RESIZING",
            "SUSPENDED", "TERMINATING", "TERMINATED", "ERROR");
    static final int MAX_SESSIONS = 100;
    static final String FOREIGN_KEY_MESSAGE = "You can only request session list for the current access key being used.";

    private final Database db;
    private final Agent agent;

    public SessionArea(Database db, Agent agent) {
        this.db = db;
        this.agent = agent;
    }

    @Override
    public List<String> sdl(SchemaRole role) {
        return List.of("sessions.graphqls", role.rootFieldsResource("sessions"));
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring, SchemaRole role) {
        wiring.type(TypeRuntimeWiring.newTypeWiring("ComputeSession")
                .defaultDataFetcher(SessionRecord::fetch)
                .dataFetcher("workers", this::workers));
        wiring.type(TypeRuntimeWiring.newTypeWiring("ComputeWorker").defaultDataFetcher(SessionRecord::fetch));
        wiring.type(TypeRuntimeWiring.newTypeWiring("Computation").defaultDataFetcher(SessionRecord::fetch));
        Page.wire(wiring, "ComputeSessionList");
        if (role == SchemaRole.ADMIN) {
            wiring.type(TypeRuntimeWiring.newTypeWiring(role.queryType())
                    .dataFetcher("compute_session_list", env -> sessionList(env, env.getArgument("access_key")))
                    .dataFetcher("compute_sessions", this::adminSessions)
                    .dataFetcher("compute_session", env -> session(env, null))
                    .dataFetcher("compute_workers", this::computeWorkers));
        } else {
            wiring.type(TypeRuntimeWiring.newTypeWiring(role.queryType())
                    .dataFetcher("compute_session_list", this::userSessionList)
                    .dataFetcher("compute_sessions", env -> sessions(env, RequestContext.of(env).accessKey(),
                            status(env)))
                    .dataFetcher("compute_session", env -> session(env, RequestContext.of(env).accessKey()))
                    .dataFetcher("compute_workers", this::computeWorkers));
        }
    }

    // ---- root fields

    private Page userSessionList(DataFetchingEnvironment env) {
        String own = RequestContext.of(env).accessKey();
        String accessKey = env.getArgument("access_key");
        if (accessKey != null && !accessKey.equals(own)) {
            throw ResolverError.backendError("Forbidden operation.", FOREIGN_KEY_MESSAGE);
        }
        return sessionList(env, own);
    }

    private Page sessionList(DataFetchingEnvironment env, String accessKey) {
        String status = status(env);
        int limit = env.<Integer>getArgument("limit");
        int offset = env.<Integer>getArgument("offset");
        List<KernelRow> rows = rows(accessKey, status);
        if (limit < 0) {
            throw new ResolverError("LIMIT must not be negative");
        }
        if (offset < 0) {
            throw new ResolverError("OFFSET must not be negative");
        }
        int from = Math.min(offset, rows.size());
        int to = (int) Math.min((long) from + limit, rows.size());
        return new Page("ComputeSessionList", records(rows.subList(from, to)), rows.size());
    }

    private List<SessionRecord> adminSessions(DataFetchingEnvironment env) {
        String status = status(env);
        String accessKey = env.getArgument("access_key");
        if (accessKey == null && status == null) {
            status = "RUNNING";
        }
        return sessions(env, accessKey, status);
    }

    private List<SessionRecord> sessions(DataFetchingEnvironment env, String accessKey, String status) {
        List<KernelRow> rows = rows(accessKey, status);
        return records(rows.subList(0, Math.min(MAX_SESSIONS, rows.size())));
    }

    private SessionRecord session(DataFetchingEnvironment env, String accessKey) {
        String sessId = env.getArgument("sess_id");
        if (sessId == null) {
            return SessionRecord.allNull();
        }
        for (KernelRow row : rows(accessKey, "RUNNING")) {
            if (row.sessId().equals(sessId)) {
                return records(List.of(row)).get(0);
            }
        }
        return SessionRecord.allNull();
    }

    /**
     * {@code KeyPair.compute_sessions(status)}: the sessions of {@code accessKey} in {@code status} (null: every
     * status), newest first, at most 100.
     */
    List<SessionRecord> sessionsOf(String accessKey, String status) {
        checkStatus(status);
        return sessions(null, accessKey, status);
    }

    /**
     * {@code compute_workers(sess_id, status)}: the worker containers of a session. This server runs
     * single-container sessions, so there are none, as for any single-container session of the manager.
     */
    private List<SessionRecord> computeWorkers(DataFetchingEnvironment env) {
        status(env);
        return List.of();
    }

    /** {@code ComputeSession.workers(status)}: this server runs single-container sessions, so there are none. */
    private List<SessionRecord> workers(DataFetchingEnvironment env) {
        status(env);
        SessionRecord r = env.getSource();
        return r == null || r.row() == null ? null : List.of();
    }

    // ---- data

    /** The {@code status} argument, checked against the manager's status names. */
    private static String status(DataFetchingEnvironment env) {
        return checkStatus(env.getArgument("status"));
    }

    /** {@code status} when it is null or a status name, else the manager's KeyError. */
    static String checkStatus(String status) {
        if (status != null && !KERNEL_STATUSES.contains(status)) {
            throw ResolverError.keyError(status);
        }
        return status;
    }

    /** Kernel rows of {@code accessKey} (null: every key) in {@code status} (null: every status), newest first. */
    private List<KernelRow> rows(String accessKey, String status) {
        List<KernelRow> all;
        try {
            all = db.kernels(status);
        } catch (SQLException e) {
            throw new ResolverError(e.getMessage());
        }
        List<KernelRow> rows = new ArrayList<>(all.size());
        for (KernelRow row : all) {
            if (accessKey == null || accessKey.equals(row.accessKey())) {
                rows.add(row);
            }
        }
        Collections.reverse(rows);
        rows.sort(Comparator.comparing(SessionArea::createdAt).reversed());
        return rows;
    }

    private static Instant createdAt(KernelRow row) {
        try {
            return Scalars.parseDateTime(row.createdAt()).toInstant();
        } catch (DateTimeParseException | NullPointerException e) {
            return Instant.EPOCH;
        }
    }

    private List<SessionRecord> records(List<KernelRow> rows) {
        Map<String, LocalKernel> live = new HashMap<>();
        if (!rows.isEmpty()) {
            for (LocalKernel k : agent.sessions()) {
                live.put(k.id(), k);
            }
        }
        List<SessionRecord> out = new ArrayList<>(rows.size());
        for (KernelRow row : rows) {
            out.add(SessionRecord.session(row, live.get(row.id())));
        }
        return out;
    }
}
