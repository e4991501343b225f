package ai.backend.client.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One GraphQL operation of a typed family: the document, its variables (null to omit the key, as 19.03 does for
 * some calls) and how to read the answer. The blocking and async families build the same calls and differ only
 * in how they run them.
 */
record GraphQLCall<T>(String document, Map<String, Object> variables, Function<JsonNode, T> parser) {
    private static final Pattern SELECTION = Pattern.compile("[_A-Za-z][_0-9A-Za-z]*|[{}]");

    GraphQLCall {
        variables = variables == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(variables));
    }

    /** Variables in the given order; values may be null (sent as JSON null). */
    static Map<String, Object> vars(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /**
     * Python's {@code fields=} argument: names joined with spaces into the selection set. Each entry is a field
     * name, or a name followed by a nested selection such as {@code "keypair { access_key }"}.
     *
     * @throws IllegalArgumentException for an empty list, anything but names and braces, or unbalanced braces
     */
    static String selection(List<String> fields) {
        if (fields == null || fields.isEmpty()) {
            throw new IllegalArgumentException("fields must name at least one field");
        }
        int depth = 0;
        for (String field : fields) {
            for (String token : field.trim().split("\\s+|(?=[{}])|(?<=[{}])")) {
                if (token.isBlank()) {
                    continue;
                }
                if (!SELECTION.matcher(token).matches()) {
                    throw new IllegalArgumentException("not a GraphQL field name: " + token);
                }
                depth += token.equals("{") ? 1 : token.equals("}") ? -1 : 0;
                if (depth < 0) {
                    throw new IllegalArgumentException("unbalanced braces in fields: " + fields);
                }
            }
        }
        if (depth != 0) {
            throw new IllegalArgumentException("unbalanced braces in fields: " + fields);
        }
        return String.join(" ", fields);
    }

    /**
     * Reads the object under {@code field} with {@code parse}; null when there is none, or when every field is null
     * (how 19.03 answers a lookup that found nothing, e.g. {@code compute_session} of a session not running).
     */
    static <T> T object(JsonNode data, String field, Function<JsonNode, T> parse) {
        JsonNode n = data.path(field);
        if (!n.isObject()) {
            return null;
        }
        for (JsonNode v : n) {
            if (!v.isNull()) {
                return parse.apply(n);
            }
        }
        return null;
    }

    /** A field's text, or null when it is missing or null. */
    static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    /** Reads {@code array} as a list with {@code parse}. */
    static <T> List<T> list(JsonNode array, Function<JsonNode, T> parse) {
        List<T> out = new java.util.ArrayList<>();
        for (JsonNode n : array) {
            out.add(parse.apply(n));
        }
        return Collections.unmodifiableList(out);
    }
}
