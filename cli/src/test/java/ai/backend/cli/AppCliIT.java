package ai.backend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code backend.ai app}: a real local proxy to a session's app service, stopped by SIGTERM as a user's Ctrl-C would. */
class AppCliIT {
    private static Path home;
    private static Map<String, String> env;

    @BeforeAll
    static void freshHome() throws Exception {
        home = Files.createTempDirectory("backendai-app-");
        env = CliProcess.cleanEnv(home);
    }

    @AfterAll
    static void stopServer() throws Exception {
        CliProcess.run(env, 60, "rm", "appcli01");
        assertThat(CliProcess.run(env, 60, "server", "stop").exitCode()).isZero();
        CliProcess.deleteTree(home);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void forwardsAPortToTheSessionsServiceUntilTerminated() throws Exception {
        CliProcess.Result started = CliProcess.run(env, 120, "run", "-t", "appcli01", "-c",
                "open('a.txt', 'w').write('served by the files app')", "python");
        assertThat(started.exitCode()).as(started.stderr()).isZero();

        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(CliProcess.projectDir().resolve("bin/backend.ai").toString(),
                "app", "appcli01", "files", "-p", Integer.toString(port)));
        Path err = Files.createTempFile("app-err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(CliProcess.projectDir().toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process app = pb.start();
        try {
            String expected = "A local proxy to the application \"files\" provided by the session \"appcli01\" is available at: "
                    + "http://127.0.0.1:" + port;
            for (int i = 0; i < 600 && !Files.readString(err).contains(expected); i++) {
                assertThat(app.isAlive()).as(Files.readString(err)).isTrue();
                Thread.sleep(100);
            }
            assertThat(Files.readString(err)).contains(expected);

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/a.txt")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("served by the files app");

            CliProcess.Result busy = CliProcess.run(env, 60, "app", "appcli01", "files", "-p", Integer.toString(port));
            assertThat(busy.exitCode()).isEqualTo(1);
            assertThat(busy.stderr()).contains("Cannot listen on 127.0.0.1:" + port).doesNotContain("Exception");

            app.destroy(); // SIGTERM
            assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String log = Files.readString(err, StandardCharsets.UTF_8);
            assertThat(log).contains("Shutting down....").contains("The local proxy to \"files\" has terminated.");
        } finally {
            app.destroyForcibly();
            Files.deleteIfExists(err);
        }
    }
}
