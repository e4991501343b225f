package ai.backend.cli;

import ai.backend.client.BackendAPIError;
import ai.backend.client.Request;
import ai.backend.client.Session;
import ai.backend.client.admin.ComputeSessionInfo;
import ai.backend.client.admin.Page;
import ai.backend.client.internal.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code backend.ai ps}: your running sessions, as {@code admin sessions --status RUNNING} lists them. */
@Command(name = "ps", mixinStandardHelpOptions = true)
class PsCommand implements Callable<Integer> {
    private static final int PAGE = 10;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The root command (found through the spec, so that {@code admin sessions} can reuse this class). */
    BackendAiCommand root() {
        return (BackendAiCommand) spec.root().userObject();
    }

    @Option(names = "--id-only", description = "Print only the session IDs.")
    boolean idOnly;

    @Option(names = "--all", description = "List all sessions, not only the first 10.")
    boolean all;

    @Option(names = "--status", defaultValue = "RUNNING", paramLabel = "STATUS",
            description = "RUNNING (default), TERMINATED, ... or ALL.")
    String status;

    @Option(names = "--output", defaultValue = "table", paramLabel = "FORMAT", description = "table (default) or json.")
    String output;

    @Override
    public Integer call() {
        if (!output.equals("table") && !output.equals("json")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--output must be table or json");
        }
        Pretty pretty = Pretty.stderr(false);
        try (Session s = new Session(Connection.resolve(root().global, pretty, useAdminKey()))) {
            boolean admin = isAdmin(s);
            List<String> fields = new ArrayList<>(List.of("sess_id"));
            if (!idOnly) {
                if (admin) {
                    fields.add("access_key");
                }
                fields.addAll(List.of("image", "tag", "created_at", "terminated_at", "status", "occupied_slots",
                        "mem_cur_bytes", "mem_max_bytes", "cpu_using"));
            }
            String statusVar = status.equalsIgnoreCase("ALL") ? null : status.toUpperCase(Locale.ROOT);
            ArrayNode items = Json.MAPPER.createArrayNode();
            int total;
            if (all) {
                List<ComputeSessionInfo> every = s.computeSessions().listAll(statusVar, null, fields);
                every.forEach(i -> items.add(i.raw()));
                total = every.size();
            } else {
                Page<ComputeSessionInfo> page = s.computeSessions().list(statusVar, null, PAGE, 0, fields);
                page.items().forEach(i -> items.add(i.raw()));
                total = page.totalCount();
            }
            if (output.equals("json")) {
                System.out.println(items.toPrettyString());
                return 0;
            }
            if (items.isEmpty()) {
                pretty.info("There are no compute sessions currently " + status.toLowerCase(Locale.ROOT) + ".");
                return 0;
            }
            if (idOnly) {
                items.forEach(i -> System.out.println(i.path("sess_id").asText()));
            } else {
                print(items, admin);
            }
            if (!all && total > PAGE) {
                pretty.info("More sessions can be displayed by using --all option.");
            }
            return 0;
        }
    }

    /** Whether the local server's admin keypair is used ({@code admin sessions}); {@code ps} uses the user's. */
    boolean useAdminKey() {
        return false;
    }

    private static boolean isAdmin(Session s) {
        try {
            JsonNode r = s.fetch(Request.post("/admin/graphql").jsonBody(Map.of("query",
                    "query {  keypair {    access_key secret_key is_active is_admin  }}")).build()).json();
            return r.path("keypair").path("is_admin").asBoolean(false);
        } catch (BackendAPIError e) {
            if ("graphql-error".equals(e.typeName())) {
                return false; // a server without the keypair query: treat the caller as a user
            }
            throw e;
        }
    }

    private static void print(ArrayNode items, boolean admin) {
        List<String> headers = new ArrayList<>(List.of("Session ID"));
        if (admin) {
            headers.add("Owner");
        }
        headers.addAll(List.of("Image", "Tag", "Created At", "Terminated At", "Status", "Occupied Resource",
                "Used Memory (MiB)", "Max Used Memory (MiB)", "CPU Using (%)"));
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode i : items) {
            List<String> row = new ArrayList<>();
            row.add(text(i, "sess_id"));
            if (admin) {
                row.add(text(i, "access_key"));
            }
            row.add(text(i, "image"));
            row.add(text(i, "tag"));
            row.add(text(i, "created_at"));
            row.add(text(i, "terminated_at"));
            row.add(text(i, "status"));
            row.add(text(i, "occupied_slots"));
            row.add(mib(i.get("mem_cur_bytes")));
            row.add(mib(i.get("mem_max_bytes")));
            row.add(text(i, "cpu_using"));
            rows.add(row);
        }
        Tables.simple(headers, rows).forEach(System.out::println);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    private static String mib(JsonNode bytes) {
        if (bytes == null || bytes.isNull()) {
            return "";
        }
        return String.format(Locale.ROOT, "%.1f", Math.round(bytes.asDouble() / (1 << 20) * 10) / 10.0);
    }
}
