package ai.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.backend.client.BackendAPIError;
import ai.backend.client.Session;
import ai.backend.client.kernel.CreateKernelRequest;
import ai.backend.client.kernel.ExecuteRequest;
import ai.backend.client.kernel.ExecutionResult;
import ai.backend.client.kernel.ExecutionStatus;
import ai.backend.client.kernel.Kernel;
import ai.backend.client.kernel.KernelInfo;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Info, restart, interrupt and logs of a session, over real HTTP. */
class KernelLifecycleTest {
    private static TestServer server;
    private static Session user;

    @BeforeAll
    static void start() {
        server = TestServer.start(Duration.ofMillis(500));
        user = new Session(server.userConfig());
    }

    @AfterAll
    static void stop() {
        user.close();
        server.close();
    }

    private static Kernel create(String prefix) {
        Kernel k = user.kernels().getOrCreate(CreateKernelRequest.builder("python:3.11").tag("lifecycle")
                .clientToken(prefix + System.nanoTime()).build());
        server.recordSessionPids();
        return k;
    }

    @Test
    void infoReportsImageAgeQueriesAndMemory() throws Exception {
        Kernel k = create("info-");
        try {
            k.execute(ExecuteRequest.query("x = bytearray(20_000_000)"));
            Thread.sleep(50);
            KernelInfo info = k.info();
            assertThat(info.image()).isEqualTo("python:3.11");
            assertThat(info.raw().get("lang").asText()).isEqualTo("python:3.11");
            assertThat(info.tag()).isEqualTo("lifecycle");
            assertThat(info.ageMillis()).isGreaterThan(0);
            assertThat(info.raw().get("age").isFloatingPointNumber()).isTrue();
            assertThat(info.numQueriesExecuted()).isGreaterThanOrEqualTo(1);
            assertThat(info.memoryLimitKiB()).as("peak memory in KiB").isGreaterThan(20_000);
            for (String key : new String[] {"lang", "image", "registry", "tag", "age", "queryTimeout", "idleTimeout",
                    "memoryLimit", "maxCpuCredit", "numQueriesExecuted", "idle", "memoryUsed", "cpuCreditUsed"}) {
                assertThat(info.raw().has(key)).as(key).isTrue();
            }
        } finally {
            k.destroy();
        }
    }

    @Test
    void restartStartsNewProcessesAndKeepsTheFiles() {
        Kernel k = create("restart-");
        try {
            k.execute(ExecuteRequest.query("v = 1\nopen('kept.txt', 'w').write('still here')"));
            long before = server.server().agent().find(server.server().userKeypair().accessKey(), k.id()).orElseThrow().pid();
            k.restart();
            server.recordSessionPids();
            long after = server.server().agent().find(server.server().userKeypair().accessKey(), k.id()).orElseThrow().pid();
            assertThat(after).isNotEqualTo(before);
            assertThat(TestServer.isAlive(before)).isFalse();
            assertThat(k.execute(ExecuteRequest.query("print(open('kept.txt').read())")).stdout()).isEqualTo("still here\n");
            assertThat(k.execute(ExecuteRequest.query("print('v' in globals())")).stdout()).isEqualTo("False\n");
        } finally {
            k.destroy();
        }
    }

    @Test
    void interruptStopsAnEndlessRun() {
        Kernel k = create("intr-");
        try {
            ExecutionResult r = k.execute(ExecuteRequest.query("import time\nwhile True:\n    time.sleep(0.01)"));
            assertThat(r.status()).isEqualTo(ExecutionStatus.CONTINUED);
            k.interrupt();
            StringBuilder err = new StringBuilder();
            while (!r.isFinished()) {
                r = k.execute(ExecuteRequest.continueRun(r.runId()));
                err.append(r.stderr());
            }
            assertThat(err.toString()).contains("KeyboardInterrupt");
            assertThat(k.execute(ExecuteRequest.query("print('next')")).stdout()).isEqualTo("next\n");
        } finally {
            k.destroy();
        }
    }

    @Test
    void filesWrittenToOutputAreListedInTheFinishedResult() {
        Kernel k = create("files-");
        try {
            k.execute(ExecuteRequest.query("import os\nos.makedirs('.output', exist_ok=True)\nopen('.output/old.txt','w').write('1')"));
            ExecutionResult r = k.execute(ExecuteRequest.query(
                    "os.makedirs('.output/sub', exist_ok=True)\nopen('.output/sub/new.txt','w').write('2')\n"
                            + "open('.output/.hidden','w').write('3')"));
            assertThat(r.status()).isEqualTo(ExecutionStatus.FINISHED);
            assertThat(r.files()).extracting(f -> f.name()).containsExactly("sub/new.txt");
            assertThat(r.files().get(0).url()).startsWith("file:").endsWith("/.output/sub/new.txt");
            assertThat(k.execute(ExecuteRequest.query("print(1)")).files()).isEmpty();
        } finally {
            k.destroy();
        }
    }

    @Test
    void completionsComeFromTheInterpretersNamespace() {
        Kernel k = create("compl-");
        try {
            k.execute(ExecuteRequest.query("import os\nmy_variable = 1\nmy_other = 2"));
            assertThat(k.complete("print(my_")).containsExactlyInAnyOrder("my_variable", "my_other");
            assertThat(k.complete("os.pa")).contains("os.path", "os.pardir");
            assertThat(k.complete("")).isEmpty();
        } finally {
            k.destroy();
        }
    }

    @Test
    void shellSessionsRunCodeWithTheShell() {
        Kernel k = user.kernels().getOrCreate(CreateKernelRequest.builder("bash").clientToken("bash-" + System.nanoTime()).build());
        server.recordSessionPids();
        try {
            ExecutionResult r = k.execute(ExecuteRequest.query("echo \"$0 says hi\"; pwd; exit 3"));
            assertThat(r.stdout()).startsWith("/bin/bash says hi\n").contains("/sessions/");
            assertThat(r.exitCode()).isEqualTo(3);
            StringBuilder out = new StringBuilder();
            ExecutionResult last = k.run("read -r name; echo \"hello $name\"", new ai.backend.client.kernel.ExecutionListener() {
                @Override
                public void onResult(ExecutionResult result) {
                    out.append(result.stdout());
                }

                @Override
                public String onInputRequested(ExecutionResult result) {
                    return "shell";
                }
            });
            assertThat(out.toString()).isEqualTo("hello shell\n");
            assertThat(last.exitCode()).isZero();
        } finally {
            k.destroy();
        }
    }

    @Test
    void logsHoldTheConsoleOutput() {
        Kernel k = create("logs-");
        try {
            k.execute(ExecuteRequest.query("print('logged line')"));
            assertThat(k.logs()).contains("logged line\n");
        } finally {
            k.destroy();
        }
    }

    @Test
    void continueWithAnUnknownRunIdIsRefused() {
        Kernel k = create("unk-");
        try {
            assertThatThrownBy(() -> k.execute(ExecuteRequest.continueRun("0123456789abcdef")))
                    .isInstanceOfSatisfying(BackendAPIError.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.typeName()).isEqualTo("invalid-api-params");
                    });
            assertThatThrownBy(() -> k.execute(ExecuteRequest.input("0123456789abcdef", "x")))
                    .isInstanceOf(BackendAPIError.class);
        } finally {
            k.destroy();
        }
    }

    @Test
    void operationsOnAnUnknownSessionGive404() {
        Kernel ghost = user.kernels().of("ghost-session");
        for (Runnable call : new Runnable[] {ghost::info, ghost::restart, ghost::interrupt, ghost::logs, ghost::destroy}) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(BackendAPIError.class, e -> {
                assertThat(e.status()).isEqualTo(404);
                assertThat(e.typeName()).isEqualTo("kernel-not-found");
            });
        }
    }
}
