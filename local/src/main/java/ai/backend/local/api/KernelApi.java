package ai.backend.local.api;

import ai.backend.client.internal.Json;
import ai.backend.local.agent.Agent;
import ai.backend.local.agent.ExecutionOutcome;
import ai.backend.local.agent.Image;
import ai.backend.local.agent.ImageMismatchException;
import ai.backend.local.agent.ImageRegistry;
import ai.backend.local.agent.KernelFailure;
import ai.backend.local.agent.LocalKernel;
import ai.backend.local.agent.ProcessStats;
import ai.backend.local.agent.ResourceSlots;
import ai.backend.local.store.Database;
import ai.backend.local.agent.UnknownRunException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The kernel (compute session) endpoints of protocol §3.2. */
public final class KernelApi {
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*[A-Za-z0-9_]");
    private static final Set<String> MODES = Set.of("query", "batch", "complete", "continue", "input");

    private final Agent agent;
    private final ImageRegistry images;
    private final Duration flushWindow;
    private final Duration defaultExecTimeout;
    private final ai.backend.local.SessionFileLimits fileLimits;

    /**
     * @param defaultExecTimeout the execution timeout of sessions that set none (zero: no limit)
     */
    public KernelApi(Agent agent, ImageRegistry images, Duration flushWindow, Duration defaultExecTimeout,
                     ai.backend.local.SessionFileLimits fileLimits) {
        this.fileLimits = fileLimits;
        this.agent = agent;
        this.images = images;
        this.flushWindow = flushWindow;
        this.defaultExecTimeout = defaultExecTimeout;
    }

    /** {@code POST /kernel/create} and {@code POST /kernel}: get-or-create (§3.2.1). */
    public void create(ApiContext api) {
        JsonNode body = api.jsonBody("Malformed request body: a JSON object is required");
        if (!body.isObject()) {
            throw Problem.invalidApiParams("Malformed request body: a JSON object is required");
        }
        String image = text(body, "image");
        if (image == null || image.isEmpty()) {
            image = text(body, "lang");
        }
        if (image == null || image.isEmpty()) {
            throw Problem.invalidApiParams("lang or image is missing or empty!");
        }
        String token = text(body, "clientSessionToken");
        if (token == null || token.isEmpty()) {
            throw Problem.invalidApiParams("clientSessionToken is missing or empty!");
        }
        if (token.length() < 4 || token.length() > 64) {
            throw Problem.invalidApiParams("clientSessionToken is too short or long (4 to 64 bytes required)!");
        }
        if (!TOKEN.matcher(token).matches()) {
            throw Problem.invalidApiParams("clientSessionToken contains invalid characters.");
        }
        JsonNode tagNode = body.get("tag");
        String tag = tagNode == null || tagNode.isNull() ? null : tagNode.asText();
        if (tag != null && tag.length() > 64) {
            throw Problem.invalidApiParams("tag is too long (64 characters at most)!");
        }
        JsonNode config = body.get("config");
        if (config != null && !config.isNull() && !config.isObject()) {
            throw Problem.invalidApiParams("config must be an object!");
        }
        config = config == null || config.isNull() ? Json.MAPPER.createObjectNode() : config;
        if (config.hasNonNull("instanceGPUs")) {
            throw Problem.invalidApiParams("Client upgrade required to use GPUs (v19.03+).");
        }
        if (config.hasNonNull("instanceTPUs")) {
            throw Problem.invalidApiParams("Client upgrade required to use TPUs (v19.03+).");
        }
        Map<String, String> environ = environ(config.get("environ"));
        Duration execTimeout = defaultExecTimeout;
        JsonNode timeoutNode = config.get("execTimeout");
        if (timeoutNode != null && !timeoutNode.isNull()) {
            if (!timeoutNode.isNumber() || timeoutNode.asDouble() < 0) {
                throw Problem.invalidApiParams("execTimeout must be a number of seconds (0 for no limit)!");
            }
            execTimeout = Duration.ofMillis(Math.round(timeoutNode.asDouble() * 1000));
        }
        Map<String, java.math.BigDecimal> requested = requestedSlots(config);
        String owner = ownerAccessKey(api);
        Database.ResourcePolicy policy = policy(api.keypair());
        boolean exists = agent.find(owner, token).isPresent();
        if (!exists && agent.count(owner) >= policy.maxConcurrentSessions()) {
            throw Problem.quotaExceeded(null);
        }
        // each vfolder the owner can use (404 otherwise; 400 for a read-only share) becomes a link in the session
        java.util.Map<String, java.nio.file.Path> mounts = ai.backend.local.vfolder.VFolderMounts.resolve(
                agent.database(), agent.dataDir(), owner, config.get("mounts"));
        String reference = image;
        Image resolved = images.resolve(reference)
                .orElseThrow(() -> Problem.invalidApiParams("Unknown image reference: " + reference));
        ResourceSlots slots = exists ? ResourceSlots.of(Map.of()) : checkSlots(resolved, requested, owner, policy);
        Agent.Creation creation;
        try {
            creation = agent.getOrCreate(owner, token, resolved, tag, environ, slots, mounts);
        } catch (ImageMismatchException e) {
            throw Problem.kernelAlreadyExists();
        } catch (KernelFailure e) {
            throw agentFailure("kernel-creation-failed", "Kernel creation has failed.", e);
        }
        if (creation.created()) {
            creation.kernel().execTimeout(execTimeout);
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("kernelId", creation.kernel().sessionId());
        ArrayNode ports = out.putArray("servicePorts");
        for (ai.backend.local.agent.ServiceDef service : creation.kernel().image().services()) {
            ports.add(servicePort(service));
        }
        out.put("created", creation.created());
        api.json(201, out);
    }

    /**
     * A service port as the manager reports it. A local service has no fixed host port (it gets a free loopback
     * port when the app proxy first starts it), so {@code host_port} is null.
     */
    public static ObjectNode servicePort(ai.backend.local.agent.ServiceDef service) {
        ObjectNode port = Json.MAPPER.createObjectNode();
        port.put("name", service.name());
        port.put("protocol", service.protocol());
        port.put("container_port", service.port());
        port.putNull("host_port");
        return port;
    }

    /** {@code POST /kernel/{sess}}: execute (§3.2.5, §4). */
    public void execute(ApiContext api) {
        LocalKernel kernel = lookup(api);
        JsonNode body = api.jsonBody(null);
        if (!body.isObject()) {
            throw Problem.invalidApiParams(null);
        }
        String mode = text(body, "mode");
        if (mode == null || mode.isEmpty()) {
            throw Problem.invalidApiParams("mode is missing or empty!");
        }
        if (!MODES.contains(mode)) {
            throw Problem.invalidApiParams("mode has an invalid value.");
        }
        if (!body.has("runId")) {
            throw Problem.invalidApiParams("runId is missing!");
        }
        String runId = text(body, "runId");
        String code = text(body, "code");
        code = code == null ? "" : code;
        if ((mode.equals("continue") || mode.equals("input")) && runId == null) {
            throw Problem.invalidApiParams("continuation requires explicit run ID");
        }
        ExecutionOutcome outcome;
        try {
            switch (mode) {
                case "query":
                    outcome = kernel.query(runId, code, flushWindow);
                    break;
                case "continue":
                    outcome = kernel.continueRun(runId, flushWindow);
                    break;
                case "input":
                    outcome = kernel.input(runId, code, flushWindow);
                    break;
                case "batch":
                    JsonNode options = body.get("options");
                    outcome = kernel.batch(runId, text(options, "clean"), text(options, "build"), text(options, "exec"),
                            flushWindow);
                    break;
                default: // complete: as POST /kernel/{sess}/complete, answered usefully (19.03.5 fails with 500)
                    Map<String, Object> completion = new LinkedHashMap<>();
                    completion.put("status", "finished");
                    completion.put("completions", kernel.complete(code));
                    api.json(200, Map.of("result", completion));
                    return;
            }
        } catch (UnknownRunException e) {
            throw Problem.invalidApiParams(e.getMessage());
        } catch (KernelFailure e) {
            throw agentFailure("kernel-execution-failed", "Executing user code in the kernel has failed.", e);
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.set("result", outcome.toJson(true));
        api.json(200, out);
    }

    /** {@code DELETE /kernel/{sess}}: destroy, with the session's final statistics (§3.2.3). */
    public void destroy(ApiContext api) {
        LocalKernel kernel = lookup(api);
        ProcessStats s = agent.destroy(kernel, "user-requested");
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("precpu_used", 0);
        stats.put("cpu_used", s.cpuUsedMs());
        stats.put("precpu_system_used", 0);
        stats.put("cpu_system_used", 0);
        stats.put("mem_max_bytes", s.memMaxBytes());
        stats.put("mem_cur_bytes", s.memCurBytes());
        stats.put("net_rx_bytes", 0);
        stats.put("net_tx_bytes", 0);
        stats.put("io_read_bytes", s.ioReadBytes());
        stats.put("io_write_bytes", s.ioWriteBytes());
        stats.put("io_max_scratch_size", 0);
        stats.put("io_cur_scratch_size", 0);
        api.json(200, Map.of("stats", stats));
    }

    /** {@code GET /kernel/{sess}}: session info (§3.2.2); every key always present. */
    public void info(ApiContext api) {
        LocalKernel kernel = lookup(api);
        kernel.countQuery();
        ProcessStats s = kernel.stats();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("lang", kernel.image().canonicalName());
        info.put("image", kernel.image().canonicalName());
        info.put("registry", "local");
        info.put("tag", kernel.tag());
        info.put("age", Math.round(kernel.ageMillis() * 1000) / 1000.0);
        info.put("queryTimeout", -1);
        info.put("idleTimeout", -1);
        info.put("memoryLimit", s.memMaxBytes() >> 10);
        info.put("maxCpuCredit", -1);
        info.put("numQueriesExecuted", kernel.queryCount());
        info.put("idle", -1);
        info.put("memoryUsed", s.memCurBytes() >> 10);
        info.put("cpuCreditUsed", s.cpuUsedMs());
        api.json(200, info);
    }

    /** {@code PATCH /kernel/{sess}}: restart with new processes in the same working directory (§3.2.4). */
    public void restart(ApiContext api) {
        LocalKernel kernel = lookup(api);
        try {
            agent.restart(kernel);
        } catch (KernelFailure e) {
            throw agentFailure("kernel-restart-failed", "Kernel restart has failed.", e);
        }
        api.empty(204);
    }

    /** {@code POST /kernel/{sess}/interrupt}: SIGINT to the current run, best effort (§3.2.6). */
    public void interrupt(ApiContext api) {
        lookup(api).interrupt();
        api.empty(204);
    }

    /** {@code GET /kernel/{sess}/logs}: the session's runner log (§3.2.7). */
    public void logs(ApiContext api) {
        LocalKernel kernel = lookup(api);
        Map<String, Object> logs = new LinkedHashMap<>();
        logs.put("logs", agent.logs(kernel));
        api.json(200, Map.of("result", logs));
    }

    /**
     * {@code POST /kernel/{sess}/complete}: completions from the session's interpreter (§3.2.8). The real
     * 19.03.5 manager always fails here with 500; this server answers usefully instead.
     */
    public void complete(ApiContext api) {
        LocalKernel kernel = lookup(api);
        JsonNode body = api.jsonBody("Malformed request body: a JSON object is required");
        String code = text(body, "code");
        java.util.List<String> completions;
        try {
            completions = kernel.complete(code == null ? "" : code);
        } catch (KernelFailure e) {
            throw agentFailure("kernel-execution-failed", "Executing user code in the kernel has failed.", e);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", "finished");
        result.put("completions", completions);
        api.json(200, Map.of("result", result));
    }

    /** The limits on session file transfers. */
    ai.backend.local.SessionFileLimits fileLimits() {
        return fileLimits;
    }

    /** {@code POST /kernel/{sess}/upload}: multipart files into the session's working directory (§3.2.9). */
    public void upload(ApiContext api) {
        LocalKernel kernel = lookup(api);
        java.nio.file.Path root = kernel.workDir().toAbsolutePath().normalize();
        java.util.List<Uploads.Upload> uploads = Uploads.parts(api.ctx(), root.getParent(),
                fileLimits.maxUploadFileBytes(), fileLimits.maxUploadFiles());
        Uploads.writeAll(root, uploads);
        api.empty(204);
    }

    /** The session named in the path, owned by the requester or by {@code owner_access_key} (admins). */
    private LocalKernel lookup(ApiContext api) {
        String owner = ownerAccessKey(api);
        return agent.find(owner, api.pathParam("sess")).orElseThrow(Problem::kernelNotFound);
    }

    /** The owner to act for: the requester, or {@code owner_access_key} when an admin passes it (§1.5). */
    static String ownerAccessKey(ApiContext api) {
        String requested = api.queryParam("owner_access_key");
        String own = api.keypair().accessKey();
        if (requested == null || requested.isEmpty() || requested.equals(own)) {
            return own;
        }
        if (!api.isAdmin()) {
            throw Problem.forbidden("Only admins can access or control sessions owned by others.");
        }
        return requested;
    }

    private static Map<String, String> environ(JsonNode node) {
        Map<String, String> env = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return env;
        }
        if (!node.isObject()) {
            throw Problem.invalidApiParams("environ must be an object of strings!");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().isEmpty() || e.getKey().contains("=") || e.getKey().indexOf('\0') >= 0
                    || !e.getValue().isValueNode() || e.getValue().isNull()) {
                throw Problem.invalidApiParams("environ must be an object of strings!");
            }
            env.put(e.getKey(), e.getValue().asText());
        }
        return env;
    }

    /**
     * The requested slots of {@code config.resources} (the legacy {@code instanceCores} /
     * {@code instanceMemory} in GiB when it is absent).
     */
    private Map<String, java.math.BigDecimal> requestedSlots(JsonNode config) {
        Map<String, java.math.BigDecimal> slots = new LinkedHashMap<>();
        JsonNode node = config.get("resources");
        if (node == null) {
            if (config.hasNonNull("instanceCores")) {
                slots.put("cpu", parseSlot("cpu", config.get("instanceCores").asText()));
            }
            if (config.hasNonNull("instanceMemory")) {
                slots.put("mem", parseSlot("mem", config.get("instanceMemory").asText() + "g"));
            }
            return slots;
        }
        if (node.isNull()) {
            return slots;
        }
        if (!node.isObject()) {
            throw Problem.invalidApiParams("resources must be an object!");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!agent.slotTypes().contains(e.getKey())) {
                throw Problem.invalidApiParams("Unknown requested resource slot: " + e.getKey());
            }
            if (e.getValue().isNull()) {
                continue;
            }
            if (!e.getValue().isValueNode()) {
                throw Problem.invalidApiParams("Invalid resource value: " + e.getKey() + "=" + e.getValue());
            }
            slots.put(e.getKey(), parseSlot(e.getKey(), e.getValue().asText()));
        }
        return slots;
    }

    private static java.math.BigDecimal parseSlot(String slot, String value) {
        try {
            return ResourceSlots.parse(slot, value);
        } catch (IllegalArgumentException e) {
            throw Problem.invalidApiParams(e.getMessage());
        }
    }

    private Database.ResourcePolicy policy(ai.backend.local.store.Keypair keypair) {
        try {
            return agent.database().resourcePolicy(keypair.resourcePolicy()).orElseThrow(() ->
                    Problem.internal("The keypair's resource policy " + keypair.resourcePolicy() + " does not exist."));
        } catch (java.sql.SQLException e) {
            throw Problem.internal(null);
        }
    }

    /**
     * Fills missing or zero slots with the image's minimum, then checks, in the manager's order: the image
     * minimum, the image maximum, the keypair's policy total, and the machine's remaining capacity.
     */
    private ResourceSlots checkSlots(Image image, Map<String, java.math.BigDecimal> requested, String owner,
                                     Database.ResourcePolicy policy) {
        Map<String, java.math.BigDecimal> filled = new LinkedHashMap<>();
        for (String slot : agent.slotTypes()) {
            java.math.BigDecimal v = requested.get(slot);
            filled.put(slot, v == null || v.signum() == 0 ? image.min().get(slot) : v);
        }
        java.math.BigDecimal gpus = filled.get(ai.backend.local.agent.Accelerators.CUDA_SLOT);
        if (gpus != null && gpus.stripTrailingZeros().scale() > 0) {
            throw Problem.invalidApiParams("Invalid resource value: cuda.device=" + gpus.stripTrailingZeros().toPlainString()
                    + " (whole devices only)");
        }
        ResourceSlots request = ResourceSlots.of(filled);
        if (!image.min().fitsIn(request)) {
            throw Problem.invalidApiParams("Your resource request is smaller than the minimum required by the image. ("
                    + image.min() + ")");
        }
        if (!request.fitsIn(image.max())) {
            throw Problem.invalidApiParams("Your resource request is larger than the maximum allowed by the image. ("
                    + image.max() + ")");
        }
        ResourceSlots total = policyTotal(policy, agent.slotTypes());
        if (!agent.occupied(owner).plus(request).fitsIn(total)) {
            throw Problem.invalidApiParams("Your resource quota is exceeded. (" + total + ")");
        }
        if (!agent.occupied(null).plus(request).fitsIn(agent.capacity())) {
            throw Problem.instanceNotAvailable();
        }
        return request;
    }

    /** The policy's total for each of {@code slotTypes}; a slot it does not name follows default_for_unspecified. */
    static ResourceSlots policyTotal(Database.ResourcePolicy policy, java.util.List<String> slotTypes) {
        Map<String, java.math.BigDecimal> total = new LinkedHashMap<>();
        JsonNode slots;
        try {
            slots = Json.parse(policy.totalResourceSlots());
        } catch (java.io.IOException e) {
            slots = Json.MAPPER.createObjectNode();
        }
        boolean limited = "LIMITED".equalsIgnoreCase(policy.defaultForUnspecified());
        for (String slot : slotTypes) {
            JsonNode v = slots.get(slot);
            if (v != null && !v.isNull()) {
                total.put(slot, ResourceSlots.parse(slot, v.asText()));
            } else {
                total.put(slot, limited ? java.math.BigDecimal.ZERO : ResourceSlots.parse(slot, "inf"));
            }
        }
        return ResourceSlots.of(total);
    }

    private static Problem agentFailure(String type, String title, KernelFailure e) {
        ObjectNode details = Json.MAPPER.createObjectNode();
        if (e.isTimeout()) {
            details.put("type", Problem.PREFIX + "agent-timeout");
            details.putNull("title");
        } else {
            details.put("type", Problem.PREFIX + "agent-failure");
            details.put("title", "Agent-side exception occurred.");
            details.put("exception", e.getMessage());
        }
        return Problem.agentFailure(type, title, details);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null || !node.isObject() ? null : node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
