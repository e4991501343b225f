package ai.backend.local.api;

import ai.backend.client.internal.Json;
import ai.backend.local.agent.Agent;
import ai.backend.local.agent.LocalKernel;
import ai.backend.local.agent.ResourceSlots;
import ai.backend.local.store.Database;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The manager's status (protocol §3.1: running or frozen; frozen blocks the endpoints that create or
 * change sessions and folders, §1.4), the known resource slots, and the resource presets (§3.4).
 */
public final class ManagerApi {
    /** The statuses the manager knows. */
    private static final Set<String> STATUSES = Set.of("terminated", "preparing", "running", "frozen");

    private final Agent agent;
    private final Database db;
    private volatile String status = "running";

    public ManagerApi(Agent agent, Database db) {
        this.agent = agent;
        this.db = db;
    }

    /** {@code GET /manager/status} (anonymous). */
    public void status(ApiContext api) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", status);
        out.put("active_sessions", agent.sessions().size());
        api.json(200, out);
    }

    /** {@code PUT /manager/status} (admin): freeze, with {@code force_kill} ending every session, or unfreeze. */
    public void setStatus(ApiContext api) {
        if (!api.isAdmin()) {
            throw Problem.authFailed(null);
        }
        JsonNode body;
        try {
            body = Json.parse(api.ctx().bodyAsBytes());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            throw Problem.invalidApiParams("No request body!");
        }
        String requested = body.path("status").asText("");
        if (requested.isEmpty()) {
            throw Problem.invalidApiParams("status is missing or empty!");
        }
        if (!STATUSES.contains(requested)) {
            throw Problem.invalidApiParams("'" + requested + "' is not a valid ManagerStatus");
        }
        if (body.path("force_kill").asBoolean(false)) {
            for (LocalKernel k : agent.sessions()) {
                agent.destroy(k, "force-killed");
            }
        }
        status = requested;
        api.empty(204);
    }

    /**
     * Refuses, while frozen, the requests that create or change sessions and folders (the manager's
     * ALL_ALLOWED endpoints): 503 {@code server-frozen}.
     */
    void gate(Context ctx) {
        if (!status.equals("frozen")) {
            return;
        }
        String method = ctx.method().name().toUpperCase(Locale.ROOT);
        String path = ctx.path();
        boolean write = method.equals("POST") && (path.equals("/kernel/create") || path.equals("/kernel")
                || path.equals("/folders") || path.matches("/folders/[^/]+/(rename|invite)")
                || path.equals("/folders/invitations/accept"))
                || method.equals("DELETE") && (path.matches("/folders/[^/_][^/]*") || path.equals("/folders/invitations/delete"));
        if (write) {
            throw Problem.withData(503, "server-frozen", "The server is frozen due to maintenance. Please try again later.", null);
        }
    }

    /** {@code GET /etcd/resource-slots} (anonymous): the known slot types and their units. */
    public void resourceSlots(ApiContext api) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String slot : agent.slotTypes()) {
            out.put(slot, ResourceSlots.UNITS.get(slot));
        }
        api.json(200, out);
    }

    /** {@code GET /resource/presets}: every preset, values as strings. */
    public void presets(ApiContext api) throws SQLException, IOException {
        List<Map<String, Object>> presets = new ArrayList<>();
        for (Database.ResourcePreset p : db.resourcePresets()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", p.name());
            item.put("resource_slots", slots(p));
            presets.add(item);
        }
        api.json(200, Map.of("presets", presets));
    }

    private Map<String, String> slots(Database.ResourcePreset p) throws IOException {
        Map<String, String> slots = new LinkedHashMap<>();
        JsonNode node = Json.parse(p.resourceSlots());
        for (String slot : agent.slotTypes()) {
            if (node.hasNonNull(slot)) {
                slots.put(slot, node.get(slot).asText());
            }
        }
        return slots;
    }

    /** {@code POST /resource/check-presets}: what the keypair and the machine can still allocate. */
    public void checkPresets(ApiContext api) throws SQLException, IOException {
        String ak = api.keypair().accessKey();
        Database.ResourcePolicy policy = db.resourcePolicy(api.keypair().resourcePolicy()).orElseThrow(() ->
                Problem.internal("The keypair's resource policy does not exist."));
        ResourceSlots limits = KernelApi.policyTotal(policy, agent.slotTypes());
        ResourceSlots using = agent.occupied(ak);
        ResourceSlots capacity = agent.capacity();
        ResourceSlots all = agent.occupied(null);
        Map<String, String> keypairRemaining = new LinkedHashMap<>();
        Map<String, String> machineRemaining = new LinkedHashMap<>();
        for (String slot : agent.slotTypes()) {
            keypairRemaining.put(slot, text(limits.get(slot).subtract(using.get(slot)), limits.get(slot)));
            machineRemaining.put(slot, text(capacity.get(slot).subtract(all.get(slot)), capacity.get(slot)));
        }
        List<Map<String, Object>> presets = new ArrayList<>();
        for (Database.ResourcePreset p : db.resourcePresets()) {
            Map<String, String> slots = slots(p);
            boolean allocatable = true;
            for (Map.Entry<String, String> e : slots.entrySet()) {
                BigDecimal need = ResourceSlots.parse(e.getKey(), e.getValue());
                allocatable &= fits(need, keypairRemaining.get(e.getKey())) && fits(need, machineRemaining.get(e.getKey()));
            }
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", p.name());
            item.put("resource_slots", slots);
            item.put("allocatable", allocatable);
            presets.add(item);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("keypair_limits", limits.toStrings());
        out.put("keypair_using", strings(using));
        out.put("keypair_remaining", keypairRemaining);
        out.put("scaling_group_remaining", machineRemaining);
        out.put("presets", presets);
        api.json(200, out);
    }

    /** {@code POST /resource/recalculate-usage} (admin): usage is always computed live here. */
    public void recalculateUsage(ApiContext api) {
        if (!api.isAdmin()) {
            throw Problem.authFailed(null);
        }
        api.json(200, Map.of());
    }

    private Map<String, String> strings(ResourceSlots s) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String slot : agent.slotTypes()) {
            out.put(slot, s.get(slot).stripTrailingZeros().toPlainString());
        }
        return out;
    }

    private static String text(BigDecimal remaining, BigDecimal limit) {
        return ResourceSlots.isInfinite(limit) ? "Infinity" : remaining.max(BigDecimal.ZERO).stripTrailingZeros().toPlainString();
    }

    private static boolean fits(BigDecimal need, String remaining) {
        return remaining.equals("Infinity") || need.compareTo(new BigDecimal(remaining)) <= 0;
    }
}
