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

    /**
     * Parses one event line with Jackson's streaming parser, without building a tree (output events carry
     * most of a run's bytes, so this is the hot path).
     */
    static RunnerEvent parse(byte[] line, int offset, int length) throws java.io.IOException {
        try (com.fasterxml.jackson.core.JsonParser p = ai.backend.client.internal.Json.MAPPER.getFactory()
                .createParser(line, offset, length)) {
            RunnerEvent e = next(p);
            if (e == null) {
                throw new java.io.IOException("empty event");
            }
            return e;
        }
    }

    /** Reads the next event object from a stream of root-level objects; null at the end of the stream. */
    static RunnerEvent next(com.fasterxml.jackson.core.JsonParser p) throws java.io.IOException {
        String kind = null;
        String data = "";
        String mime = null;
        boolean password = false;
        int exitCode = 0;
        java.util.List<String> items = null;
        {
            com.fasterxml.jackson.core.JsonToken first = p.nextToken();
            if (first == null) {
                return null;
            }
            if (first != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                throw new com.fasterxml.jackson.core.JsonParseException(p, "an event must be a JSON object");
            }
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = p.currentName();
                com.fasterxml.jackson.core.JsonToken t = p.nextToken();
                switch (field) {
                    case "event":
                        kind = p.getText();
                        break;
                    case "data":
                        data = t == com.fasterxml.jackson.core.JsonToken.VALUE_STRING ? p.getText() : "";
                        if (t.isStructStart()) {
                            p.skipChildren();
                        }
                        break;
                    case "mime":
                        mime = p.getText();
                        break;
                    case "password":
                        password = t == com.fasterxml.jackson.core.JsonToken.VALUE_TRUE;
                        break;
                    case "exitCode":
                        exitCode = t.isNumeric() ? p.getIntValue() : 0;
                        break;
                    case "items":
                        items = new java.util.ArrayList<>();
                        if (t == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                            while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                                items.add(p.getText());
                            }
                        }
                        break;
                    default:
                        p.skipChildren();
                }
            }
        }
        if (kind == null) {
            throw new com.fasterxml.jackson.core.JsonParseException(p, "an event needs a name");
        }
        return new RunnerEvent(kind, data, mime, password, exitCode, items);
    }

    static RunnerEvent exited(int exitCode) {
        return new RunnerEvent("exited", "", null, false, exitCode, null);
    }
}
