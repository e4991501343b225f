package ai.backend.client.admin;

import com.fasterxml.jackson.databind.JsonNode;

/** What a GraphQL mutation answers: whether it worked and why not. */
public record MutationResult(boolean ok, String msg, JsonNode raw) {
    static MutationResult fromJson(JsonNode n) {
        return new MutationResult(n.path("ok").asBoolean(false), n.hasNonNull("msg") ? n.get("msg").asText() : null, n);
    }
}
