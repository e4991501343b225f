package ai.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.backend.client.AsyncSession;
import ai.backend.client.BackendAPIError;
import ai.backend.client.Request;
import ai.backend.client.Response;
import ai.backend.client.ServerInfo;
import ai.backend.client.Session;
import ai.backend.client.kernel.AsyncKernel;
import ai.backend.client.kernel.ConsoleRecord;
import ai.backend.client.kernel.ContainerStats;
import ai.backend.client.kernel.CreateKernelRequest;
import ai.backend.client.kernel.ExecuteRequest;
import ai.backend.client.kernel.ExecutionListener;
import ai.backend.client.kernel.ExecutionResult;
import ai.backend.client.kernel.ExecutionStatus;
import ai.backend.client.kernel.Kernel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KernelIntegrationTest {
    private static TestServer server;
    private static Session user;
    private static Session admin;

    @BeforeAll
    static void startServer() {
        server = TestServer.start(Duration.ofMillis(700));
        user = new Session(server.userConfig());
        admin = new Session(server.adminConfig());
    }

    @AfterAll
    static void stopServer() {
        user.close();
        admin.close();
        server.close();
    }

    private static Kernel create(String token) {
        Kernel k = user.kernels().getOrCreate(CreateKernelRequest.builder("python").clientToken(token).build());
        server.recordSessionPids();
        return k;
    }

    @Test
    void helloReportsTheApiAndManagerVersions() {
        ServerInfo info = user.hello();
        assertThat(info.apiVersion()).isEqualTo("v4.20190315");
        assertThat(info.managerVersion()).isEqualTo("19.03.5");
        assertThat(info.isLegacy()).isFalse();
    }

    @Test
    void createExecuteDestroy() {
        Kernel k = create("ced-" + System.nanoTime());
        assertThat(k.ref().created()).isTrue();
        ExecutionResult r = k.execute(ExecuteRequest.query("print('hello world')"));
        assertThat(r.status()).isEqualTo(ExecutionStatus.FINISHED);
        assertThat(r.exitCode()).isZero();
        assertThat(r.runId()).matches("[0-9a-f]{32}");
        assertThat(r.console()).containsExactly(new ConsoleRecord.Stdout("hello world\n"));
        assertThat(r.files()).isEmpty();
        long pid = server.server().agent().find(server.server().userKeypair().accessKey(), k.id()).orElseThrow().pid();
        ContainerStats stats = k.destroy();
        assertThat(stats).isNotNull();
        assertThat(stats.cpuUsed()).isGreaterThanOrEqualTo(0);
        assertThat(stats.memMaxBytes()).isGreaterThan(0);
        assertThat(TestServer.isAlive(pid)).isFalse();
        assertThatThrownBy(() -> k.execute(ExecuteRequest.query("1")))
                .isInstanceOfSatisfying(BackendAPIError.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.typeName()).isEqualTo("kernel-not-found");
                });
    }

    @Test
    void keepsInterpreterStateBetweenQueries() {
        Kernel k = create("state-" + System.nanoTime());
        try {
            assertThat(k.execute(ExecuteRequest.query("x = 6 * 7")).console()).isEmpty();
            assertThat(k.execute(ExecuteRequest.query("print(x)")).stdout()).isEqualTo("42\n");
        } finally {
            k.destroy();
        }
    }

    @Test
    void keepsStdoutAndStderrInOrderAsSeparateRecords() {
        Kernel k = create("order-" + System.nanoTime());
        try {
            ExecutionResult r = k.execute(ExecuteRequest.query(
                    "import sys\nprint('a')\nprint('b')\nprint('c', file=sys.stderr)\nprint('d')"));
            assertThat(r.console()).containsExactly(new ConsoleRecord.Stdout("a\nb\n"),
                    new ConsoleRecord.Stderr("c\n"), new ConsoleRecord.Stdout("d\n"));
        } finally {
            k.destroy();
        }
    }

    @Test
    void inputRoundTrip() {
        Kernel k = create("input-" + System.nanoTime());
        try {
            ExecutionResult r = k.execute(ExecuteRequest.query("name = input('Name? ')\nprint('hi', name)"));
            assertThat(r.status()).isEqualTo(ExecutionStatus.WAITING_INPUT);
            assertThat(r.stdout()).isEqualTo("Name? ");
            assertThat(r.isPasswordPrompt()).isFalse();
            assertThat(r.raw().get("options").get("is_password").asBoolean()).isFalse();
            ExecutionResult done = k.execute(ExecuteRequest.input(r.runId(), "Lablup"));
            assertThat(done.status()).isEqualTo(ExecutionStatus.FINISHED);
            assertThat(done.runId()).isEqualTo(r.runId());
            assertThat(done.stdout()).isEqualTo("hi Lablup\n");
        } finally {
            k.destroy();
        }
    }

    @Test
    void passwordPromptsAreMarked() {
        Kernel k = create("pw-" + System.nanoTime());
        try {
            ExecutionResult r = k.execute(ExecuteRequest.query("import getpass\np = getpass.getpass()\nprint(len(p))"));
            assertThat(r.status()).isEqualTo(ExecutionStatus.WAITING_INPUT);
            assertThat(r.isPasswordPrompt()).isTrue();
            assertThat(k.execute(ExecuteRequest.input(r.runId(), "secret")).stdout()).isEqualTo("6\n");
        } finally {
            k.destroy();
        }
    }

    @Test
    void returnsContinuedWhileOutputIsStillComing() {
        Kernel k = create("cont-" + System.nanoTime());
        try {
            List<ExecutionResult> results = new ArrayList<>();
            ExecutionResult last = k.run("import time\nfor i in range(3):\n    print(i)\n    time.sleep(0.5)\n",
                    results::add);
            assertThat(results.get(0).status()).isEqualTo(ExecutionStatus.CONTINUED);
            assertThat(last.status()).isEqualTo(ExecutionStatus.FINISHED);
            StringBuilder all = new StringBuilder();
            results.forEach(r -> all.append(r.stdout()));
            assertThat(all.toString()).isEqualTo("0\n1\n2\n");
            assertThat(results).allSatisfy(r -> assertThat(r.runId()).isEqualTo(last.runId()));
        } finally {
            k.destroy();
        }
    }

    @Test
    void runDrivesInputThroughTheListener() {
        Kernel k = create("listen-" + System.nanoTime());
        try {
            ExecutionResult last = k.run("a = input()\nb = input()\nprint(int(a) + int(b))", new ExecutionListener() {
                private int n;

                @Override
                public void onResult(ExecutionResult result) {
                }

                @Override
                public String onInputRequested(ExecutionResult result) {
                    return Integer.toString(++n * 10);
                }
            });
            assertThat(last.stdout()).isEqualTo("30\n");
        } finally {
            k.destroy();
        }
    }

    @Test
    void reusingATokenReturnsCreatedFalseAndTheSameSession() {
        String token = "reuse-" + System.nanoTime();
        Kernel first = create(token);
        try {
            first.execute(ExecuteRequest.query("marker = 'same'"));
            Kernel second = create(token);
            assertThat(second.ref().created()).isFalse();
            assertThat(second.id()).isEqualTo(token);
            assertThat(second.execute(ExecuteRequest.query("print(marker)")).stdout()).isEqualTo("same\n");
            assertThatThrownBy(() -> user.kernels().getOrCreate(
                    CreateKernelRequest.builder("lablup/python:3.11").clientToken(token).build()))
                    .isInstanceOfSatisfying(BackendAPIError.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.typeName()).isEqualTo("kernel-already-exists");
                    });
        } finally {
            first.destroy();
        }
    }

    @Test
    void tokensAreScopedToTheAccessKey() {
        String token = "scoped-" + System.nanoTime();
        Kernel mine = create(token);
        try {
            assertThatThrownBy(() -> admin.kernels().of(token).execute(ExecuteRequest.query("1")))
                    .isInstanceOfSatisfying(BackendAPIError.class, e -> assertThat(e.status()).isEqualTo(404));
            // an admin may act for the owner
            String owner = server.server().userKeypair().accessKey();
            assertThat(admin.kernels().of(token, owner).execute(ExecuteRequest.query("print(7)")).stdout())
                    .isEqualTo("7\n");
            // a user may not act for someone else
            assertThatThrownBy(() -> user.kernels().of(token, server.server().adminKeypair().accessKey())
                    .execute(ExecuteRequest.query("1")))
                    .isInstanceOfSatisfying(BackendAPIError.class, e -> {
                        assertThat(e.status()).isEqualTo(403);
                        assertThat(e.message()).isEqualTo("Only admins can access or control sessions owned by others.");
                    });
        } finally {
            mine.destroy();
        }
    }

    @Test
    void unknownImageIsRefusedWithTheRealMessage() {
        int before = server.server().agent().sessions().size();
        assertThatThrownBy(() -> user.kernels().getOrCreate(CreateKernelRequest.builder("nosuchimage").build()))
                .isInstanceOfSatisfying(BackendAPIError.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.typeName()).isEqualTo("invalid-api-params");
                    assertThat(e.title()).isEqualTo("Missing or invalid API parameters. (Unknown image reference: nosuchimage)");
                });
        assertThat(server.server().agent().sessions()).hasSize(before);
    }

    @Test
    void tokenRulesAreEnforcedByTheServer() {
        int before = server.server().agent().sessions().size();
        assertCreateFails(Map.of("lang", "python", "clientSessionToken", "abc"),
                "clientSessionToken is too short or long (4 to 64 bytes required)!");
        assertCreateFails(Map.of("lang", "python", "clientSessionToken", "x".repeat(65)),
                "clientSessionToken is too short or long (4 to 64 bytes required)!");
        assertCreateFails(Map.of("lang", "python", "clientSessionToken", "bad token!"),
                "clientSessionToken contains invalid characters.");
        assertCreateFails(Map.of("lang", "python"), "clientSessionToken is missing or empty!");
        assertCreateFails(Map.of("clientSessionToken", "abcd"), "lang or image is missing or empty!");
        assertCreateFails(Map.of("lang", "python", "clientSessionToken", "abcd",
                "config", Map.of("resources", Map.of("gpu", "1"))), "Unknown requested resource slot: gpu");
        assertCreateFails(Map.of("lang", "python", "clientSessionToken", "abcd",
                "config", Map.of("instanceGPUs", 1)), "Client upgrade required to use GPUs (v19.03+).");
        assertCreateFails(Map.of("lang", "python", "clientSessionToken", "abcd",
                "config", Map.of("instanceTPUs", 1)), "Client upgrade required to use TPUs (v19.03+).");
        assertThatThrownBy(() -> user.fetch(Request.post("/kernel/create").jsonBody(Map.of("lang", "python",
                "clientSessionToken", "mounty", "config", Map.of("mounts", java.util.List.of("nosuchfolder")))).build()))
                .isInstanceOfSatisfying(BackendAPIError.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.typeName()).isEqualTo("vfolder-not-found");
                });
        assertThat(server.server().agent().sessions()).hasSize(before);
    }

    @Test
    void sdkRefusesBadTokensBeforeSending() {
        assertThatThrownBy(() -> CreateKernelRequest.builder("python").clientToken("abc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 to 64");
        assertThat(CreateKernelRequest.builder("python").build().clientToken()).matches("[0-9a-f]{32}");
    }

    private static void assertCreateFails(Map<String, Object> body, String message) {
        assertThatThrownBy(() -> user.fetch(Request.post("/kernel/create").jsonBody(body).build()))
                .isInstanceOfSatisfying(BackendAPIError.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.typeName()).isEqualTo("invalid-api-params");
                    assertThat(e.message()).isEqualTo(message);
                });
    }

    @Test
    void malformedJsonBodiesAreRefusedAndChangeNothing() {
        int before = server.server().agent().sessions().size();
        assertThatThrownBy(() -> user.fetch(Request.post("/kernel/create")
                .bytesBody("{not json".getBytes(), "application/json").build()))
                .isInstanceOfSatisfying(BackendAPIError.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.typeName()).isEqualTo("invalid-api-params");
                });
        assertThat(server.server().agent().sessions()).hasSize(before);
        Kernel k = create("badexec-" + System.nanoTime());
        try {
            assertThatThrownBy(() -> user.fetch(Request.post("/kernel/" + k.id())
                    .bytesBody("nope".getBytes(), "application/json").build()))
                    .isInstanceOfSatisfying(BackendAPIError.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.title()).isEqualTo("Missing or invalid API parameters.");
                    });
            assertThatThrownBy(() -> user.fetch(Request.post("/kernel/" + k.id())
                    .jsonBody(Map.of("mode", "query", "code", "1")).build()))
                    .isInstanceOfSatisfying(BackendAPIError.class, e -> assertThat(e.message()).isEqualTo("runId is missing!"));
            assertThatThrownBy(() -> user.fetch(Request.post("/kernel/" + k.id())
                    .jsonBody(Map.of("mode", "fly", "code", "1", "runId", "x")).build()))
                    .isInstanceOfSatisfying(BackendAPIError.class, e -> assertThat(e.message()).isEqualTo("mode has an invalid value."));
            Map<String, Object> noRun = new java.util.HashMap<>();
            noRun.put("mode", "continue");
            noRun.put("code", "");
            noRun.put("runId", null);
            assertThatThrownBy(() -> user.fetch(Request.post("/kernel/" + k.id()).jsonBody(noRun).build()))
                    .isInstanceOfSatisfying(BackendAPIError.class,
                            e -> assertThat(e.message()).isEqualTo("continuation requires explicit run ID"));
            assertThat(k.execute(ExecuteRequest.query("print('still fine')")).stdout()).isEqualTo("still fine\n");
        } finally {
            k.destroy();
        }
    }

    @Test
    void responsesCarryTheManagerHeaders() {
        Response r = user.fetch(Request.get("/").build());
        assertThat(r.header("Server")).contains("BackendAI");
        assertThat(r.header("Content-Type").orElseThrow().replace(" ", "")).isEqualTo("application/json;charset=utf-8");
        assertThat(r.text()).isEqualTo("{\"version\": \"v4.20190315\", \"manager\": \"19.03.5\"}");
        Response auth = user.fetch(Request.post("/auth").jsonBody(Map.of("echo", "x")).build());
        assertThat(auth.header("X-RateLimit-Limit")).contains("3000");
        assertThat(auth.header("X-RateLimit-Remaining")).isPresent();
        assertThat(auth.header("X-RateLimit-Window")).contains("900");
    }

    @Test
    void jsonBodiesTravelOnGetRequestsToo() {
        Response r = user.fetch(Request.get("/auth").jsonBody(Map.of("echo", "on a GET")).build());
        assertThat(r.text()).isEqualTo("{\"authorized\": \"yes\", \"echo\": \"on a GET\"}");
    }

    @Test
    void asyncSessionCreatesExecutesAndDestroys() throws Exception {
        try (AsyncSession async = new AsyncSession(server.userConfig())) {
            AsyncKernel k = async.kernels().getOrCreate(CreateKernelRequest.builder("python:3")
                    .clientToken("async-" + System.nanoTime()).env("GREETING", "hej").build()).get(30, TimeUnit.SECONDS);
            server.recordSessionPids();
            ExecutionResult r = k.execute(ExecuteRequest.query("import os; print(os.environ['GREETING'])"))
                    .get(30, TimeUnit.SECONDS);
            assertThat(r.stdout()).isEqualTo("hej\n");
            assertThat(k.destroy().get(30, TimeUnit.SECONDS)).isNotNull();
            assertThat(async.hello().get(10, TimeUnit.SECONDS).apiVersion()).isEqualTo("v4.20190315");
        }
    }

    @Test
    void sessionsHaveTheirOwnWorkingDirectoriesWhichDestroyRemoves() {
        Kernel a = create("wd-a-" + System.nanoTime());
        Kernel b = create("wd-b-" + System.nanoTime());
        String dirA = a.execute(ExecuteRequest.query("import os; print(os.getcwd())")).stdout().strip();
        String dirB = b.execute(ExecuteRequest.query("import os; print(os.getcwd())")).stdout().strip();
        assertThat(dirA).isNotEqualTo(dirB);
        a.execute(ExecuteRequest.query("open('f.txt', 'w').write('x')"));
        assertThat(b.execute(ExecuteRequest.query("import os; print(os.path.exists('f.txt'))")).stdout()).isEqualTo("False\n");
        a.destroy();
        b.destroy();
        assertThat(java.nio.file.Files.exists(java.nio.file.Path.of(dirA))).isFalse();
    }
}
