package ai.backend.cli;

import ai.backend.client.BackendAPIError;
import ai.backend.client.BackendClientError;
import com.fasterxml.jackson.databind.JsonNode;

/** Prints an error as 19.03's {@code print_error} does, with a stack trace only when asked. */
final class ErrorPrinter {
    private ErrorPrinter() {
    }

    static void print(Throwable e, boolean debug) {
        print(Pretty.stderr(false), e, debug, "");
    }

    static void print(Pretty pretty, Throwable e, boolean debug, String prefix) {
        if (e instanceof BackendAPIError) {
            BackendAPIError api = (BackendAPIError) e;
            StringBuilder sb = new StringBuilder(prefix).append("BackendAPIError: ").append(api.status()).append(' ')
                    .append(api.reason());
            if (api.title() != null) {
                sb.append('\n').append(api.title());
            }
            JsonNode data = api.data();
            if (data != null && data.hasNonNull("msg")) {
                sb.append("\n\u279c ").append(data.get("msg").asText());
            }
            if (data != null && data.has("data")) {
                sb.append("\n\u279c Error details: ").append(data.get("data"));
            }
            JsonNode agent = api.agentDetails();
            if (agent != null) {
                sb.append("\n\u279c This is an agent-side error. Check the agent status or ask the administrator for help.");
                if (agent.hasNonNull("exception")) {
                    sb.append("\n\u279c ").append(agent.get("exception").asText());
                }
                if (agent.hasNonNull("title")) {
                    sb.append("\n\u279c ").append(agent.get("title").asText());
                }
            }
            if (data != null && data.hasNonNull("content")) {
                sb.append('\n').append(data.get("content").asText());
            }
            pretty.fail(sb.toString());
        } else if (e instanceof BackendClientError) {
            pretty.fail(prefix + "BackendClientError: " + e.getMessage());
        } else {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            pretty.fail(prefix + e.getClass().getSimpleName() + ": " + message);
        }
        if (debug) {
            System.err.println("*** Traceback ***");
            e.printStackTrace(System.err);
        }
    }
}
