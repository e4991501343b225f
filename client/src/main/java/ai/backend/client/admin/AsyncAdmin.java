package ai.backend.client.admin;

import ai.backend.client.Request;
import ai.backend.client.internal.HttpEngine;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Raw GraphQL for an {@code AsyncSession}: as {@link Admin#query}, without blocking; the future fails with
 * {@link ai.backend.client.BackendAPIError} ({@code graphql-error}) or
 * {@link ai.backend.client.BackendClientError}.
 */
public final class AsyncAdmin {
    private final HttpEngine engine;

    public AsyncAdmin(HttpEngine engine) {
        this.engine = engine;
    }

    public CompletableFuture<JsonNode> query(String document, Map<String, ?> variables) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", document);
        if (variables != null) {
            body.put("variables", variables);
        }
        return engine.sendAsync(Request.post("/admin/graphql").jsonBody(body).build()).thenApply(r -> {
            JsonNode result = r.json();
            if (result.has("data") && result.size() <= 2 && (result.size() == 1 || result.has("errors"))) {
                return result.get("data");
            }
            return result;
        });
    }
}
