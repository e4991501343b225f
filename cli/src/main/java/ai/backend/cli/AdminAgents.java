package ai.backend.cli;

import ai.backend.client.Session;
import ai.backend.client.admin.AgentInfo;
import ai.backend.client.admin.Page;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import ai.backend.client.internal.Json;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code admin agents} and {@code admin agent -i ID}. */
final class AdminAgents {
    private AdminAgents() {
    }

    static final String[][] LABELS = {{"id", "ID"}, {"status", "Status"}, {"region", "Region"},
        {"first_contact", "First Contact"}, {"cpu_cur_pct", "CPU Usage (%)"}, {"mem_cur_bytes", "Used Memory (MiB)"},
        {"available_slots", "Total slots"}, {"occupied_slots", "Occupied slots"}};
    static final String ONE = "query($agent_id:String!) {\n  agent(agent_id:$agent_id) {\n    %s\n  }\n}";
    private static final int PAGE = 10;

    static List<String> agentRow(JsonNode agent) {
        List<String> r = AdminSupport.row(agent, LABELS);
        r.set(5, AdminSupport.mib(agent.get("mem_cur_bytes")));
        return r;
    }

    @Command(name = "agents", mixinStandardHelpOptions = true, description = "List and manage agents (default: ALIVE).")
    static final class ListAgents extends AdminSupport {
        @Option(names = {"-s", "--status"}, defaultValue = "ALIVE", paramLabel = "STATUS",
                description = "Filter agents by the given status (default: ${DEFAULT-VALUE}).")
        String status;

        @Option(names = "--all", description = "List all agents, not only the first 10.")
        boolean all;

        @Mixin
        Output output;

        @Override
        public Integer call() {
            boolean json = output.json(spec);
            try (Session s = session()) {
                ArrayNode items = Json.MAPPER.createArrayNode();
                List<String> fields = List.of(AdminSupport.fields(LABELS).split(" "));
                int total;
                if (all) {
                    List<AgentInfo> every = s.agents().listAll(status, fields);
                    every.forEach(a -> items.add(a.raw()));
                    total = every.size();
                } else {
                    Page<AgentInfo> page = s.agents().list(PAGE, 0, status, fields);
                    page.items().forEach(a -> items.add(a.raw()));
                    total = page.totalCount();
                }
                if (json) {
                    System.out.println(items.toPrettyString());
                    return 0;
                }
                if (items.isEmpty()) {
                    pretty.info("There are no matching agents.");
                    return 0;
                }
                List<List<String>> rows = new ArrayList<>();
                items.forEach(a -> rows.add(agentRow(a)));
                Tables.simple(AdminSupport.headers(LABELS), rows).forEach(System.out::println);
                if (!all && total > PAGE) {
                    pretty.info("More agents can be displayed by using --all option.");
                }
                return 0;
            }
        }
    }

    @Command(name = "agent", mixinStandardHelpOptions = true, description = "Show the information about the given agent.")
    static final class ShowAgent extends AdminSupport {
        @Option(names = {"-i", "--id"}, required = true, paramLabel = "AGENT_ID", description = "The agent ID.")
        String agentId;

        @Mixin
        Output output;

        @Override
        public Integer call() {
            boolean json = output.json(spec);
            try (Session s = session()) {
                JsonNode agent = query(s, String.format(ONE, AdminSupport.fields(LABELS)), vars("agent_id", agentId))
                        .path("agent");
                if (isNothing(agent)) {
                    pretty.fail("No such agent: " + agentId);
                    return 1;
                }
                if (json) {
                    System.out.println(agent.toPrettyString());
                    return 0;
                }
                List<String> values = agentRow(agent);
                List<List<String>> rows = new ArrayList<>();
                for (int i = 0; i < LABELS.length; i++) {
                    rows.add(List.of(LABELS[i][1], values.get(i)));
                }
                Tables.simple(List.of("Field", "Value"), rows).forEach(System.out::println);
                return 0;
            }
        }
    }
}
