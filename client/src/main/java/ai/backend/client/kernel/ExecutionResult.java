package ai.backend.client.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One execution result (protocol §4.3): status, exit code, options, files and the console records
 * collected since the previous result. {@link #raw()} keeps the JSON object as received.
 *
 * @param runId    the run's ID; null in streamed results, which do not carry it
 * @param exitCode set for {@code finished}, {@code clean-finished} and {@code build-finished}, else null
 */
public record ExecutionResult(String runId, ExecutionStatus status, Integer exitCode, JsonNode options,
                              List<ExecutionFile> files, List<ConsoleRecord> console, JsonNode raw) {
    public ExecutionResult {
        files = List.copyOf(files);
        console = List.copyOf(console);
    }

    /** Parses a result object (the value of {@code result} in REST, or a streamed frame). */
    public static ExecutionResult fromJson(JsonNode node) {
        String runId = node.hasNonNull("runId") ? node.get("runId").asText() : null;
        ExecutionStatus status = ExecutionStatus.fromWire(node.path("status").asText());
        Integer exitCode = node.hasNonNull("exitCode") ? node.get("exitCode").asInt() : null;
        JsonNode options = node.get("options");
        List<ExecutionFile> files = new ArrayList<>();
        for (JsonNode f : node.path("files")) {
            files.add(new ExecutionFile(f.path("name").asText(), f.path("url").asText(null)));
        }
        List<ConsoleRecord> console = new ArrayList<>();
        for (JsonNode item : node.path("console")) {
            console.add(ConsoleRecord.fromJson(item));
        }
        return new ExecutionResult(runId, status, exitCode, options == null || options.isNull() ? null : options,
                files, console, node);
    }

    /** Whether this is the last result of the run. */
    public boolean isFinished() {
        return status.isTerminal();
    }

    /** For {@code waiting-input}: whether the prompt asks for a password (input should be hidden). */
    public boolean isPasswordPrompt() {
        return options != null && options.path("is_password").asBoolean(false);
    }

    /** All stdout text of this result, concatenated. */
    public String stdout() {
        StringBuilder sb = new StringBuilder();
        for (ConsoleRecord r : console) {
            if (r instanceof ConsoleRecord.Stdout) {
                sb.append(((ConsoleRecord.Stdout) r).text());
            }
        }
        return sb.toString();
    }

    /** All stderr text of this result, concatenated. */
    public String stderr() {
        StringBuilder sb = new StringBuilder();
        for (ConsoleRecord r : console) {
            if (r instanceof ConsoleRecord.Stderr) {
                sb.append(((ConsoleRecord.Stderr) r).text());
            }
        }
        return sb.toString();
    }
}
