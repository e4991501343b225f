package ai.backend.local.graphql;

import ai.backend.local.agent.Agent;
import ai.backend.local.agent.LocalKernel;
import ai.backend.local.agent.ResourceSlots;
import ai.backend.local.store.Database;
import ai.backend.local.store.Database.KernelRow;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.TypeRuntimeWiring;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agents of the admin schema (protocol §7.2): this server is one agent, {@code local}, ALIVE since the
 * server started, whose slots are the machine's capacity and what the live sessions occupy.
 *
 * <ul>
 *   <li>{@code agent(agent_id)}: the agent, or null for another id.</li>
 *   <li>{@code agents(status)}, {@code agent_list(limit, offset, status)}: the agent when the status is null or
 *       ALIVE; an unknown status name is Python's KeyError.</li>
 * </ul>
 */
public final class AgentArea implements SchemaArea {
    static final String ID = "local";
    static final Set<String> AGENT_STATUSES = Set.of("ALIVE", "LOST", "RESTARTING", "TERMINATED");

    private final Database db;
    private final Agent agent;
    private final Instant started;

    public AgentArea(Database db, Agent agent, Instant started) {
        this.db = db;
        this.agent = agent;
        this.started = started;
    }

    @Override
    public List<String> sdl(SchemaRole role) {
        return role == SchemaRole.ADMIN ? List.of("sessions.graphqls", "agents.graphqls", role.rootFieldsResource("agents"))
                : List.of();
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring, SchemaRole role) {
        if (role != SchemaRole.ADMIN) {
            return;
        }
        wiring.type(TypeRuntimeWiring.newTypeWiring("Agent")
                .defaultDataFetcher(TypedMap::fetch)
                .dataFetcher("computations", this::computations));
        Page.wire(wiring, "AgentList");
        wiring.type(TypeRuntimeWiring.newTypeWiring(role.queryType())
                .dataFetcher("agent", env -> ID.equals(env.getArgument("agent_id")) ? agentObject() : null)
                .dataFetcher("agents", env -> agents(status(env)))
                .dataFetcher("agent_list", env -> {
                    int limit = env.<Integer>getArgument("limit");
                    int offset = env.<Integer>getArgument("offset");
                    List<TypedMap> all = agents(status(env));
                    if (limit < 0) {
                        throw new ResolverError("LIMIT must not be negative");
                    }
                    if (offset < 0) {
                        throw new ResolverError("OFFSET must not be negative");
                    }
                    int from = Math.min(offset, all.size());
                    int to = (int) Math.min((long) from + limit, all.size());
                    return new Page("AgentList", all.subList(from, to), all.size());
                }));
    }

    private static String status(DataFetchingEnvironment env) {
        String status = env.getArgument("status");
        if (status != null && !AGENT_STATUSES.contains(status)) {
            throw ResolverError.keyError(status);
        }
        return status;
    }

    private List<TypedMap> agents(String status) {
        return status == null || status.equals("ALIVE") ? List.of(agentObject()) : List.of();
    }

    TypedMap agentObject() {
        ResourceSlots capacity = agent.capacity();
        ResourceSlots used = agent.occupied(null);
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("id", ID);
        a.put("status", "ALIVE");
        a.put("region", "local");
        a.put("available_slots", slots(capacity));
        a.put("occupied_slots", slots(used));
        a.put("addr", "127.0.0.1");
        a.put("first_contact", started);
        a.put("lost_at", null);
        a.put("mem_slots", (int) (capacity.get("mem").longValue() >> 20));
        a.put("cpu_slots", capacity.get("cpu").doubleValue());
        a.put("gpu_slots", capacity.get(ai.backend.local.agent.Accelerators.CUDA_SLOT).doubleValue());
        a.put("tpu_slots", 0.0);
        a.put("used_mem_slots", (int) (used.get("mem").longValue() >> 20));
        a.put("used_cpu_slots", used.get("cpu").doubleValue());
        a.put("used_gpu_slots", used.get(ai.backend.local.agent.Accelerators.CUDA_SLOT).doubleValue());
        a.put("used_tpu_slots", 0.0);
        a.put("cpu_cur_pct", 0.0);
        a.put("mem_cur_bytes", memUsedBytes());
        return new TypedMap("Agent", a);
    }

    /** Slots as the manager's JSON: each of the agent's slot types present (cpu, mem, cuda.device), decimal strings. */
    private Map<String, String> slots(ResourceSlots s) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String slot : agent.slotTypes()) {
            BigDecimal v = s.get(slot);
            m.put(slot, ResourceSlots.isInfinite(v) ? "Infinity" : v.stripTrailingZeros().toPlainString());
        }
        return m;
    }

    /** The machine's memory in use (MemTotal - MemAvailable), or 0.0 when it cannot be read. */
    private static double memUsedBytes() {
        long total = -1;
        long available = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    total = kib(line);
                } else if (line.startsWith("MemAvailable:")) {
                    available = kib(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0.0;
        }
        return total < 0 || available < 0 ? 0.0 : (double) ((total - available) * 1024);
    }

    private static long kib(String line) {
        String v = line.substring(line.indexOf(':') + 1).trim();
        int sp = v.indexOf(' ');
        return Long.parseLong(sp < 0 ? v : v.substring(0, sp));
    }

    /** {@code Agent.computations(status)}: the sessions of this agent in {@code status} (null: every status). */
    private List<SessionRecord> computations(DataFetchingEnvironment env) {
        String status = env.getArgument("status");
        if (status != null && !SessionArea.KERNEL_STATUSES.contains(status)) {
            throw ResolverError.keyError(status);
        }
        List<KernelRow> rows;
        try {
            rows = db.kernels(status);
        } catch (SQLException e) {
            throw new ResolverError(e.getMessage());
        }
        Map<String, LocalKernel> live = new HashMap<>();
        for (LocalKernel k : agent.sessions()) {
            live.put(k.id(), k);
        }
        List<SessionRecord> out = new ArrayList<>();
        for (KernelRow row : rows) {
            out.add(SessionRecord.session(row, live.get(row.id())));
        }
        return out;
    }
}
