package ai.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import ai.backend.client.Session;
import ai.backend.client.kernel.CreateKernelRequest;
import ai.backend.client.kernel.Kernel;
import ai.backend.client.kernel.TerminalStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The terminal stream (protocol §5.2): a shell on a pseudo-terminal, over a real WebSocket. */
class TerminalIntegrationTest {
    @Test
    void aTerminalRunsAShellInTheSessionDirectoryWithItsSize() throws Exception {
        try (TestServer server = TestServer.start(); Session s = new Session(server.userConfig())) {
            Kernel k = s.kernels().getOrCreate(CreateKernelRequest.builder("python").clientToken("term-" + System.nanoTime())
                    .env("GREETING", "from-the-session").build());
            server.recordSessionPids();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            TerminalStream t = k.terminal(bytes -> {
                synchronized (out) {
                    out.writeBytes(bytes);
                }
            });
            t.resize(30, 100);
            t.ping();
            t.write("stty size; echo \"$GREETING\"; pwd; exit\n".getBytes(StandardCharsets.UTF_8));
            t.closed().get(30, TimeUnit.SECONDS);
            String text;
            synchronized (out) {
                text = out.toString(StandardCharsets.UTF_8);
            }
            assertThat(text).contains("30 100").contains("from-the-session").contains("/sessions/");
            k.destroy();
        }
    }

    @Test
    void closingTheTerminalEndsItsShellAndDestroyingTheSessionEndsOpenTerminals() throws Exception {
        try (TestServer server = TestServer.start(); Session s = new Session(server.userConfig())) {
            Kernel k = s.kernels().getOrCreate(CreateKernelRequest.builder("bash").clientToken("term2-" + System.nanoTime()).build());
            server.recordSessionPids();
            TerminalStream t = k.terminal(bytes -> { });
            t.write("sleep 300\n".getBytes(StandardCharsets.UTF_8));
            Thread.sleep(500);
            long sleepers = ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().orElse("").endsWith("sleep 300")).count();
            assertThat(sleepers).isGreaterThanOrEqualTo(1);
            k.destroy();
            t.closed().get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && ProcessHandle.allProcesses()
                    .anyMatch(p -> p.info().commandLine().orElse("").endsWith("sleep 300"))) {
                Thread.sleep(50);
            }
            assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").endsWith("sleep 300")).count())
                    .isZero();
        }
    }
}
