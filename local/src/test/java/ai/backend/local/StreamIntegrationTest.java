package ai.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.backend.client.AsyncSession;
import ai.backend.client.BackendAPIError;
import ai.backend.client.BackendClientError;
import ai.backend.client.Request;
import ai.backend.client.Session;
import ai.backend.client.kernel.AsyncKernel;
import ai.backend.client.kernel.CreateKernelRequest;
import ai.backend.client.kernel.ExecuteRequest;
import ai.backend.client.kernel.ExecutionResult;
import ai.backend.client.kernel.ExecutionStatus;
import ai.backend.client.kernel.ExecutionStream;
import ai.backend.client.kernel.Kernel;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Streamed execution over a real WebSocket (protocol §5.1). */
class StreamIntegrationTest {
    private static final Duration IDLE = Duration.ofSeconds(30);
    private static TestServer server;
    private static Session user;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        user = new Session(server.userConfig());
    }

    @AfterAll
    static void stop() {
        user.close();
        server.close();
    }

    private static Kernel create(String prefix) {
        Kernel k = user.kernels().getOrCreate(CreateKernelRequest.builder("python").clientToken(prefix + System.nanoTime()).build());
        server.recordSessionPids();
        return k;
    }

    private static List<ExecutionResult> drain(ExecutionStream stream) {
        List<ExecutionResult> results = new ArrayList<>();
        for (ExecutionResult r = stream.next(); r != null; r = stream.next()) {
            results.add(r);
        }
        return results;
    }

    @Test
    void streamsResultsUntilFinishedWithoutRunIds() {
        Kernel k = create("st-");
        try (ExecutionStream s = k.stream("import time\nfor i in range(3):\n    print(i, flush=True)\n    time.sleep(0.3)", IDLE)) {
            List<ExecutionResult> results = drain(s);
            assertThat(results.size()).isGreaterThan(2);
            ExecutionResult last = results.get(results.size() - 1);
            assertThat(last.status()).isEqualTo(ExecutionStatus.FINISHED);
            assertThat(last.exitCode()).isZero();
            assertThat(results).allSatisfy(r -> assertThat(r.raw().has("runId")).isFalse());
            assertThat(results.subList(0, results.size() - 1)).allSatisfy(r -> assertThat(r.status()).isEqualTo(ExecutionStatus.CONTINUED));
            StringBuilder out = new StringBuilder();
            results.forEach(r -> out.append(r.stdout()));
            assertThat(out.toString()).isEqualTo("0\n1\n2\n");
            assertThat(s.completion().join()).isSameAs(last);
            assertThat(s.state()).isEqualTo(ExecutionStream.State.FINISHED);
        } finally {
            k.destroy();
        }
    }

    @Test
    void inputPromptsAreAnsweredWithARawTextFrame() {
        Kernel k = create("sin-");
        try (ExecutionStream s = k.stream("name = input('Who? ')\nprint('hello,', name)", IDLE)) {
            StringBuilder out = new StringBuilder();
            for (ExecutionResult r = s.next(); r != null; r = s.next()) {
                out.append(r.stdout());
                if (r.status() == ExecutionStatus.WAITING_INPUT) {
                    assertThat(r.isPasswordPrompt()).isFalse();
                    assertThat(s.state()).isEqualTo(ExecutionStream.State.WAITING_INPUT);
                    s.sendInput("stream");
                }
            }
            assertThat(out.toString()).isEqualTo("Who? hello, stream\n");
        } finally {
            k.destroy();
        }
    }

    @Test
    void asyncStreamsDeliverToACallbackInOrder() throws Exception {
        try (AsyncSession async = new AsyncSession(server.userConfig())) {
            AsyncKernel k = async.kernels().getOrCreate(CreateKernelRequest.builder("python")
                    .clientToken("sasync-" + System.nanoTime()).build()).get(30, TimeUnit.SECONDS);
            server.recordSessionPids();
            List<String> out = new CopyOnWriteArrayList<>();
            ExecutionStream s = k.stream("for i in range(5): print(i)", IDLE, r -> out.add(r.stdout())).get(30, TimeUnit.SECONDS);
            ExecutionResult last = s.completion().get(30, TimeUnit.SECONDS);
            assertThat(last.exitCode()).isZero();
            assertThat(String.join("", out)).isEqualTo("0\n1\n2\n3\n4\n");
            assertThatThrownBy(s::next).isInstanceOf(IllegalStateException.class);
            k.destroy().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void anUnknownSessionIsRefusedBeforeTheUpgrade() {
        assertThatThrownBy(() -> user.kernels().of("nosuchsession").stream("1", IDLE))
                .isInstanceOfSatisfying(BackendAPIError.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.type()).isEqualTo("https://api.backend.ai/probs/kernel-not-found");
                    assertThat(e.title()).isEqualTo("No such kernel.");
                });
    }

    @Test
    void webSocketConnectionsLeaveNoHttpSessionBehind() {
        Kernel k = create("leak-");
        for (int i = 0; i < 20; i++) {
            try (ExecutionStream s = k.stream("print(" + i + ")", IDLE)) {
                assertThat(drain(s)).last().satisfies(r -> assertThat(r.status()).isEqualTo(ExecutionStatus.FINISHED));
            }
            assertThatThrownBy(() -> user.kernels().of("nosuchsession").stream("1", IDLE)).isInstanceOf(BackendAPIError.class);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (server.server().retainedHttpSessions() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // the last connection's request may still be ending on the server
        }
        assertThat(server.server().retainedHttpSessions()).as("Javalin opens one per upgrade; none may stay").isZero();
        k.destroy();
    }

    @Test
    void aBadSignatureIsRefusedBeforeTheUpgrade() {
        Kernel k = create("sauth-");
        try (Session wrong = new Session(server.userConfig().toBuilder().secretKey("wrong").build())) {
            assertThatThrownBy(() -> wrong.kernels().of(k.id()).stream("1", IDLE))
                    .isInstanceOfSatisfying(BackendAPIError.class, e -> assertThat(e.status()).isEqualTo(401));
        } finally {
            k.destroy();
        }
    }

    @Test
    void anInvalidFirstMessageGetsAnErrorFrameAndANormalClose() throws Exception {
        Kernel k = create("sbad-");
        try {
            assertThat(rawExchange(k.id(), "{\"code\": \"1\", \"mode\": \"fly\", \"options\": {}}"))
                    .containsExactly("{\"status\": \"error\", \"msg\": \"Invalid API parameters: AssertionError('mode has an invalid value.')\"}",
                            "close 1000");
            assertThat(rawExchange(k.id(), "{\"code\": \"1\", \"options\": {}}"))
                    .containsExactly("{\"status\": \"error\", \"msg\": \"Invalid API parameters: AssertionError('mode is missing or empty!')\"}",
                            "close 1000");
            assertThat(rawExchange(k.id(), "not json").get(0)).startsWith("{\"status\": \"error\", \"msg\": \"Invalid API parameters: JSONDecodeError(");
        } finally {
            k.destroy();
        }
    }

    /** Sends one first message over a raw signed WebSocket and returns the frames and the close code. */
    private static List<String> rawExchange(String sessionId, String firstMessage) throws Exception {
        List<String> frames = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        Request request = Request.get("/stream/kernel/" + sessionId + "/execute").build();
        WebSocket.Builder b = user.engine().httpClient().newWebSocketBuilder();
        String[] headers = user.engine().signedHeaders(request, true);
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        WebSocket ws = b.buildAsync(user.engine().uri(request, "ws"), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                frames.add(data.toString());
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                frames.add("close " + statusCode);
                closed.complete(null);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        ws.sendText(firstMessage, true);
        closed.get(10, TimeUnit.SECONDS);
        return frames;
    }

    @Test
    void aClientThatGoesAwayMidRunInterruptsTheRun() {
        Kernel k = create("sgone-");
        try {
            ExecutionStream s = k.stream("import time\nprint('started', flush=True)\nwhile True:\n    time.sleep(0.05)", IDLE);
            ExecutionResult first = s.next();
            assertThat(first).isNotNull();
            s.close();
            assertThat(s.state()).isEqualTo(ExecutionStream.State.CLOSED);
            assertThat(s.completion()).isCompletedExceptionally();
            // the endless run was interrupted, so the next query runs at once instead of waiting behind it
            long start = System.nanoTime();
            ExecutionResult next = k.execute(ExecuteRequest.query("print('alive')"));
            assertThat(next.stdout()).isEqualTo("alive\n");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        } finally {
            k.destroy();
        }
    }

    @Test
    void aRunnerKilledMidRunEndsTheStreamWithAnError() throws Exception {
        Kernel k = create("skill-");
        long pid = server.server().agent().find(server.server().userKeypair().accessKey(), k.id()).orElseThrow().pid();
        try (ExecutionStream s = k.stream("import time\nwhile True:\n    time.sleep(0.05)", IDLE)) {
            assertThat(s.next()).isNotNull();
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            List<ExecutionResult> rest = drain(s);
            ExecutionResult last = rest.get(rest.size() - 1);
            assertThat(last.status()).isEqualTo(ExecutionStatus.FINISHED);
            assertThat(last.exitCode()).isNotZero();
            assertThat(last.stderr()).contains("runner process has exited");
        } finally {
            k.destroy();
        }
        assertThat(TestServer.isAlive(pid)).isFalse();
    }

    @Test
    void closedStreamsRefuseInput() {
        Kernel k = create("sclosed-");
        try {
            ExecutionStream s = k.stream("print(1)", IDLE);
            drain(s);
            s.close();
            assertThatThrownBy(() -> s.sendInput("x")).isInstanceOf(BackendClientError.class);
        } finally {
            k.destroy();
        }
    }
}
