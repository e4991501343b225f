package ai.backend.cli;

import ai.backend.client.Session;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code admin resource-policy [NAME]} and {@code admin resource-policies [add|update|delete]}. */
final class AdminPolicies {
    private AdminPolicies() {
    }

    static final String[][] LABELS = {{"name", "Name"}, {"created_at", "Created At"},
        {"default_for_unspecified", "Default for Unspecified"}, {"total_resource_slots", "Total Resource Slot"},
        {"max_concurrent_sessions", "Max Concurrent Sessions"}, {"max_containers_per_session", "Max Containers per Session"},
        {"max_vfolder_count", "Max vFolder Count"}, {"max_vfolder_size", "Max vFolder Size"},
        {"idle_timeout", "Idle Timeout"}, {"allowed_vfolder_hosts", "Allowed vFolder Hosts"}};
    static final String ONE = "query($name: String) {\n  keypair_resource_policy(name: $name) {\n    %s\n  }\n}";
    static final String LIST = "query {\n  keypair_resource_policies {\n    %s\n  }\n}";
    static final String CREATE = "mutation($name: String!, $input: CreateKeyPairResourcePolicyInput!) {\n"
            + "  create_keypair_resource_policy(name: $name, props: $input) {\n    ok msg resource_policy { name }\n  }\n}";
    static final String MODIFY = "mutation($name: String!, $input: ModifyKeyPairResourcePolicyInput!) {\n"
            + "  modify_keypair_resource_policy(name: $name, props: $input) {\n    ok msg\n  }\n}";
    static final String DELETE = "mutation($name: String!) {\n"
            + "  delete_keypair_resource_policy(name: $name) {\n    ok msg\n  }\n}";

    @Command(name = "resource-policy", mixinStandardHelpOptions = true,
            description = "Show details about a keypair resource policy (default: the current keypair's).")
    static final class Show extends AdminSupport {
        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The policy name.")
        String nameArgument;

        @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "The policy name (as 19.03).")
        String name;

        @Mixin
        Output output;

        @Override
        public Integer call() {
            boolean json = output.json(spec);
            String n = name != null ? name : nameArgument;
            try (Session s = session()) {
                JsonNode p = query(s, String.format(ONE, fields(LABELS)), vars("name", n)).path("keypair_resource_policy");
                if (isNothing(p)) {
                    pretty.fail("No such resource policy.");
                    return 1;
                }
                if (json) {
                    System.out.println(p.toPrettyString());
                    return 0;
                }
                printFieldValue(p, LABELS);
                return 0;
            }
        }
    }

    @Command(name = "resource-policies", mixinStandardHelpOptions = true,
            description = "List and manage keypair resource policies.",
            subcommands = {Add.class, Update.class, Delete.class})
    static final class ListPolicies extends AdminSupport {
        @Mixin
        Output output;

        @Override
        public Integer call() {
            boolean json = output.json(spec);
            try (Session s = session()) {
                JsonNode list = query(s, String.format(LIST, fields(LABELS)), null).path("keypair_resource_policies");
                if (json) {
                    System.out.println(list.isArray() ? list.toPrettyString() : "[]");
                    return 0;
                }
                if (!list.isArray() || list.isEmpty()) {
                    pretty.info("There are no keypair resource policies.");
                    return 0;
                }
                printTable(list, LABELS);
                return 0;
            }
        }
    }

    /** The policy options; {@code add} fills in 19.03's defaults, {@code update} sends unset ones as null. */
    abstract static class Edit extends AdminSupport {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--default-for-unspecified", paramLabel = "LIMITED|UNLIMITED",
                description = "Default behavior for unspecified resources: LIMITED or UNLIMITED.")
        String defaultForUnspecified;

        @Option(names = "--total-resource-slots", paramLabel = "JSON", description = "Set total resource slots (JSON text).")
        String totalResourceSlots;

        @Option(names = "--max-concurrent-sessions", paramLabel = "INTEGER", description = "Number of maximum concurrent sessions.")
        Integer maxConcurrentSessions;

        @Option(names = "--max-containers-per-session", paramLabel = "INTEGER",
                description = "Number of maximum containers per session.")
        Integer maxContainersPerSession;

        @Option(names = "--max-vfolder-count", paramLabel = "INTEGER", description = "Number of maximum virtual folders allowed.")
        Integer maxVfolderCount;

        @Option(names = "--max-vfolder-size", paramLabel = "INTEGER", description = "Maximum virtual folder size (future plan).")
        Long maxVfolderSize;

        @Option(names = "--idle-timeout", paramLabel = "INTEGER", description = "Sessions idle this long (s) are terminated.")
        Long idleTimeout;

        @Option(names = "--allowed-vfolder-hosts", paramLabel = "HOST", split = ",",
                description = "Allowed virtual folder hosts (repeatable or comma-separated).")
        List<String> allowedVfolderHosts;

        Map<String, Object> input() {
            if (defaultForUnspecified != null && !defaultForUnspecified.equals("LIMITED")
                    && !defaultForUnspecified.equals("UNLIMITED")) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--default-for-unspecified must be LIMITED or UNLIMITED");
            }
            return vars("default_for_unspecified", defaultForUnspecified, "total_resource_slots", totalResourceSlots,
                    "max_concurrent_sessions", maxConcurrentSessions, "max_containers_per_session", maxContainersPerSession,
                    "max_vfolder_count", maxVfolderCount, "max_vfolder_size", maxVfolderSize, "idle_timeout", idleTimeout,
                    "allowed_vfolder_hosts", allowedVfolderHosts);
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a new keypair resource policy.")
    static final class Add extends Edit {
        @Override
        public Integer call() {
            if (defaultForUnspecified == null) {
                defaultForUnspecified = "UNLIMITED";
            }
            if (totalResourceSlots == null) {
                totalResourceSlots = "{}";
            }
            maxConcurrentSessions = maxConcurrentSessions == null ? 30 : maxConcurrentSessions;
            maxContainersPerSession = maxContainersPerSession == null ? 1 : maxContainersPerSession;
            maxVfolderCount = maxVfolderCount == null ? 10 : maxVfolderCount;
            maxVfolderSize = maxVfolderSize == null ? 0L : maxVfolderSize;
            idleTimeout = idleTimeout == null ? 1800L : idleTimeout;
            allowedVfolderHosts = allowedVfolderHosts == null ? new ArrayList<>(List.of("local")) : allowedVfolderHosts;
            Map<String, Object> input = input();
            try (Session s = session()) {
                JsonNode r = query(s, CREATE, vars("name", name, "input", input)).path("create_keypair_resource_policy");
                return report(r, "Keypair resource policy " + name + " is created.",
                        "KeyPair Resource Policy creation has failed: ");
            }
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true, description = "Update an existing keypair resource policy.")
    static final class Update extends Edit {
        @Override
        public Integer call() {
            Map<String, Object> input = input();
            try (Session s = session()) {
                JsonNode r = query(s, MODIFY, vars("name", name, "input", input)).path("modify_keypair_resource_policy");
                return report(r, "Update succeeded.", "KeyPair Resource Policy update has failed: ");
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a keypair resource policy.")
    static final class Delete extends AdminSupport {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
        boolean yes;

        @Override
        public Integer call() throws IOException {
            if (!yes) {
                System.out.print("Are you sure? (y/n): ");
                System.out.flush();
                String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (answer == null || !answer.trim().toLowerCase(java.util.Locale.ROOT).startsWith("y")) {
                    System.out.println("Canceled.");
                    return 1;
                }
            }
            try (Session s = session()) {
                JsonNode r = query(s, DELETE, vars("name", name)).path("delete_keypair_resource_policy");
                return report(r, "Resource policy " + name + " is deleted.", "KeyPair Resource Policy deletion has failed: ");
            }
        }
    }
}
