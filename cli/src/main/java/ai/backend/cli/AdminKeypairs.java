package ai.backend.cli;

import ai.backend.client.Session;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code admin keypair} and {@code admin keypairs [add|update|delete|activate|deactivate]}. */
final class AdminKeypairs {
    private AdminKeypairs() {
    }

    static final String[][] LABELS = {{"user_id", "User ID"}, {"access_key", "Access Key"}, {"secret_key", "Secret Key"},
        {"is_active", "Active?"}, {"is_admin", "Admin?"}, {"created_at", "Created At"}, {"last_used", "Last Used"},
        {"resource_policy", "Res.Policy"}, {"rate_limit", "Rate Limit"}, {"concurrency_limit", "Concur.Limit"},
        {"concurrency_used", "Concur.Used"}};
    static final String MINE = "query {\n  keypair {\n    %s\n  }\n}";
    static final String LIST = "query($is_active: Boolean) {\n  keypairs(is_active: $is_active) {\n    %s\n  }\n}";
    static final String LIST_USER = "query($user_id: String!, $is_active: Boolean) {\n"
            + "  keypairs(user_id: $user_id, is_active: $is_active) {\n    %s\n  }\n}";
    static final String CREATE = "mutation($user_id: String!, $input: KeyPairInput!) {\n"
            + "  create_keypair(user_id: $user_id, props: $input) {\n    ok msg keypair { access_key secret_key }\n  }\n}";
    static final String MODIFY = "mutation($access_key: String!, $input: ModifyKeyPairInput!) {\n"
            + "  modify_keypair(access_key: $access_key, props: $input) {\n    ok msg\n  }\n}";
    static final String DELETE = "mutation($access_key: String!) {\n"
            + "  delete_keypair(access_key: $access_key) {\n    ok msg\n  }\n}";

    @Command(name = "keypair", mixinStandardHelpOptions = true, description = "Show the server-side information of the currently configured access key.")
    static final class Mine extends AdminSupport {
        @Mixin
        Output output;

        @Override
        public Integer call() {
            boolean json = output.json(spec);
            try (Session s = session()) {
                JsonNode kp = query(s, String.format(MINE, fields(LABELS)), null).path("keypair");
                if (json) {
                    System.out.println(kp.toPrettyString());
                    return 0;
                }
                if (isNothing(kp)) {
                    pretty.fail("No such keypair.");
                    return 1;
                }
                printFieldValue(kp, LABELS);
                return 0;
            }
        }
    }

    @Command(name = "keypairs", mixinStandardHelpOptions = true,
            description = "List and manage keypairs. To show all keypairs or other user's, your access key must have the admin privilege.",
            subcommands = {Add.class, Update.class, Delete.class, Activate.class, Deactivate.class})
    static final class ListKeypairs extends AdminSupport {
        @Option(names = {"-u", "--user-id"}, paramLabel = "USER_ID", description = "Show keypairs of this given user.")
        String userId;

        @Option(names = "--is-active", paramLabel = "BOOLEAN", arity = "1", converter = ClickBoolean.class,
                description = "Filter keypairs by activation.")
        Boolean isActive;

        @Mixin
        Output output;

        @Override
        public Integer call() {
            boolean json = output.json(spec);
            try (Session s = session()) {
                JsonNode list = userId == null
                        ? query(s, String.format(LIST, fields(LABELS)), vars("is_active", isActive)).path("keypairs")
                        : query(s, String.format(LIST_USER, fields(LABELS)), vars("user_id", userId, "is_active", isActive))
                                .path("keypairs");
                if (json) {
                    System.out.println(list.isArray() ? list.toPrettyString() : "[]");
                    return 0;
                }
                if (!list.isArray() || list.isEmpty()) {
                    pretty.info(userId == null ? "There are no matching keypairs."
                            : "There are no matching keypairs associated with the user ID " + userId);
                    return 0;
                }
                printTable(list, LABELS);
                return 0;
            }
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a new keypair.")
    static final class Add extends AdminSupport {
        @Parameters(index = "0", paramLabel = "USER_ID", description = "The user ID of the new keypair.")
        String userId;

        @Parameters(index = "1", arity = "0..1", paramLabel = "RESOURCE_POLICY",
                description = "The resource policy (as 19.03's second argument); --resource-policy does the same.")
        String policyArgument;

        @Option(names = {"-a", "--admin"}, description = "Give the admin privilege to the new keypair.")
        boolean admin;

        @Option(names = {"-i", "--inactive"}, description = "Create the new keypair in the inactive state.")
        boolean inactive;

        @Option(names = {"-r", "--rate-limit"}, defaultValue = "5000", paramLabel = "INTEGER",
                description = "Set the API query rate limit (default: ${DEFAULT-VALUE}).")
        int rateLimit;

        @Option(names = "--resource-policy", paramLabel = "NAME", description = "The resource policy (default: default).")
        String policy;

        @Override
        public Integer call() {
            if (policy != null && policyArgument != null && !policy.equals(policyArgument)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "Give the resource policy either as the argument or with --resource-policy, not both");
            }
            String p = policy != null ? policy : policyArgument != null ? policyArgument : "default";
            try (Session s = session()) {
                JsonNode r = query(s, CREATE, vars("user_id", userId, "input", vars("is_active", !inactive,
                        "is_admin", admin, "resource_policy", p, "rate_limit", rateLimit))).path("create_keypair");
                if (!r.path("ok").asBoolean(false)) {
                    pretty.fail("KeyPair creation has failed: " + r.path("msg").asText(""));
                    return 1;
                }
                System.out.println("Access Key: " + r.path("keypair").path("access_key").asText());
                System.out.println("Secret Key: " + r.path("keypair").path("secret_key").asText());
                return 0;
            }
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true, description = "Update an existing keypair.")
    static final class Update extends AdminSupport {
        @Parameters(index = "0", paramLabel = "ACCESS_KEY")
        String accessKey;

        @Option(names = "--resource-policy", paramLabel = "NAME", description = "Resource policy for the keypair.")
        String policy;

        @Option(names = "--is-admin", paramLabel = "BOOLEAN", arity = "1", converter = ClickBoolean.class,
                description = "A boolean value: the admin privilege.")
        Boolean isAdmin;

        @Option(names = "--is-active", paramLabel = "BOOLEAN", arity = "1", converter = ClickBoolean.class,
                description = "A boolean value: whether the keypair is active.")
        Boolean isActive;

        @Option(names = {"-r", "--rate-limit"}, paramLabel = "INTEGER", description = "Set the API query rate limit.")
        Integer rateLimit;

        @Override
        public Integer call() {
            try (Session s = session()) {
                JsonNode r = query(s, MODIFY, vars("access_key", accessKey, "input", vars("is_active", isActive,
                        "is_admin", isAdmin, "resource_policy", policy, "rate_limit", rateLimit))).path("modify_keypair");
                return report(r, "Key pair is updated: " + accessKey + ".", "KeyPair update has failed: ");
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete an existing keypair.")
    static final class Delete extends AdminSupport {
        @Parameters(index = "0", paramLabel = "ACCESS_KEY")
        String accessKey;

        @Override
        public Integer call() {
            try (Session s = session()) {
                JsonNode r = query(s, DELETE, vars("access_key", accessKey)).path("delete_keypair");
                return report(r, "Key pair is deleted: " + accessKey + ".", "KeyPair deletion has failed: ");
            }
        }
    }

    abstract static class Toggle extends AdminSupport {
        @Parameters(index = "0", paramLabel = "ACCESS_KEY")
        String accessKey;

        abstract boolean active();

        @Override
        public Integer call() {
            String word = active() ? "activat" : "deactivat";
            try (Session s = session()) {
                JsonNode r = query(s, MODIFY, vars("access_key", accessKey, "input", vars("is_active", active(),
                        "is_admin", null, "resource_policy", null, "rate_limit", null))).path("modify_keypair");
                return report(r, "Key pair is " + word + "ed: " + accessKey + ".", "KeyPair " + word + "ion has failed: ");
            }
        }
    }

    @Command(name = "activate", mixinStandardHelpOptions = true, description = "Activate an inactivated keypair.")
    static final class Activate extends Toggle {
        @Override
        boolean active() {
            return true;
        }
    }

    @Command(name = "deactivate", mixinStandardHelpOptions = true,
            description = "Deactivate an active keypair. All its requests are refused afterwards.")
    static final class Deactivate extends Toggle {
        @Override
        boolean active() {
            return false;
        }
    }
}
