package ai.backend.local.agent;

import com.fasterxml.jackson.databind.JsonNode;

/** One event a session's runner reported, or the runner's end ({@code exited}). */
record RunnerEvent(String kind, String text, String mime, boolean password, int exitCode) {
    static RunnerEvent fromJson(JsonNode node) {
        String kind = node.path("event").asText();
        return new RunnerEvent(kind, node.path("data").asText(""), node.path("mime").asText(null),
                node.path("password").asBoolean(false), node.path("exitCode").asInt(0));
    }

    static RunnerEvent exited(int exitCode) {
        return new RunnerEvent("exited", "", null, false, exitCode);
    }
}
