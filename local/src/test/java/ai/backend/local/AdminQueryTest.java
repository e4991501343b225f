package ai.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.backend.client.BackendAPIError;
import ai.backend.client.Session;
import ai.backend.client.kernel.CreateKernelRequest;
import ai.backend.client.kernel.Kernel;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SDK's raw GraphQL call ({@code session.admin().query}). */
class AdminQueryTest {
    @Test
    void runsQueriesWithVariablesAndReportsGraphqlErrors() {
        try (TestServer server = TestServer.start(); Session admin = new Session(server.adminConfig());
             Session user = new Session(server.userConfig())) {
            Kernel k = user.kernels().getOrCreate(CreateKernelRequest.builder("python").clientToken("gql-" + System.nanoTime()).build());
            server.recordSessionPids();
            JsonNode data = admin.admin().query("query($s: String) { compute_session(sess_id: $s) { sess_id status } }",
                    Map.of("s", k.id()));
            assertThat(data.at("/compute_session/sess_id").asText()).isEqualTo(k.id());
            assertThat(data.at("/compute_session/status").asText()).isEqualTo("RUNNING");
            assertThatThrownBy(() -> admin.admin().query("query { no_such_field }")).isInstanceOfSatisfying(BackendAPIError.class, e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.typeName()).isEqualTo("graphql-error");
                assertThat(e.data().get("data").get(0).get("message").asText()).contains("no_such_field");
            });
            // single-container sessions have no workers; a bad status is the manager's KeyError
            String workers = "query($s: String!, $st: String) { compute_workers(sess_id: $s, status: $st) { sess_id } }";
            assertThat(admin.admin().query(workers, Map.of("s", k.id())).get("compute_workers")).isEmpty();
            assertThat(user.admin().query(workers, Map.of("s", k.id(), "st", "RUNNING")).get("compute_workers")).isEmpty();
            assertThatThrownBy(() -> user.admin().query(workers, Map.of("s", k.id(), "st", "SLEEPY")))
                    .isInstanceOfSatisfying(BackendAPIError.class, e -> assertThat(e.data().toString()).contains("SLEEPY"));
            k.destroy();
        }
    }
}
