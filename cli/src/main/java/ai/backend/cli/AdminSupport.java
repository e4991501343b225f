package ai.backend.cli;

import ai.backend.client.Session;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Shared parts of the {@code admin} subcommands: the admin session, GraphQL calls and the table helpers. */
abstract class AdminSupport implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    final Pretty pretty = Pretty.stderr(false);

    BackendAiCommand root() {
        return (BackendAiCommand) spec.root().userObject();
    }

    Session session() {
        return new Session(Connection.resolve(root().global, pretty, true));
    }

    static Map<String, Object> vars(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static JsonNode query(Session s, String document, Map<String, Object> variables) {
        return variables == null ? s.admin().query(document) : s.admin().query(document, variables);
    }

    /** A cell as 19.03's tabulate shows it: None empty, booleans True/False, JSON text as is. */
    static String cell(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "";
        }
        if (v.isBoolean()) {
            return v.asBoolean() ? "True" : "False";
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(e -> parts.add("'" + e.asText() + "'"));
            return "[" + String.join(", ", parts) + "]";
        }
        if (v.isContainerNode()) {
            return v.toString();
        }
        return v.asText();
    }

    static String mib(JsonNode bytes) {
        if (bytes == null || bytes.isNull() || bytes.isMissingNode()) {
            return "";
        }
        return String.format(Locale.ROOT, "%.1f", Math.round(bytes.asDouble() / (1 << 20) * 10) / 10.0);
    }

    /** Rows of {@code node}'s fields, {@code labels[i] = {field, label}}. */
    static List<String> row(JsonNode node, String[][] labels) {
        List<String> r = new ArrayList<>();
        for (String[] l : labels) {
            r.add(cell(node.get(l[0])));
        }
        return r;
    }

    static List<String> headers(String[][] labels) {
        List<String> h = new ArrayList<>();
        for (String[] l : labels) {
            h.add(l[1]);
        }
        return h;
    }

    static String fields(String[][] labels) {
        List<String> f = new ArrayList<>();
        for (String[] l : labels) {
            f.add(l[0]);
        }
        return String.join(" ", f);
    }

    /** A Field / Value table of one object. */
    static void printFieldValue(JsonNode node, String[][] labels) {
        List<List<String>> rows = new ArrayList<>();
        List<String> values = row(node, labels);
        for (int i = 0; i < labels.length; i++) {
            rows.add(List.of(labels[i][1], values.get(i)));
        }
        Tables.simple(List.of("Field", "Value"), rows).forEach(System.out::println);
    }

    static void printTable(JsonNode items, String[][] labels) {
        List<List<String>> rows = new ArrayList<>();
        items.forEach(i -> rows.add(row(i, labels)));
        Tables.simple(headers(labels), rows).forEach(System.out::println);
    }

    static boolean isNothing(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode();
    }

    /** Prints the result of a mutation ({@code ok}, {@code msg}): the done line, or the failure line and 1. */
    int report(JsonNode result, String success, String failurePrefix) {
        if (result.path("ok").asBoolean(false)) {
            System.out.println(success);
            return 0;
        }
        pretty.fail(failurePrefix + result.path("msg").asText(""));
        return 1;
    }

    /** The {@code --output} option of the listing commands. */
    static final class Output {
        @Option(names = "--output", defaultValue = "table", paramLabel = "FORMAT", description = "table (default) or json.")
        String format;

        boolean json(CommandLine.Model.CommandSpec spec) {
            if (!format.equals("table") && !format.equals("json")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--output must be table or json");
            }
            return format.equals("json");
        }
    }

    /** Click's BOOLEAN: true/false, 1/0, yes/no, y/n, t/f, on/off. */
    static final class ClickBoolean implements CommandLine.ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String value) {
            switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "true", "1", "yes", "y", "t", "on":
                    return Boolean.TRUE;
                case "false", "0", "no", "n", "f", "off":
                    return Boolean.FALSE;
                default:
                    throw new CommandLine.TypeConversionException("'" + value + "' is not a valid boolean");
            }
        }
    }
}
