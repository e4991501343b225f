package ai.backend.client.kernel;

import ai.backend.client.APIConfig;
import ai.backend.client.Request;
import ai.backend.client.Response;
import ai.backend.client.internal.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Builds the kernel API's requests and parses its responses; shared by the blocking and async handles. */
final class KernelCalls {
    private KernelCalls() {
    }

    static Request create(CreateKernelRequest spec, APIConfig config) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("lang", spec.image());
        body.put("tag", spec.tag());
        body.put("clientSessionToken", spec.clientToken());
        ObjectNode cfg = body.putObject("config");
        Set<String> mounts = new LinkedHashSet<>(spec.mounts());
        mounts.addAll(config.vfolderMounts());
        mounts.forEach(cfg.putArray("mounts")::add);
        ObjectNode environ = cfg.putObject("environ");
        spec.environ().forEach(environ::put);
        cfg.put("clusterSize", spec.clusterSize());
        ObjectNode resources = cfg.putObject("resources");
        spec.resources().forEach(resources::put);
        if (spec.execTimeout() != null) {
            cfg.put("execTimeout", spec.execTimeout().toMillis() / 1000.0);
        }
        return Request.post("/kernel/create").jsonBody(body).build();
    }

    record Created(String id, boolean created, List<ServicePort> servicePorts) {
    }

    static Created parseCreate(Response response, String requestedToken) {
        JsonNode json = response.json();
        String id = json.hasNonNull("kernelId") ? json.get("kernelId").asText() : requestedToken;
        boolean created = !json.has("created") || json.get("created").asBoolean(true);
        List<ServicePort> ports = new ArrayList<>();
        for (JsonNode p : json.path("servicePorts")) {
            ports.add(new ServicePort(p.path("name").asText(), p.path("protocol").asText(),
                    p.path("container_port").asInt(), p.path("host_port").asInt()));
        }
        return new Created(id, created, ports);
    }

    static String path(String sessionId, String suffix) {
        return "/kernel/" + URLEncoder.encode(sessionId, StandardCharsets.UTF_8).replace("+", "%20") + suffix;
    }

    static Request execute(String sessionId, String ownerAccessKey, ExecuteRequest request) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("mode", request.mode().wireName());
        body.put("code", request.code());
        body.put("runId", request.runId());
        if (request.mode() == ExecutionMode.BATCH) {
            BatchOptions b = request.batchOptions() == null ? BatchOptions.defaults() : request.batchOptions();
            ObjectNode options = body.putObject("options");
            options.put("clean", b.clean());
            options.put("build", b.build());
            options.put("buildLog", false);
            options.put("exec", b.exec());
        }
        return Request.post(path(sessionId, "")).queryParam("owner_access_key", ownerAccessKey).jsonBody(body).build();
    }

    static ExecutionResult parseExecute(Response response) {
        JsonNode json = response.json();
        JsonNode result = json.get("result");
        if (result == null || result.isNull()) {
            throw new ai.backend.client.BackendClientError("The execute response has no result: " + json);
        }
        return ExecutionResult.fromJson(result);
    }

    static Request info(String sessionId, String ownerAccessKey) {
        return Request.get(path(sessionId, "")).queryParam("owner_access_key", ownerAccessKey).build();
    }

    static Request restart(String sessionId, String ownerAccessKey) {
        return Request.patch(path(sessionId, "")).queryParam("owner_access_key", ownerAccessKey).build();
    }

    static Request interrupt(String sessionId, String ownerAccessKey) {
        return Request.post(path(sessionId, "/interrupt")).queryParam("owner_access_key", ownerAccessKey).build();
    }

    static Request logs(String sessionId, String ownerAccessKey) {
        return Request.get(path(sessionId, "/logs")).queryParam("owner_access_key", ownerAccessKey).build();
    }

    static String parseLogs(Response response) {
        JsonNode logs = response.json().path("result").get("logs");
        return logs == null || logs.isNull() ? "" : logs.asText();
    }

    static Request complete(String sessionId, String ownerAccessKey, String code, int row, int col, String line, String post) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("code", code);
        ObjectNode options = body.putObject("options");
        options.put("row", row);
        options.put("col", col);
        options.put("line", line);
        options.put("post", post);
        return Request.post(path(sessionId, "/complete")).queryParam("owner_access_key", ownerAccessKey).jsonBody(body).build();
    }

    /** Completions from the result; an answer without a list (some managers) gives an empty list. */
    static List<String> parseCompletions(Response response) {
        List<String> items = new ArrayList<>();
        for (JsonNode item : response.json().path("result").path("completions")) {
            items.add(item.asText());
        }
        return items;
    }

    /** The 19.03.5 manager's completion always fails with 500 internal-server-error (protocol §3.2.8). */
    static boolean isBrokenCompletion(ai.backend.client.BackendAPIError e) {
        return e.status() == 500 && "internal-server-error".equals(e.typeName());
    }

    static Request destroy(String sessionId, String ownerAccessKey) {
        return Request.delete(path(sessionId, "")).queryParam("owner_access_key", ownerAccessKey).build();
    }

    static ContainerStats parseDestroy(Response response) {
        if (response.status() != 200 || response.bytes().length == 0) {
            return null;
        }
        return ContainerStats.fromJson(response.json().get("stats"));
    }
}
