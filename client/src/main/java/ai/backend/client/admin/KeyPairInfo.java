package ai.backend.client.admin;

import com.fasterxml.jackson.databind.JsonNode;

/** A keypair as the admin API reports it; fields not selected are null (or false / -1). */
public record KeyPairInfo(String accessKey, String secretKey, String userId, boolean isActive, boolean isAdmin,
                          String resourcePolicy, int rateLimit, int concurrencyUsed, long numQueries, String createdAt,
                          String lastUsed, JsonNode raw) {
    static KeyPairInfo fromJson(JsonNode n) {
        return new KeyPairInfo(GraphQLCall.text(n, "access_key"), GraphQLCall.text(n, "secret_key"), GraphQLCall.text(n, "user_id"),
                n.path("is_active").asBoolean(false), n.path("is_admin").asBoolean(false), GraphQLCall.text(n, "resource_policy"),
                n.path("rate_limit").asInt(-1), n.path("concurrency_used").asInt(-1), n.path("num_queries").asLong(-1),
                GraphQLCall.text(n, "created_at"), GraphQLCall.text(n, "last_used"), n);
    }

    @Override
    public String toString() {
        return "KeyPairInfo[" + accessKey + (isAdmin ? ", admin" : "") + (isActive ? "" : ", inactive") + "]";
    }
}
