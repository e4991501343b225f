package ai.backend.local.api;

import ai.backend.client.internal.Json;
import ai.backend.local.store.Keypair;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.io.IOException;

/**
 * A request as a handler sees it: the Javalin context plus the authenticated keypair (null on anonymous
 * endpoints), with helpers to read JSON and answer in the manager's formats.
 */
public record ApiContext(Context ctx, Keypair keypair) {
    /** The body as JSON; a missing or malformed body is a 400 {@code invalid-api-params} with {@code message}. */
    public JsonNode jsonBody(String message) {
        byte[] body = ctx.bodyAsBytes();
        if (body.length == 0) {
            throw Problem.invalidApiParams(message);
        }
        try {
            JsonNode node = Json.parse(body);
            if (node == null) {
                throw Problem.invalidApiParams(message);
            }
            return node;
        } catch (IOException e) {
            throw Problem.invalidApiParams(message);
        }
    }

    /** Answers with JSON written as Python's {@code json.dumps}, {@code application/json; charset=utf-8}. */
    public void json(int status, Object value) {
        ctx.status(status).contentType("application/json; charset=utf-8").result(Json.pythonDumpsBytes(value));
    }

    /** Answers with an empty body. */
    public void empty(int status) {
        ctx.status(status).result(new byte[0]);
    }

    public String pathParam(String name) {
        return ctx.pathParam(name);
    }

    public String queryParam(String name) {
        return ctx.queryParam(name);
    }

    public boolean isAdmin() {
        return keypair != null && keypair.admin();
    }
}
