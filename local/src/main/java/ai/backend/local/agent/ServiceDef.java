package ai.backend.local.agent;

import ai.backend.client.internal.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An app service an image provides (19.03's service ports and service definitions): its name, protocol
 * ({@code http}, {@code tcp}, or {@code pty}, which the app proxy refuses), its nominal port, and the command that
 * starts it in the session's directory. In the command, {@code {python}} stands for the machine's Python and
 * {@code {port}} for the port the service must listen on (a free loopback port chosen at launch).
 */
public record ServiceDef(String name, String protocol, int port, List<String> command) {
    private static final System.Logger LOG = System.getLogger(ServiceDef.class.getName());

    public ServiceDef {
        command = List.copyOf(command);
    }

    /** The services of an image row's JSON; entries that are not well formed are skipped (and logged). */
    static List<ServiceDef> parseAll(String image, String json) {
        List<ServiceDef> out = new ArrayList<>();
        JsonNode list;
        try {
            list = Json.parse(json == null ? "[]" : json);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "image {0}: service_ports is not JSON; no services", image);
            return out;
        }
        for (JsonNode n : list) {
            List<String> command = new ArrayList<>();
            n.path("command").forEach(c -> command.add(c.asText()));
            if (!n.path("name").isTextual() || !n.path("protocol").isTextual() || !n.path("port").canConvertToInt()
                    || command.isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, "image {0}: skipping the malformed service {1}", image, n);
                continue;
            }
            out.add(new ServiceDef(n.get("name").asText(), n.get("protocol").asText(), n.get("port").asInt(), command));
        }
        return List.copyOf(out);
    }

    /** The command with {@code {python}} and {@code {port}} filled in. */
    List<String> commandLine(String python, int actualPort) {
        List<String> line = new ArrayList<>();
        for (String part : command) {
            line.add(part.replace("{python}", python).replace("{port}", Integer.toString(actualPort)));
        }
        return line;
    }
}
