package ai.backend.client.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** What a GraphQL mutation answers: whether it worked and why not. */
public record MutationResult(boolean ok, String msg, JsonNode raw) {
    static MutationResult fromJson(JsonNode n) {
        return new MutationResult(n.path("ok").asBoolean(false), n.hasNonNull("msg") ? n.get("msg").asText() : null, n);
    }

    /** A mutation whose answer under {@code field} is {@code {ok msg}}. */
    static GraphQLCall<MutationResult> call(String document, Map<String, Object> variables, String field) {
        return new GraphQLCall<>(document, variables, d -> fromJson(d.path(field)));
    }
}
