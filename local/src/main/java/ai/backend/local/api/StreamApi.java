package ai.backend.local.api;

import ai.backend.client.internal.Json;
import ai.backend.local.agent.Agent;
import ai.backend.local.agent.ExecutionOutcome;
import ai.backend.local.agent.KernelFailure;
import ai.backend.local.agent.LocalKernel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;

/**
 * Streamed execution over WebSocket (protocol §5.1): one connection is one run. The client sends
 * {@code {"code", "mode", "options"}}; the server sends a result frame (without runId) every 0.2 s window,
 * reads a raw text frame for each {@code waiting-input}, and closes with 1000 after {@code finished}.
 * A client that goes away mid-run gets its run interrupted.
 */
public final class StreamApi implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StreamApi.class.getName());
    static final Duration STREAM_WINDOW = Duration.ofMillis(200);
    private static final String END_OF_INPUT = new String("\u0000closed");

    private final Agent agent;
    private final Authenticator authenticator;
    private final ExecutorService runs = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "stream-run");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, StreamRun> open = new ConcurrentHashMap<>();

    public StreamApi(Agent agent, Authenticator authenticator) {
        this.agent = agent;
        this.authenticator = authenticator;
    }

    /** The state of one streamed run. */
    private static final class StreamRun {
        final LocalKernel kernel;
        final WsContext ws;
        final BlockingQueue<String> inputs = new LinkedBlockingQueue<>();
        final java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(FRAMES_IN_FLIGHT);
        volatile boolean started;
        volatile boolean finished;
        volatile boolean closed;

        StreamRun(LocalKernel kernel, WsContext ws) {
            this.kernel = kernel;
            this.ws = ws;
        }
    }

    Agent agent() {
        return agent;
    }

    /** Registers the execute stream route. */
    public void install(JavalinConfig config) {
        String path = "/stream/kernel/{sess}/execute";
        config.jetty.modifyWebSocketServletFactory(f -> f.setMaxTextMessageSize(4L * 1024 * 1024));
        config.routes.wsBeforeUpgrade(path, ctx -> Routes.beforeUpgrade(ctx,
                () -> ctx.attribute("kernel", Routes.streamSession(ctx, authenticator, agent))));
        config.routes.ws(path, ws -> {
            ws.onConnect(ctx -> {
                ctx.disableAutomaticPings();
                open.put(ctx.sessionId(), new StreamRun(ctx.attribute("kernel"), ctx));
            });
            ws.onMessage(ctx -> {
                StreamRun run = open.get(ctx.sessionId());
                if (run == null) {
                    return;
                }
                if (!run.started) {
                    run.started = true;
                    String first = ctx.message();
                    runs.execute(() -> stream(run, first));
                } else {
                    run.inputs.offer(ctx.message());
                }
            });
            ws.onClose(ctx -> {
                StreamRun run = open.remove(ctx.sessionId());
                if (run != null) {
                    run.closed = true;
                    run.inputs.offer(END_OF_INPUT);
                    if (run.started && !run.finished) {
                        run.kernel.interrupt();
                    }
                }
            });
            ws.onError(ctx -> LOG.log(System.Logger.Level.DEBUG, "stream error", ctx.error()));
        });
    }

    private void stream(StreamRun run, String firstMessage) {
        try {
            JsonNode params;
            try {
                params = Json.parse(firstMessage);
            } catch (IOException e) {
                String detail = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
                fail(run, "Invalid API parameters: JSONDecodeError('" + detail.replace("'", "\\'") + "')");
                return;
            }
            String mode = params == null ? null : params.path("mode").asText(null);
            if (mode == null || mode.isEmpty()) {
                fail(run, "Invalid API parameters: AssertionError('mode is missing or empty!')");
                return;
            }
            if (!mode.equals("query") && !mode.equals("batch")) {
                fail(run, "Invalid API parameters: AssertionError('mode has an invalid value.')");
                return;
            }
            String code = params.path("code").asText("");
            JsonNode options = params.path("options");
            ExecutionOutcome outcome = mode.equals("query")
                    ? run.kernel.query(null, code, STREAM_WINDOW)
                    : run.kernel.batch(null, text(options, "clean"), text(options, "build"), text(options, "exec"),
                    STREAM_WINDOW);
            while (!run.closed) {
                send(run, outcome.toJson(false).toString());
                switch (outcome.status()) {
                    case "finished":
                    case "exec-timeout":
                        run.finished = true;
                        drain(run);
                        run.ws.closeSession(1000, null);
                        return;
                    case "waiting-input":
                        String line = run.inputs.take();
                        if (line == END_OF_INPUT) {
                            return;
                        }
                        outcome = run.kernel.input(outcome.runId(), line, STREAM_WINDOW);
                        break;
                    default:
                        outcome = run.kernel.continueRun(outcome.runId(), STREAM_WINDOW);
                        break;
                }
            }
        } catch (KernelFailure | ai.backend.local.agent.UnknownRunException e) {
            fail(run, "BackendError: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "stream run failed", e);
            fail(run, "BackendError: " + e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** Frames written but not yet confirmed; a slow client makes {@link #send} wait, slowing the run down. */
    private static final int FRAMES_IN_FLIGHT = 4;

    /** Sends one frame, waiting while {@link #FRAMES_IN_FLIGHT} frames are still being written. */
    private static void send(StreamRun run, String frame) {
        if (!run.ws.session.isOpen()) {
            run.closed = true;
            return;
        }
        try {
            if (!run.inFlight.tryAcquire(60, TimeUnit.SECONDS)) {
                run.closed = true;
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.closed = true;
            return;
        }
        run.ws.session.sendText(frame, new Callback() {
            @Override
            public void succeed() {
                run.inFlight.release();
            }

            @Override
            public void fail(Throwable x) {
                run.closed = true;
                run.inFlight.release();
            }
        });
    }

    /** Waits until every frame sent is written (before closing the socket). */
    private static void drain(StreamRun run) {
        try {
            if (run.inFlight.tryAcquire(FRAMES_IN_FLIGHT, 60, TimeUnit.SECONDS)) {
                run.inFlight.release(FRAMES_IN_FLIGHT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void fail(StreamRun run, String message) {
        ObjectNode frame = Json.MAPPER.createObjectNode();
        frame.put("status", "error");
        frame.put("msg", message);
        send(run, Json.pythonDumps(frame));
        drain(run);
        run.finished = true;
        if (run.ws.session.isOpen()) {
            run.ws.closeSession(1000, null);
        }
    }

    /** Tells every open stream the server is going away, as the manager does when its handlers are cancelled. */
    @Override
    public void close() {
        for (StreamRun run : open.values()) {
            if (run.started && !run.finished && run.ws.session.isOpen()) {
                send(run, "{\"status\": \"server-restarting\", \"msg\": \"The API server is going to restart for maintenance. "
                        + "Please connect again with the same run ID.\"}");
                drain(run);
                run.ws.closeSession(1001, "server-restarting");
            }
            run.closed = true;
            run.inputs.offer(END_OF_INPUT);
        }
        runs.shutdownNow();
    }
}
