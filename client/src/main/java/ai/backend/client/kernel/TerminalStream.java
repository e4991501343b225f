package ai.backend.client.kernel;

import ai.backend.client.BackendClientError;
import ai.backend.client.internal.HttpEngine;
import ai.backend.client.internal.Json;
import java.net.http.WebSocket;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A terminal on a session (protocol §5.2): what is written goes to a shell on a pseudo-terminal, and its
 * output is passed to a callback, in order, on an SDK thread. {@link #closed()} completes when the server
 * ends the terminal (the shell exited); {@link #close()} ends it from this side. Thread-safe.
 */
public final class TerminalStream implements AutoCloseable {
    private final Consumer<byte[]> onOutput;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;

    private TerminalStream(Consumer<byte[]> onOutput) {
        this.onOutput = onOutput;
    }

    static CompletableFuture<TerminalStream> open(HttpEngine engine, SessionRef ref, Consumer<byte[]> onOutput) {
        TerminalStream t = new TerminalStream(onOutput);
        return StreamSockets.connect(engine, ref, "pty", t.new Listener()).thenApply(ws -> {
            t.socket = ws;
            return t;
        });
    }

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
                try {
                    var node = Json.parse(frame);
                    if ("out".equals(node.path("type").asText())) {
                        onOutput.accept(Base64.getDecoder().decode(node.path("data").asText("")));
                    }
                } catch (java.io.IOException | IllegalArgumentException ignored) {
                    // not a frame of this protocol
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(new BackendClientError("The terminal stream failed: " + error, error, true));
        }
    }

    private void send(Map<String, Object> message) {
        WebSocket ws = socket;
        if (ws == null || ws.isOutputClosed()) {
            throw new BackendClientError("The terminal is closed.");
        }
        synchronized (this) {
            ws.sendText(Json.pythonDumps(message), true).join();
        }
    }

    /** Types bytes into the terminal. */
    public void write(byte[] bytes) {
        send(Map.of("type", "stdin", "chars", Base64.getEncoder().encodeToString(bytes)));
    }

    /** Tells the terminal its size. */
    public void resize(int rows, int cols) {
        send(Map.of("type", "resize", "rows", rows, "cols", cols));
    }

    /** Keeps the session alive. */
    public void ping() {
        send(Map.of("type", "ping"));
    }

    /** Restarts the session and its terminal. */
    public void restart() {
        send(Map.of("type", "restart"));
    }

    /** Completes when the terminal ends. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    /** Closes the terminal; its shell ends. Idempotent. */
    @Override
    public void close() {
        WebSocket ws = socket;
        if (ws != null && !ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(5, TimeUnit.SECONDS).whenComplete((w, e) -> ws.abort());
        }
    }
}
