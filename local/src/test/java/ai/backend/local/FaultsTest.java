package ai.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.backend.client.APIConfig;
import ai.backend.client.BackendAPIError;
import ai.backend.client.BackendClientError;
import ai.backend.client.Session;
import ai.backend.client.kernel.CreateKernelRequest;
import ai.backend.client.kernel.ExecuteRequest;
import ai.backend.client.kernel.ExecutionResult;
import ai.backend.client.kernel.ExecutionStatus;
import ai.backend.client.kernel.ExecutionStream;
import ai.backend.client.kernel.Kernel;
import ai.backend.local.agent.AgentTestAccess;
import ai.backend.local.store.Database;
import io.javalin.Javalin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs that misbehave, processes that die, clients and servers that go away: no hang, no orphan process. */
class FaultsTest {
    private static Kernel create(Session s, TestServer server, String prefix) {
        Kernel k = s.kernels().getOrCreate(CreateKernelRequest.builder("python").clientToken(prefix + System.nanoTime()).build());
        server.recordSessionPids();
        return k;
    }

    @Test
    void aRunThatPrintsWithoutEndIsCutIntoResultsAndEndsWithTheSession() {
        try (TestServer server = TestServer.start(Duration.ofMillis(300)); Session s = new Session(server.userConfig())) {
            Kernel k = create(s, server, "endless-");
            ExecutionResult r = k.execute(ExecuteRequest.query("while True:\n    print('x' * 1000)"));
            for (int i = 0; i < 5; i++) {
                assertThat(r.status()).isEqualTo(ExecutionStatus.CONTINUED);
                assertThat(r.stdout().length()).as("about 1 MiB per result").isLessThan(2 << 20);
                r = k.execute(ExecuteRequest.continueRun(r.runId()));
            }
            long pid = server.server().sessionPids().get(0);
            k.destroy();
            assertThat(TestServer.isAlive(pid)).isFalse();
        }
    }

    @Test
    void aRunThatForksManyProcessesLeavesNoneBehind() throws Exception {
        try (TestServer server = TestServer.start(); Session s = new Session(server.userConfig())) {
            Kernel k = create(s, server, "forks-");
            k.execute(ExecuteRequest.query("import subprocess\nps = [subprocess.Popen(['sleep', '300']) for _ in range(40)]\n"
                    + "import os\nif os.fork() == 0:\n    os.setsid()\n    import time\n    time.sleep(300)\n"));
            long pid = server.server().sessionPids().get(0);
            List<ProcessHandle> children = ProcessHandle.of(pid).orElseThrow().descendants().toList();
            assertThat(children.size()).isGreaterThanOrEqualTo(40);
            k.destroy();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (children.stream().anyMatch(FaultsTest::running) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(children).noneMatch(FaultsTest::running);
        }
    }

    /** Alive and not a zombie waiting to be reaped by init. */
    private static boolean running(ProcessHandle p) {
        if (!p.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void aRunnerKilledMidRunIsReportedWithoutHanging() {
        try (TestServer server = TestServer.start(Duration.ofMillis(300)); Session s = new Session(server.userConfig())) {
            Kernel k = create(s, server, "killed-");
            ExecutionResult r = k.execute(ExecuteRequest.query("import time\nwhile True:\n    time.sleep(0.01)"));
            ProcessHandle.of(server.server().sessionPids().get(0)).orElseThrow().destroyForcibly();
            long start = System.nanoTime();
            while (!r.isFinished()) {
                r = k.execute(ExecuteRequest.continueRun(r.runId()));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(r.exitCode()).isNotZero();
            assertThat(r.stderr()).contains("runner process has exited");
            // the dead session is replaced when the same name is asked for again
            Kernel again = s.kernels().getOrCreate(CreateKernelRequest.builder("python").clientToken(k.id()).build());
            server.recordSessionPids();
            assertThat(again.ref().created()).isTrue();
            assertThat(again.execute(ExecuteRequest.query("print('back')")).stdout()).isEqualTo("back\n");
            again.destroy();
        }
    }

    @Test
    void aSessionsExecutionTimeoutEndsLongRuns() {
        try (TestServer server = TestServer.start(Duration.ofMillis(300)); Session s = new Session(server.userConfig())) {
            Kernel k = s.kernels().getOrCreate(CreateKernelRequest.builder("python").clientToken("timeout-" + System.nanoTime())
                    .execTimeout(Duration.ofMillis(700)).build());
            server.recordSessionPids();
            ExecutionResult r = k.execute(ExecuteRequest.query("import time\nprint('start', flush=True)\ntime.sleep(30)"));
            StringBuilder out = new StringBuilder(r.stdout());
            while (!r.isFinished()) {
                r = k.execute(ExecuteRequest.continueRun(r.runId()));
                out.append(r.stdout());
            }
            assertThat(r.status()).isEqualTo(ExecutionStatus.EXEC_TIMEOUT);
            assertThat(r.exitCode()).isNull();
            assertThat(out.toString()).startsWith("start\n");
            assertThat(k.execute(ExecuteRequest.query("print('next')")).stdout()).isEqualTo("next\n");
            assertThatThrownBy(() -> s.fetch(ai.backend.client.Request.post("/kernel/create").jsonBody(java.util.Map.of(
                    "lang", "python", "clientSessionToken", "badtimeout", "config", java.util.Map.of("execTimeout", "soon")))
                    .build())).isInstanceOfSatisfying(BackendAPIError.class, e -> assertThat(e.status()).isEqualTo(400));
            k.destroy();
        }
    }

    @Test
    void anImageWhoseInterpreterIsMissingIsRefusedClearly() throws Exception {
        Path dir = Files.createTempDirectory("nopython-");
        try (LocalServer server = LocalServer.start(LocalServerConfig.defaults(dir).withPort(0).withPython("/nonexistent/python3"));
             Session s = new Session(APIConfig.builder().endpoint(server.endpoint()).accessKey(server.userKeypair().accessKey())
                     .secretKey(server.userKeypair().secretKey()).build())) {
            assertThatThrownBy(() -> s.kernels().getOrCreate(CreateKernelRequest.builder("python").build()))
                    .isInstanceOfSatisfying(BackendAPIError.class, e -> {
                        assertThat(e.status()).isEqualTo(500);
                        assertThat(e.typeName()).isEqualTo("kernel-creation-failed");
                        assertThat(e.agentDetails().get("exception").asText()).contains("interpreter is not installed");
                    });
            assertThat(server.agent().sessions()).isEmpty();
        } finally {
            AgentTestAccess.deleteTree(dir);
        }
    }

    @Test
    void sessionsEndWithTheServerAndAreReportedTerminatedAfterARestart() throws Exception {
        Path dir = Files.createTempDirectory("restart-");
        try {
            long pid;
            String id;
            try (LocalServer server = LocalServer.start(LocalServerConfig.defaults(dir).withPort(0));
                 Session s = new Session(APIConfig.builder().endpoint(server.endpoint())
                         .accessKey(server.userKeypair().accessKey()).secretKey(server.userKeypair().secretKey()).build())) {
                Kernel k = s.kernels().getOrCreate(CreateKernelRequest.builder("python").clientToken("survivor").build());
                k.execute(ExecuteRequest.query("import subprocess\np = subprocess.Popen(['sleep', '300'])"));
                pid = server.sessionPids().get(0);
                id = k.id();
            }
            assertThat(TestServer.isAlive(pid)).isFalse();
            try (LocalServer again = LocalServer.start(LocalServerConfig.defaults(dir).withPort(0))) {
                List<Database.KernelRow> rows = again.database().kernels(null);
                assertThat(rows).extracting(Database.KernelRow::sessId).contains(id);
                assertThat(rows).allSatisfy(row -> assertThat(row.status()).isEqualTo("TERMINATED"));
                assertThat(again.agent().sessions()).isEmpty();
            }
        } finally {
            AgentTestAccess.deleteTree(dir);
        }
    }

    @Test
    void streamsOpenWhenTheServerStopsGetTheServerRestartingFrame() throws Exception {
        TestServer server = TestServer.start();
        try (Session s = new Session(server.userConfig())) {
            Kernel k = create(s, server, "shutdown-");
            ExecutionStream stream = k.stream("import time\nwhile True:\n    time.sleep(0.05)", Duration.ofSeconds(30));
            assertThat(stream.next()).isNotNull();
            server.close();
            assertThatThrownBy(() -> {
                while (stream.next() != null) {
                    // drain until the failure
                }
            }).isInstanceOfSatisfying(BackendClientError.class, e -> {
                assertThat(e.getMessage()).contains("server-restarting");
                assertThat(e.isRetryable()).isTrue();
            });
        }
    }

    @Test
    void aStalledStreamFailsAfterItsIdleTimeout() throws Exception {
        // A server that accepts the stream and then says nothing: only a stand-in can stall like this.
        Javalin stalled = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.routes.ws("/stream/kernel/{sess}/execute", ws -> ws.onMessage(ctx -> { }));
        }).start("127.0.0.1", 0);
        try (Session s = new Session(APIConfig.builder().endpoint("http://127.0.0.1:" + stalled.port())
                .accessKey("AKIASTALLED000000000").secretKey("secret").build())) {
            long start = System.nanoTime();
            try (ExecutionStream stream = s.kernels().of("stalled").stream("print(1)", Duration.ofMillis(500))) {
                assertThatThrownBy(stream::next).isInstanceOfSatisfying(BackendClientError.class, e -> {
                    assertThat(e.getMessage()).contains("idle timeout");
                    assertThat(e.isRetryable()).isTrue();
                });
                assertThat(stream.state()).isEqualTo(ExecutionStream.State.FAILED);
                assertThat(stream.completion()).isCompletedExceptionally();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        } finally {
            stalled.stop();
        }
    }
}
