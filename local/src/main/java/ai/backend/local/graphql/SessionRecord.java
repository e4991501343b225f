package ai.backend.local.graphql;

import ai.backend.local.agent.LocalKernel;
import ai.backend.local.agent.ProcessStats;
import ai.backend.local.store.Database.KernelRow;
import graphql.schema.DataFetchingEnvironment;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The value of a {@code ComputeSession} (or {@code ComputeWorker}/{@code Computation}) object: a kernel
 * row plus, for a live session, its process. Fields resolve as the 19.03 manager's
 * {@code SessionCommons}: live statistics for RUNNING sessions, zeros for the others.
 *
 * <p>Terminated sessions' final statistics are stored but not readable through {@code KernelRow}; they
 * are reported as 0, as the manager does for a session without recorded figures.
 */
final class SessionRecord implements Typed {
    /** The statuses whose statistics are read live (the manager's LIVE_STATUS). */
    private static final Set<String> LIVE_STATUS = Set.of("BUILDING", "RUNNING");

    private final String typeName;
    private final KernelRow row;
    private final LocalKernel live;
    private ProcessStats stats;

    private SessionRecord(String typeName, KernelRow row, LocalKernel live) {
        this.typeName = typeName;
        this.row = row;
        this.live = live;
    }

    static SessionRecord session(KernelRow row, LocalKernel live) {
        return new SessionRecord("ComputeSession", row, live);
    }

    /**
     * The object the manager returns for {@code compute_session} when no RUNNING session matches: an
     * object whose fields are all null (protocol §7.2 quirk).
     */
    static SessionRecord allNull() {
        return new SessionRecord("ComputeSession", null, null);
    }

    @Override
    public String graphQLTypeName() {
        return typeName;
    }

    KernelRow row() {
        return row;
    }

    /** The default data fetcher of the session types: the field of the source record. */
    static Object fetch(DataFetchingEnvironment env) {
        SessionRecord r = env.getSource();
        return r == null ? null : r.field(env.getFieldDefinition().getName());
    }

    Object field(String name) {
        if (row == null) {
            return null;
        }
        switch (name) {
            case "id":
                return row.id();
            case "sess_id":
                return row.sessId();
            case "role":
                return "master";
            case "image":
            case "lang":
                return row.image();
            case "registry":
                return "local";
            case "access_key":
                return row.accessKey();
            case "tag":
                return row.tag();
            case "status":
                return row.status();
            case "status_info":
                return null; // not readable through KernelRow
            case "created_at":
                return row.createdAt();
            case "terminated_at":
                return row.terminatedAt();
            case "agent":
                return "local";
            case "container_id":
                return null; // sessions are processes, not containers
            case "service_ports":
                if (live == null) {
                    return List.of();
                }
                List<Object> ports = new java.util.ArrayList<>();
                live.image().services().forEach(sv -> ports.add(ai.backend.local.api.KernelApi.servicePort(sv)));
                return ports;
            case "occupied_slots":
                return live != null ? live.slots().toStrings() : Map.of();
            case "occupied_shares":
                return Map.of();
            case "mem_slot":
                // legacy: the memory slot in MiB
                return live != null ? (int) (live.slots().get("mem").longValue() >> 20) : 0;
            case "cpu_slot":
                return live != null ? live.slots().get("cpu").doubleValue() : 0.0;
            case "gpu_slot":
            case "tpu_slot":
                return 0.0;
            case "num_queries":
                return live != null ? live.queryCount() : 0L;
            case "cpu_using":
                return 0.0;
            default:
                return statistic(name);
        }
    }

    private Object statistic(String name) {
        ProcessStats s = LIVE_STATUS.contains(row.status()) ? liveStats() : null;
        if (s == null) {
            return isStatistic(name) ? 0L : null;
        }
        switch (name) {
            case "cpu_used":
                return s.cpuUsedMs();
            case "mem_max_bytes":
                return s.memMaxBytes();
            case "mem_cur_bytes":
                return s.memCurBytes();
            case "io_read_bytes":
                return s.ioReadBytes();
            case "io_write_bytes":
                return s.ioWriteBytes();
            case "net_rx_bytes":
            case "net_tx_bytes":
            case "io_max_scratch_size":
            case "io_cur_scratch_size":
                return 0L;
            default:
                return null;
        }
    }

    private static boolean isStatistic(String name) {
        switch (name) {
            case "cpu_used":
            case "mem_max_bytes":
            case "mem_cur_bytes":
            case "io_read_bytes":
            case "io_write_bytes":
            case "net_rx_bytes":
            case "net_tx_bytes":
            case "io_max_scratch_size":
            case "io_cur_scratch_size":
                return true;
            default:
                return false;
        }
    }

    /** One snapshot per record, so that the fields of one object agree. */
    private synchronized ProcessStats liveStats() {
        if (stats == null && live != null) {
            stats = live.stats();
        }
        return stats;
    }
}
