package ai.backend.client.manager;

import ai.backend.client.Request;
import ai.backend.client.internal.HttpEngine;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Resource family of the Python SDK (§4.8): resource presets and what the caller's keypair can still
 * allocate, {@code session.resources()}. Calls block up to the connect plus read timeout.
 */
public final class Resources {
    private final HttpEngine engine;

    public Resources(HttpEngine engine) {
        this.engine = engine;
    }

    /** {@code GET /resource/presets}: every preset. */
    public List<ResourcePreset> list() {
        return parsePresets(engine.send(Request.get("/resource/presets").build()).json().path("presets"));
    }

    /**
     * {@code POST /resource/check-presets}: the keypair's limits, use and remaining slots, and whether each
     * preset still fits.
     */
    public PresetCheck checkPresets() {
        return parseCheck(engine.send(Request.post("/resource/check-presets").build()).json());
    }

    static PresetCheck parseCheck(JsonNode n) {
        return new PresetCheck(strings(n.path("keypair_limits")), strings(n.path("keypair_using")),
                strings(n.path("keypair_remaining")), strings(n.path("scaling_group_remaining")),
                parsePresets(n.path("presets")), n);
    }

    static List<ResourcePreset> parsePresets(JsonNode list) {
        List<ResourcePreset> presets = new ArrayList<>();
        for (JsonNode p : list) {
            presets.add(new ResourcePreset(p.path("name").asText(), strings(p.path("resource_slots")),
                    p.has("allocatable") ? p.get("allocatable").asBoolean() : null));
        }
        return List.copyOf(presets);
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }
}
