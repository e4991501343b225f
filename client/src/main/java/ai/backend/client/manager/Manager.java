package ai.backend.client.manager;

import ai.backend.client.Request;
import ai.backend.client.internal.HttpEngine;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Manager family of a blocking {@code Session}: {@code session.manager()} (protocol §3.1): the manager's
 * status, freeze and unfreeze. Calls block up to the connect plus read timeout; {@code freeze(true)} returns once
 * the manager has accepted it, not when every session has ended.
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
}
