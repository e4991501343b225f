package ai.backend.cli;

import ai.backend.client.Session;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code backend.ai admin ...}: administration through the GraphQL API (the local server's admin keypair). */
@Command(name = "admin", mixinStandardHelpOptions = true, description = "Provides the admin API access.",
        subcommands = {AdminCommand.Sessions.class, AdminCommand.SessionDetail.class, AdminAgents.ListAgents.class,
            AdminAgents.ShowAgent.class, AdminImages.class, AdminKeypairs.Mine.class, AdminKeypairs.ListKeypairs.class,
            AdminPolicies.Show.class, AdminPolicies.ListPolicies.class, AdminVFolders.class,
            AdminImageMutations.Rescan.class, AdminImageMutations.Alias.class, AdminImageMutations.Dealias.class})
final class AdminCommand implements Runnable {
    @ParentCommand
    BackendAiCommand root;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code admin sessions}: as {@code ps}, with every status and the owner column for admins. */
    @Command(name = "sessions", mixinStandardHelpOptions = true, description = "Lists sessions (default: RUNNING).")
    static final class Sessions extends PsCommand {
        @Override
        boolean useAdminKey() {
            return true;
        }
    }

    /** {@code admin session SESSID}: one running session in detail (broken in 19.03; working here). */
    @Command(name = "session", mixinStandardHelpOptions = true, description = "Shows a running session in detail.")
    static final class SessionDetail implements Callable<Integer> {
        @ParentCommand
        AdminCommand admin;

        @Parameters(index = "0", paramLabel = "SESSID")
        String sessionId;

        @Option(names = {"-o", "--owner", "--owner-access-key"}, paramLabel = "ACCESS_KEY",
                description = "Accepted for 19.03 compatibility; admins see every owner's sessions.")
        String owner;

        static final String QUERY = "query($sess_id:String) {\n  compute_session(sess_id:$sess_id) {\n"
                + "    sess_id role image tag created_at terminated_at agent status status_info occupied_slots cpu_used"
                + " mem_cur_bytes mem_max_bytes num_queries net_rx_bytes net_tx_bytes io_read_bytes io_write_bytes"
                + " io_max_scratch_size io_cur_scratch_size cpu_using\n  }\n}";
        private static final String[][] LABELS = {{"sess_id", "Session ID"}, {"role", "Role"}, {"image", "Image"},
            {"tag", "Tag"}, {"created_at", "Created At"}, {"terminated_at", "Terminated At"}, {"agent", "Agent"},
            {"status", "Status"}, {"status_info", "Status Info"}, {"occupied_slots", "Occupied Resources"},
            {"cpu_used", "CPU Used (ms)"}, {"mem_cur_bytes", "Used Memory (MiB)"}, {"mem_max_bytes", "Max Used Memory (MiB)"},
            {"num_queries", "Number of Queries"}, {"net_rx_bytes", "Network RX Bytes"}, {"net_tx_bytes", "Network TX Bytes"},
            {"io_read_bytes", "IO Read Bytes"}, {"io_write_bytes", "IO Write Bytes"}, {"io_max_scratch_size", "IO Max Scratch Size"},
            {"io_cur_scratch_size", "IO Current Scratch Size"}, {"cpu_using", "CPU Using (%)"}};

        @Override
        public Integer call() {
            Pretty pretty = Pretty.stderr(false);
            try (Session s = new Session(Connection.resolve(admin.root.global, pretty, true))) {
                Map<String, Object> vars = new LinkedHashMap<>();
                vars.put("sess_id", sessionId);
                JsonNode session = s.admin().query(QUERY, vars).path("compute_session");
                if (session.isMissingNode() || session.isNull() || session.path("sess_id").isNull()) {
                    pretty.fail("There is no such running compute session.");
                    return 1;
                }
                System.out.println("Session detail:\n---------------");
                for (String[] label : LABELS) {
                    JsonNode v = session.get(label[0]);
                    String text = v == null || v.isNull() ? "" : v.asText();
                    if (label[0].startsWith("mem_") && v != null && v.isNumber()) {
                        text = String.format(java.util.Locale.ROOT, "%.1f", v.asDouble() / (1 << 20));
                    }
                    System.out.println(label[1] + ": " + text);
                }
                return 0;
            }
        }
    }

}
