package ai.backend.client.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.backend.client.APIConfig;
import ai.backend.client.BackendAPIError;
import ai.backend.client.AsyncSession;
import ai.backend.client.Session;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The 19.03.5 manager answers every completion with 500 internal-server-error; the SDK gives an empty list.
 * A real 19.03.5 manager cannot run here, so a stand-in answers as it does (its body from protocol §3.2.8).
 */
class CompletionToleranceTest {
    private static HttpServer manager(int status, String type) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = ("{\"type\": \"https://api.backend.ai/probs/" + type + "\", \"title\": \"x\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json; charset=utf-8");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static APIConfig config(HttpServer server) {
        return APIConfig.builder().endpoint("http://127.0.0.1:" + server.getAddress().getPort())
                .accessKey("AKIAIOSFODNN7EXAMPLE").secretKey("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY").build();
    }

    @Test
    void theBroken1903CompletionGivesAnEmptyList() throws Exception {
        HttpServer server = manager(500, "internal-server-error");
        try (Session s = new Session(config(server)); AsyncSession a = new AsyncSession(config(server))) {
            assertThat(s.kernels().of("sess").complete("pri")).isEmpty();
            assertThat(a.kernels().of("sess").complete("pri").get()).isEmpty();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void otherErrorsStillThrow() throws Exception {
        HttpServer server = manager(404, "kernel-not-found");
        try (Session s = new Session(config(server))) {
            assertThatThrownBy(() -> s.kernels().of("sess").complete("pri"))
                    .isInstanceOfSatisfying(BackendAPIError.class, e -> assertThat(e.status()).isEqualTo(404));
        } finally {
            server.stop(0);
        }
    }
}
