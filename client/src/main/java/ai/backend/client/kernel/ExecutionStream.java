package ai.backend.client.kernel;

import ai.backend.client.BackendClientError;
import ai.backend.client.BackendError;
import ai.backend.client.internal.HttpEngine;
import ai.backend.client.internal.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One streamed run over WebSocket (protocol §5.1): results arrive as the program produces output, and
 * input prompts are answered with {@link #sendInput}. Read results with {@link #next()} (blocking), or
 * pass a callback when opening it from {@link AsyncKernel}; {@link #completion()} completes with the
 * terminal result.
 *
 * <p>Idle timeout: when no frame arrives for the configured time while the run is not waiting for input,
 * the stream fails with {@link BackendClientError} and is aborted. Close: {@link #close()} before the end
 * closes the socket, and the server interrupts the run; {@code next()} then returns null and
 * {@code completion()} fails. Every method is thread-safe.
 */
public final class ExecutionStream implements AutoCloseable {
    /** Where a stream is in its life. */
    public enum State { OPEN, WAITING_INPUT, FINISHED, FAILED, CLOSED }

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "backend.ai-stream-watchdog");
        t.setDaemon(true);
        return t;
    });
    private static final Object END = new Object();

    private final Consumer<ExecutionResult> callback;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>(256);
    private final CompletableFuture<ExecutionResult> completion = new CompletableFuture<>();
    private final Duration idleTimeout;
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;
    private volatile State state = State.OPEN;
    private volatile long lastFrameNanos = System.nanoTime();
    private volatile boolean endQueued;
    private ScheduledFuture<?> watchdog;

    private ExecutionStream(Consumer<ExecutionResult> callback, Duration idleTimeout) {
        this.callback = callback;
        this.idleTimeout = idleTimeout;
    }

    /**
     * Opens a stream and sends the run's first message.
     *
     * @param callback null to read with {@link #next()}, else called for every result in order, on an SDK thread
     */
    static CompletableFuture<ExecutionStream> open(HttpEngine engine, SessionRef ref, String mode, String code,
                                                   BatchOptions batch, Duration idleTimeout,
                                                   Consumer<ExecutionResult> callback) {
        ExecutionStream stream = new ExecutionStream(callback, idleTimeout);
        ObjectNode first = Json.MAPPER.createObjectNode();
        first.put("code", code);
        first.put("mode", mode);
        ObjectNode options = first.putObject("options");
        if (batch != null) {
            options.put("clean", batch.clean());
            options.put("build", batch.build());
            options.put("buildLog", false);
            options.put("exec", batch.exec());
        }
        return StreamSockets.connect(engine, ref, "execute", stream.new Listener()).thenApply(ws -> {
            stream.socket = ws;
            stream.startWatchdog();
            ws.sendText(Json.pythonDumps(first), true);
            return stream;
        });
    }

    private void startWatchdog() {
        if (idleTimeout.isZero()) {
            return;
        }
        long period = Math.max(10, idleTimeout.toMillis() / 4);
        watchdog = WATCHDOG.scheduleAtFixedRate(() -> {
            if (state == State.OPEN && System.nanoTime() - lastFrameNanos > idleTimeout.toNanos()) {
                fail(new BackendClientError("No result arrived for " + idleTimeout.toMillis()
                        + " ms (the stream's idle timeout); the stream was aborted.", null, true));
                WebSocket ws = socket;
                if (ws != null) {
                    ws.abort();
                }
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /** Receives frames; requests the next one only when this one is delivered (backpressure). */
    private final class Listener implements WebSocket.Listener {
        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                lastFrameNanos = System.nanoTime();
                handleFrame(frame);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            if (state == State.OPEN || state == State.WAITING_INPUT) {
                fail(new BackendClientError("The stream closed before the run finished (code " + statusCode
                        + (reason == null || reason.isEmpty() ? "" : ", " + reason) + ").", null, true));
            }
            finish();
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            fail(new BackendClientError("The stream failed: " + error, error, true));
            finish();
        }
    }

    private void handleFrame(String frame) {
        JsonNode node;
        try {
            node = Json.parse(frame);
        } catch (java.io.IOException e) {
            fail(new BackendClientError("The server sent a frame that is not JSON: " + frame, e));
            return;
        }
        String status = node.path("status").asText();
        if (status.equals("error") || status.equals("server-restarting")) {
            fail(new BackendClientError("The server ended the stream (" + status + "): " + node.path("msg").asText(), null,
                    status.equals("server-restarting")));
            return;
        }
        ExecutionResult result;
        try {
            result = ExecutionResult.fromJson(node);
        } catch (IllegalArgumentException e) {
            fail(new BackendClientError("The server sent an unknown result: " + frame, e));
            return;
        }
        if (result.status() == ExecutionStatus.WAITING_INPUT) {
            state = State.WAITING_INPUT;
        }
        deliver(result);
        if (result.isFinished()) {
            state = State.FINISHED;
            completion.complete(result);
            finish();
            WebSocket ws = socket;
            if (ws != null && !ws.isOutputClosed()) {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "");
            }
        }
    }

    private void deliver(ExecutionResult result) {
        if (callback != null) {
            try {
                callback.accept(result);
            } catch (RuntimeException e) {
                fail(new BackendClientError("The result callback failed: " + e, e));
            }
            return;
        }
        try {
            queue.put(result);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void fail(BackendError error) {
        if (state == State.FINISHED || state == State.FAILED || state == State.CLOSED) {
            return;
        }
        state = State.FAILED;
        completion.completeExceptionally(error);
        if (callback == null) {
            queue.offer(error);
        }
        finish();
    }

    private synchronized void finish() {
        if (watchdog != null) {
            watchdog.cancel(false);
        }
        if (!endQueued && callback == null) {
            endQueued = true;
            queue.offer(END);
        }
    }

    /**
     * The next result, blocking until it arrives; null after the terminal result (or after {@link #close()}).
     *
     * @throws BackendClientError when the stream failed (idle timeout, connection lost, server error)
     * @throws IllegalStateException when the stream delivers to a callback instead
     */
    public ExecutionResult next() {
        if (callback != null) {
            throw new IllegalStateException("This stream delivers its results to a callback");
        }
        Object item;
        try {
            item = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendClientError("Interrupted while waiting for a result", e);
        }
        if (item == END) {
            queue.offer(END);
            return null;
        }
        if (item instanceof BackendError) {
            queue.offer(END);
            throw (BackendError) item;
        }
        return (ExecutionResult) item;
    }

    /** Answers the current input prompt with one line (no trailing newline), as a raw text frame. */
    public void sendInput(String line) {
        WebSocket ws = socket;
        if (ws == null || ws.isOutputClosed()) {
            throw new BackendClientError("The stream is closed; no input can be sent.");
        }
        lastFrameNanos = System.nanoTime();
        state = State.OPEN;
        ws.sendText(line, true).join();
    }

    /** Completes with the terminal result, or exceptionally when the stream fails or is closed first. */
    public CompletableFuture<ExecutionResult> completion() {
        return completion;
    }

    public State state() {
        return state;
    }

    /** Closes the socket; a run that has not finished is interrupted by the server. Idempotent. */
    @Override
    public void close() {
        if (state == State.OPEN || state == State.WAITING_INPUT) {
            state = State.CLOSED;
            completion.completeExceptionally(new BackendClientError("The stream was closed before the run finished."));
        }
        WebSocket ws = socket;
        if (ws != null && !ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(5, TimeUnit.SECONDS)
                    .whenComplete((w, e) -> ws.abort());
        }
        finish();
    }
}
