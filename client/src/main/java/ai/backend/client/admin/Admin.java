package ai.backend.client.admin;

import ai.backend.client.Request;
import ai.backend.client.internal.HttpEngine;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Raw GraphQL against {@code POST /admin/graphql} (protocol §3.5, §7): {@code session.admin()}. The 19.03
 * manager answers with the data object itself (no {@code {"data": ...}} envelope), which is returned as is;
 * a later manager's envelope is unwrapped. GraphQL errors come back as
 * {@link ai.backend.client.BackendAPIError} of type {@code graphql-error} with the error list in
 * {@code data().get("data")}. Blocks up to the connect plus read timeout.
 */
public final class Admin {
    private final HttpEngine engine;

    public Admin(HttpEngine engine) {
        this.engine = engine;
    }

    /** Runs a query or mutation without variables. */
    public JsonNode query(String document) {
        return query(document, null);
    }

    /** Runs a query or mutation; {@code variables} may be null (the key is then omitted, as 19.03 does). */
    public JsonNode query(String document, Map<String, ?> variables) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", document);
        if (variables != null) {
            body.put("variables", variables);
        }
        JsonNode result = engine.send(Request.post("/admin/graphql").jsonBody(body).build()).json();
        if (result.has("data") && result.size() <= 2 && (result.size() == 1 || result.has("errors"))) {
            return result.get("data");
        }
        return result;
    }
}
