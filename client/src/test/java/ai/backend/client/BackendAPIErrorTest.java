package ai.backend.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackendAPIErrorTest {
    @Test
    void parses1903ProblemWithMessageInTitle() {
        BackendAPIError e = BackendAPIError.fromBody(400, "Bad Request",
                "{\"type\": \"https://api.backend.ai/probs/invalid-api-params\", "
                        + "\"title\": \"Missing or invalid API parameters. (Unknown image reference: nosuchimage)\"}");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.reason()).isEqualTo("Bad Request");
        assertThat(e.type()).isEqualTo("https://api.backend.ai/probs/invalid-api-params");
        assertThat(e.typeName()).isEqualTo("invalid-api-params");
        assertThat(e.message()).isEqualTo("Unknown image reference: nosuchimage");
        assertThat(e.getMessage()).contains("400 Bad Request").contains("Unknown image reference");
        assertThat(e.isRetryable()).isFalse();
    }

    @Test
    void prefersTheMsgFieldOfLaterManagers() {
        BackendAPIError e = BackendAPIError.fromBody(400, "Bad Request",
                "{\"type\": \"https://api.backend.ai/probs/invalid-api-params\", "
                        + "\"title\": \"Missing or invalid API parameters.\", \"msg\": \"runId is missing!\"}");
        assertThat(e.message()).isEqualTo("runId is missing!");
        assertThat(e.getMessage()).contains("runId is missing!");
    }

    @Test
    void titleWithoutMessageHasNoMessage() {
        BackendAPIError e = BackendAPIError.fromBody(404, "Not Found",
                "{\"type\": \"https://api.backend.ai/probs/kernel-not-found\", \"title\": \"No such kernel.\"}");
        assertThat(e.message()).isNull();
        assertThat(e.title()).isEqualTo("No such kernel.");
    }

    @Test
    void wrapsBodiesThatAreNotJsonAs1903Does() {
        BackendAPIError e = BackendAPIError.fromBody(502, "Bad Gateway", "<html>proxy error</html>");
        assertThat(e.type()).isEqualTo("https://api.backend.ai/probs/generic-error");
        assertThat(e.title()).isEqualTo("Generic Error (could not parse error string)");
        assertThat(e.data().get("content").asText()).isEqualTo("<html>proxy error</html>");
        assertThat(e.isRetryable()).isTrue();
    }

    @Test
    void wrapsJsonThatIsNotAnObject() {
        BackendAPIError e = BackendAPIError.fromBody(500, "Internal Server Error", "[1, 2]");
        assertThat(e.typeName()).isEqualTo("generic-error");
        assertThat(e.data().get("content").asText()).isEqualTo("[1, 2]");
    }

    @Test
    void exposesAgentDetails() {
        BackendAPIError e = BackendAPIError.fromBody(500, "Internal Server Error",
                "{\"type\": \"https://api.backend.ai/probs/kernel-execution-failed\", \"title\": \"Executing user code in the kernel has failed.\", "
                        + "\"agent-details\": {\"type\": \"https://api.backend.ai/probs/agent-timeout\", \"title\": null}}");
        assertThat(e.agentDetails().get("type").asText()).endsWith("agent-timeout");
    }

    @Test
    void keepsPlainJsonErrorBodies() {
        BackendAPIError e = BackendAPIError.fromBody(404, "Not Found", "{\"error_msg\": \"no such file\"}");
        assertThat(e.type()).isNull();
        assertThat(e.data().get("error_msg").asText()).isEqualTo("no such file");
    }
}
