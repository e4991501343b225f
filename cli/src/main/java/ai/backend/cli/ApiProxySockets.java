package ai.backend.cli;

import ai.backend.client.BackendAPIError;
import ai.backend.client.BackendClientError;
import ai.backend.client.internal.HttpEngine;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsCloseContext;
import io.javalin.websocket.WsContext;
import java.io.PrintStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.websocket.api.Callback;

/**
 * The WebSocket half of {@link ApiProxy}: {@code GET /stream/...} and {@code /wsproxy/...} upgrades relayed to the
 * endpoint, the upstream socket opened (signed) before the local upgrade so that a refusal answers the local
 * handshake with the upstream's status and body. Text and binary frames and closes go both ways, one frame in
 * flight per direction; there is no idle timeout. {@link #shutdown()} closes every relay both ways with 1001.
 */
final class ApiProxySockets {
    private static final long MAX_WS_MESSAGE = 16L * 1024 * 1024;
    private static final String SHUTTING_DOWN = ApiProxy.SHUTTING_DOWN;
    private static final String INACCESSIBLE = ApiProxy.INACCESSIBLE;
    private static final String WENT_WRONG = ApiProxy.WENT_WRONG;
    private static final int GRACE_SECONDS = ApiProxy.GRACE_SECONDS;

    private final HttpEngine engine;
    private final PrintStream log;
    private final BooleanSupplier closingFlag;
    private final Set<Relay> relays = ConcurrentHashMap.newKeySet();

    ApiProxySockets(HttpEngine engine, PrintStream log, BooleanSupplier closing) {
        this.engine = engine;
        this.log = log;
        this.closingFlag = closing;
    }

    /** Registers the WebSocket routes and their limits. */
    void install(JavalinConfig cfg) {
        cfg.jetty.modifyWebSocketServletFactory(f -> {
            f.setIdleTimeout(Duration.ZERO);
            f.setMaxTextMessageSize(MAX_WS_MESSAGE);
            f.setMaxBinaryMessageSize(MAX_WS_MESSAGE);
        });
        for (String path : List.of("/stream/<path>", "/wsproxy/<path>")) {
            cfg.routes.wsBeforeUpgrade(path, this::openUpstream);
            cfg.routes.ws(path, ws -> {
                ws.onConnect(ctx -> relay(ctx).attach(ctx));
                ws.onMessage(ctx -> relay(ctx).toUpstream(ctx.message()));
                ws.onBinaryMessage(ctx -> relay(ctx).toUpstream(ctx.data()));
                ws.onClose(ctx -> relay(ctx).downstreamClosed(ctx));
                ws.onError(ctx -> relay(ctx).downstreamFailed());
            });
        }
    }

    /** Closes every relay both ways (1001); those still opening are abandoned. */
    void shutdown() {
        for (Relay r : relays) {
            r.shutdown();
        }
    }

    /** An answer to a WebSocket handshake that is refused before the upgrade. */
    static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String contentType;
        final String body;

        Refusal(int status, String contentType, String body) {
            super(body, null, false, false);
            this.status = status;
            this.contentType = contentType;
            this.body = body;
        }
    }

    private static Relay relay(WsContext ctx) {
        return ctx.attribute(Relay.ATTRIBUTE);
    }

    /** Opens the upstream socket before the downstream upgrade, so that a refusal can answer the handshake. */
    private void openUpstream(Context ctx) {
        if (closingFlag.getAsBoolean()) {
            throw new Refusal(503, "text/plain; charset=utf-8", SHUTTING_DOWN);
        }
        Relay relay = new Relay();
        relays.add(relay);
        CompletableFuture<WebSocket> upstream = engine.openWebSocket(ApiProxy.target(ctx.req()), relay);
        relay.opening = upstream;
        try {
            if (closingFlag.getAsBoolean()) {
                upstream.cancel(true);
            }
            relay.up = upstream.join();
        } catch (CancellationException | CompletionException e) {
            relays.remove(relay);
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (closingFlag.getAsBoolean() || e instanceof CancellationException) {
                throw new Refusal(503, "text/plain; charset=utf-8", SHUTTING_DOWN);
            }
            if (cause instanceof BackendAPIError) {
                BackendAPIError api = (BackendAPIError) cause;
                throw new Refusal(api.status(), "application/problem+json; charset=utf-8", api.data().toString());
            }
            if (cause instanceof BackendClientError) {
                throw new Refusal(502, "text/plain; charset=utf-8", INACCESSIBLE);
            }
            log.println("The proxy failed to open " + ctx.req().getRequestURI() + ": " + cause);
            throw new Refusal(500, "text/plain; charset=utf-8", WENT_WRONG);
        }
        ctx.attribute(Relay.ATTRIBUTE, relay);
    }

    /**
     * One relayed WebSocket: the JDK socket to the endpoint (whose listener this is) and the Jetty socket of
     * the local client. Each direction has at most one frame in flight, so neither side's memory grows.
     */
    private final class Relay implements WebSocket.Listener {
        static final String ATTRIBUTE = "backend.ai.proxy.relay";

        volatile CompletableFuture<WebSocket> opening;
        volatile WebSocket up;
        volatile WsContext down;
        private final AtomicBoolean upClosed = new AtomicBoolean();
        private final AtomicBoolean downClosed = new AtomicBoolean();
        private final AtomicBoolean ended = new AtomicBoolean();

        @Override
        public void onOpen(WebSocket webSocket) {
            // no demand until the local client is connected
        }

        void attach(WsContext ctx) {
            down = ctx;
            log.println("websocket proxy started");
            if (closingFlag.getAsBoolean()) {
                shutdown();
                return;
            }
            up.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            return relayDown(webSocket, done -> down.session.sendPartialText(data.toString(), last, done));
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            return relayDown(webSocket, done -> down.session.sendPartialBinary(data, last, done));
        }

        /** Sends a frame to the local client; the endpoint's next frame is asked for once it is gone. */
        private CompletionStage<?> relayDown(WebSocket webSocket, java.util.function.Consumer<Callback> send) {
            CompletableFuture<Void> sent = new CompletableFuture<>();
            send.accept(Callback.from(() -> {
                sent.complete(null);
                webSocket.request(1);
            }, error -> {
                sent.complete(null);
                closeUpstream(1011, "");
            }));
            return sent;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            upClosed.set(true);
            closeDownstream(statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            upClosed.set(true);
            closeDownstream(1011, "");
        }

        void toUpstream(String text) {
            send(() -> up.sendText(text, true));
        }

        void toUpstream(ByteBuffer data) {
            send(() -> up.sendBinary(data, true));
        }

        /** Sends and waits, so that the next local frame is read only once this one is gone. */
        private void send(java.util.function.Supplier<CompletableFuture<WebSocket>> sending) {
            if (upClosed.get()) {
                return;
            }
            try {
                sending.get().join();
            } catch (RuntimeException e) {
                upClosed.set(true);
                closeDownstream(1011, "");
                up.abort();
            }
        }

        void downstreamClosed(WsCloseContext ctx) {
            downClosed.set(true);
            closeUpstream(ctx.status(), ctx.reason());
            end();
        }

        void downstreamFailed() {
            downClosed.set(true);
            closeUpstream(1011, "");
        }

        /** Mirrors a close of the endpoint's socket on the local one; codes that cannot be sent become a cut. */
        private void closeDownstream(int code, String reason) {
            WsContext ctx = down;
            if (ctx == null || !downClosed.compareAndSet(false, true)) {
                return;
            }
            try {
                if (code == 1005) {
                    ctx.closeSession();
                } else if (code == 1006 || code == 1015 || code < 1000 || code > 4999) {
                    ctx.session.disconnect();
                } else {
                    ctx.closeSession(code, reason);
                }
            } catch (RuntimeException e) {
                ctx.session.disconnect();
            }
        }

        /** Mirrors a close of the local socket on the endpoint's one, and cuts it if no answer comes. */
        private void closeUpstream(int code, String reason) {
            WebSocket ws = up;
            if (ws == null || !upClosed.compareAndSet(false, true)) {
                return;
            }
            CompletableFuture<WebSocket> sent;
            try {
                if (code == 1006 || code == 1015) {
                    ws.abort();
                    return;
                }
                sent = ws.sendClose(code == 1005 ? WebSocket.NORMAL_CLOSURE : code, reason == null ? "" : reason);
            } catch (IllegalArgumentException e) {
                sent = ws.sendClose(WebSocket.NORMAL_CLOSURE, reason == null ? "" : reason);
            }
            sent.whenComplete((r, e) -> CompletableFuture.delayedExecutor(GRACE_SECONDS, TimeUnit.SECONDS).execute(ws::abort));
        }

        /** Closes both ways for {@link #shutdown()}. */
        void shutdown() {
            CompletableFuture<WebSocket> f = opening;
            if (f != null) {
                f.cancel(true);
            }
            closeUpstream(1001, "");
            closeDownstream(1001, SHUTTING_DOWN);
            if (down == null) {
                relays.remove(this);
            }
        }

        private void end() {
            if (ended.compareAndSet(false, true)) {
                relays.remove(this);
                log.println("websocket proxy terminated");
            }
        }
    }
}
