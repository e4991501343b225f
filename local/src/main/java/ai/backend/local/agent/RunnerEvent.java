package ai.backend.local.agent;

import com.fasterxml.jackson.databind.JsonNode;

/** One event a session's runner reported, or the runner's end ({@code exited}). */
record RunnerEvent(String kind, String text, String mime, boolean password, int exitCode, java.util.List<String> items) {
    static RunnerEvent fromJson(JsonNode node) {
        String kind = node.path("event").asText();
        java.util.List<String> items = null;
        if (node.has("items")) {
            items = new java.util.ArrayList<>();
            for (JsonNode item : node.get("items")) {
                items.add(item.asText());
            }
        }
        return new RunnerEvent(kind, node.path("data").asText(""), node.path("mime").asText(null),
                node.path("password").asBoolean(false), node.path("exitCode").asInt(0), items);
    }

    static RunnerEvent exited(int exitCode) {
        return new RunnerEvent("exited", "", null, false, exitCode, null);
    }
}
