package ai.backend.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ai.backend.client.APIConfig;
import ai.backend.local.LocalServer;
import ai.backend.local.LocalServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every example against a real local server and checks what it prints. */
class ExamplesTest {
    private static Path dataDir;
    private static LocalServer server;
    private static APIConfig config;

    @BeforeAll
    static void start() throws Exception {
        dataDir = Files.createTempDirectory("examples-");
        server = LocalServer.start(LocalServerConfig.defaults(dataDir).withPort(0));
        config = APIConfig.builder().endpoint(server.endpoint()).accessKey(server.userKeypair().accessKey())
                .secretKey(server.userKeypair().secretKey()).build();
    }

    @AfterAll
    static void stop() throws Exception {
        List<Long> pids = server.sessionPids();
        server.close();
        assertThat(pids).as("sessions left by the examples").isEmpty();
        try (var paths = Files.walk(dataDir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private interface Example {
        void run(PrintStream out) throws Exception;
    }

    private static String output(Example example) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            example.run(out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void queryMode() throws Exception {
        assertThat(output(out -> QueryMode.run(config, out))).isEqualTo("3\nhello, hello, hello, \n");
    }

    @Test
    void userInput() throws Exception {
        assertThat(output(out -> UserInput.run(config, out, List.of("Lablup", "41"))))
                .isEqualTo("What is your name? Lablup\nHow old are you? 41\nHello, Lablup! Next year you will be 42.\n");
    }

    @Test
    void mediaOutput(@TempDir Path dir) throws Exception {
        String out = output(o -> MediaOutput.run(config, o, dir));
        assertThat(out).contains("image/svg+xml -> media-1.svg").contains("text/html -> media-2.html")
                .contains("image/png -> media-3.png").endsWith("done\n");
        assertThat(Files.readString(dir.resolve("media-1.svg"))).startsWith("<svg");
        assertThat(Files.readString(dir.resolve("media-2.html"))).isEqualTo("<table><tr><td>1</td><td>2</td></tr></table>");
        byte[] png = Files.readAllBytes(dir.resolve("media-3.png"));
        assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }

    @Test
    void asyncStreaming() throws Exception {
        assertThat(output(out -> AsyncStreaming.run(config, out)).lines())
                .containsExactly("session 1: 10 11 12", "session 2: 20 21 22", "session 3: 30 31 32");
    }

    @Test
    void batchModeWithUpload(@TempDir Path dir) throws Exception {
        assertThat(output(out -> BatchMode.run(config, out, dir))).isEqualTo(
                "[clean-finished, exit code 0]\n[build-finished, exit code 0]\nbuilt and run in batch mode\n[finished, exit code 0]\n");
    }
}
