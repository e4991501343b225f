package ai.backend.client.admin;

import ai.backend.client.internal.HttpEngine;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Raw GraphQL for an {@code AsyncSession}: as {@link Admin}, without blocking. Futures complete on an SDK
 * thread, or fail with {@link ai.backend.client.BackendAPIError} ({@code graphql-error} for GraphQL errors) or
 * {@link ai.backend.client.BackendClientError} (read timeout included); cancelling one abandons the wait only.
 */
public final class AsyncAdmin {
    private final HttpEngine engine;

    public AsyncAdmin(HttpEngine engine) {
        this.engine = engine;
    }

    /** Runs a query or mutation without variables (the key is omitted). */
    public CompletableFuture<JsonNode> query(String document) {
        return query(document, null);
    }

    /** Runs a query or mutation; {@code variables} may be null (the key is then omitted). */
    public CompletableFuture<JsonNode> query(String document, Map<String, ?> variables) {
        return engine.sendAsync(Admin.request(document, variables)).thenApply(r -> Admin.unwrap(r.json()));
    }

    /** The typed variant of {@link Admin#query(String, Map, String, Class)}. */
    public <T> CompletableFuture<T> query(String document, Map<String, ?> variables, String field, Class<T> type) {
        return query(document, variables).thenApply(d -> Admin.convert(d.get(field), Admin.TYPED.constructType(type)));
    }

    /** The typed variant of {@link Admin#query(String, Map, String, TypeReference)}. */
    public <T> CompletableFuture<T> query(String document, Map<String, ?> variables, String field, TypeReference<T> type) {
        return query(document, variables).thenApply(d -> Admin.convert(d.get(field), Admin.TYPED.constructType(type)));
    }

    <T> CompletableFuture<T> run(GraphQLCall<T> call) {
        return query(call.document(), call.variables()).thenApply(call.parser());
    }
}
