package ai.backend.client.kernel;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One item of an execution result's console (protocol §4.4): a {@code [type, data]} pair, typed.
 */
public sealed interface ConsoleRecord {
    /** The wire type name ({@code stdout}, {@code stderr}, {@code media}, {@code html}, {@code log}, ...). */
    String type();

    /** Text the program wrote to standard output. */
    record Stdout(String text) implements ConsoleRecord {
        public String type() {
            return "stdout";
        }
    }

    /** Text the program wrote to standard error (including tracebacks). */
    record Stderr(String text) implements ConsoleRecord {
        public String type() {
            return "stderr";
        }
    }

    /**
     * Rich output: an image as a data URI ({@code image/png}, {@code image/jpeg}), raw SVG text, raw HTML,
     * or for some types a JSON value. {@link #content()} keeps the JSON as sent.
     */
    record Media(String mimeType, JsonNode content) implements ConsoleRecord {
        public String type() {
            return "media";
        }

        /** The content as text: the string itself, or the JSON of a non-string value. */
        public String contentAsString() {
            return content == null ? "" : content.isTextual() ? content.asText() : content.toString();
        }
    }

    /** Raw HTML from legacy kernels. */
    record Html(String html) implements ConsoleRecord {
        public String type() {
            return "html";
        }
    }

    /** A kernel log line. */
    record Log(String text) implements ConsoleRecord {
        public String type() {
            return "log";
        }
    }

    /** A record of a type this SDK does not model; {@code data} is kept as sent. */
    record Other(String type, JsonNode data) implements ConsoleRecord {
    }

    /** Parses one {@code [type, data]} array. */
    static ConsoleRecord fromJson(JsonNode item) {
        if (item == null || !item.isArray() || item.size() < 2) {
            return new Other("unknown", item);
        }
        String type = item.get(0).asText();
        JsonNode data = item.get(1);
        switch (type) {
            case "stdout":
                return new Stdout(data.asText());
            case "stderr":
                return new Stderr(data.asText());
            case "html":
                return new Html(data.asText());
            case "log":
                return new Log(data.asText());
            case "media":
                if (data.isArray() && data.size() >= 2) {
                    return new Media(data.get(0).asText(), data.get(1));
                }
                return new Other(type, data);
            default:
                return new Other(type, data);
        }
    }
}
