package ai.backend.client.admin;

import ai.backend.client.BackendClientError;
import ai.backend.client.Request;
import ai.backend.client.internal.HttpEngine;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
    /** Reads answers into records whose camelCase components match the snake_case field names. */
    static final ObjectMapper TYPED = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final HttpEngine engine;

    public Admin(HttpEngine engine) {
        this.engine = engine;
    }

    /** Runs a query or mutation without variables (the {@code variables} key is omitted, as 19.03 does). */
    public JsonNode query(String document) {
        return query(document, null);
    }

    /** Runs a query or mutation; {@code variables} may be null (the key is then omitted, as 19.03 does). */
    public JsonNode query(String document, Map<String, ?> variables) {
        return unwrap(engine.send(request(document, variables)).json());
    }

    /**
     * The typed variant: runs the document and reads the answer's {@code field} as {@code type}, a record or
     * class whose camelCase properties match the snake_case GraphQL fields ({@code sess_id} → {@code sessId}).
     * Fields the type lacks are ignored; a JSON null or a missing field gives null.
     *
     * @throws BackendClientError when the answer does not fit {@code type}
     */
    public <T> T query(String document, Map<String, ?> variables, String field, Class<T> type) {
        return convert(query(document, variables).get(field), TYPED.constructType(type));
    }

    /** As {@link #query(String, Map, String, Class)}, for generic types such as {@code List<Row>}. */
    public <T> T query(String document, Map<String, ?> variables, String field, TypeReference<T> type) {
        return convert(query(document, variables).get(field), TYPED.constructType(type));
    }

    <T> T run(GraphQLCall<T> call) {
        return call.parser().apply(query(call.document(), call.variables()));
    }

    static Request request(String document, Map<String, ?> variables) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", document);
        if (variables != null) {
            body.put("variables", variables);
        }
        return Request.post("/admin/graphql").jsonBody(body).build();
    }

    static JsonNode unwrap(JsonNode result) {
        if (result.has("data") && result.size() <= 2 && (result.size() == 1 || result.has("errors"))) {
            return result.get("data");
        }
        return result;
    }

    static <T> T convert(JsonNode value, com.fasterxml.jackson.databind.JavaType type) {
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            return TYPED.convertValue(value, type);
        } catch (IllegalArgumentException e) {
            throw new BackendClientError("The GraphQL answer does not fit " + type.getTypeName() + ": " + e.getMessage(), e);
        }
    }
}
