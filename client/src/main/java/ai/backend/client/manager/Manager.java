package ai.backend.client.manager;

import ai.backend.client.Request;
import ai.backend.client.internal.HttpEngine;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The manager and resource functions of a blocking {@code Session}: {@code session.manager()} (protocol
 * §3.1, §3.4). Calls block up to the connect plus read timeout.
 */
public final class Manager {
    private final HttpEngine engine;

    public Manager(HttpEngine engine) {
        this.engine = engine;
    }

    /** {@code GET /manager/status} (the 19.03 client sends a body the server ignores; so does this). */
    public ManagerStatus status() {
        JsonNode n = engine.send(Request.get("/manager/status").jsonBody(Map.of("status", "running")).build()).json();
        return new ManagerStatus(n.path("status").asText(), n.path("active_sessions").asInt(), n);
    }

    /** Freezes the manager (admins): new sessions are refused; {@code forceKill} ends every session now. */
    public void freeze(boolean forceKill) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "frozen");
        body.put("force_kill", forceKill);
        engine.send(Request.put("/manager/status").jsonBody(body).build());
    }

    /** Unfreezes the manager (admins). */
    public void unfreeze() {
        engine.send(Request.put("/manager/status").jsonBody(Map.of("status", "running")).build());
    }

    /** {@code GET /resource/presets}. */
    public List<ResourcePreset> presets() {
        return presets(engine.send(Request.get("/resource/presets").build()).json().path("presets"));
    }

    /** {@code POST /resource/check-presets}. */
    public PresetCheck checkPresets() {
        JsonNode n = engine.send(Request.post("/resource/check-presets").build()).json();
        return new PresetCheck(strings(n.path("keypair_limits")), strings(n.path("keypair_using")),
                strings(n.path("keypair_remaining")), strings(n.path("scaling_group_remaining")),
                presets(n.path("presets")), n);
    }

    private static List<ResourcePreset> presets(JsonNode list) {
        List<ResourcePreset> presets = new ArrayList<>();
        for (JsonNode p : list) {
            presets.add(new ResourcePreset(p.path("name").asText(), strings(p.path("resource_slots")),
                    p.has("allocatable") ? p.get("allocatable").asBoolean() : null));
        }
        return presets;
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }
}
