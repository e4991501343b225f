package ai.backend.client.kernel;

import ai.backend.client.BackendClientError;
import ai.backend.client.BackendError;
import ai.backend.client.Request;
import ai.backend.client.internal.HttpEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A local TCP port forwarded to an app service of a session (protocol §5.3, {@code backend.ai app}): each
 * connection accepted on {@link #localAddress()} opens one signed WebSocket to
 * {@code /stream/kernel/<sess>/httpproxy?app=<app>} and relays raw bytes both ways (8192-byte binary frames).
 * When the server refuses the WebSocket or closes it with an error code (not 1000, nor 1001, which means the
 * service closed its side), the local client gets {@code HTTP/1.1 503 Service Unavailable} with
 * {@code WebSocket reply: <reason>} (as the 19.03 client writes, but only if nothing was relayed yet) and the
 * error goes to the error callback (before the local connection is closed); a connection's end on either side
 * ends the other.
 *
 * <p>Threads: one accepting thread, and per connection one reading thread plus the WebSocket's callbacks, all
 * daemons. {@link #close()} stops accepting and ends every open connection; it is idempotent. There is no idle
 * timeout: a connection lasts as long as both ends keep it.
 */
public final class AppProxy implements AutoCloseable {
    private static final int CHUNK = 8192;

    private final HttpEngine engine;
    private final SessionRef ref;
    private final String app;
    private final ServerSocket server;
    private final Consumer<BackendError> onError;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final Set<WebSocket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private AppProxy(HttpEngine engine, SessionRef ref, String app, ServerSocket server, Consumer<BackendError> onError) {
        this.engine = engine;
        this.ref = ref;
        this.app = app;
        this.server = server;
        this.onError = onError;
    }

    /**
     * Listens on {@code bind} (port 0 picks a free one) and starts accepting.
     *
     * @throws BackendClientError when the address cannot be bound (in use, not local)
     */
    static AppProxy start(HttpEngine engine, SessionRef ref, String app, InetSocketAddress bind, Consumer<BackendError> onError) {
        if (app == null || app.isEmpty()) {
            throw new IllegalArgumentException("the app name must not be empty");
        }
        ServerSocket server;
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(bind);
        } catch (IOException e) {
            throw new BackendClientError("Cannot listen on " + bind.getHostString() + ":" + bind.getPort() + ": "
                    + e.getMessage(), e, false);
        }
        AppProxy proxy = new AppProxy(engine, ref, app, server, onError == null ? e -> { } : onError);
        Thread acceptor = new Thread(proxy::accept, "app-proxy-" + app);
        acceptor.setDaemon(true);
        acceptor.start();
        return proxy;
    }

    /** The address local clients connect to. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** The name of the app service. */
    public String app() {
        return app;
    }

    /** How many local connections are open now. */
    public int openConnections() {
        return connections.size();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Stops accepting and ends every open connection (their WebSockets are closed with 1000). */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (WebSocket ws : sockets) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
            ws.abort();
        }
        connections.forEach(AppProxy::closeQuietly);
    }

    private void accept() {
        while (!closed) {
            Socket local;
            try {
                local = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            connections.add(local);
            relay(local);
        }
    }

    private void relay(Socket local) {
        Request request = Request.get("/stream" + KernelCalls.path(ref.id(), "/httpproxy")).queryParam("app", app).build();
        Relay relay = new Relay(local);
        StreamSockets.connect(engine, request, relay).whenComplete((ws, error) -> {
            if (error != null) {
                BackendError failure = engine.webSocketFailure(error);
                try {
                    onError.accept(failure); // before the local client sees the end of its connection
                } finally {
                    relay.refuse(failure.getMessage());
                }
                return;
            }
            sockets.add(ws);
            relay.ws = ws;
            Thread reader = new Thread(relay::pumpLocal, "app-proxy-" + app + "-" + local.getPort());
            reader.setDaemon(true);
            reader.start();
        });
    }

    /** One local connection and its WebSocket. */
    private final class Relay implements WebSocket.Listener {
        private final Socket local;
        volatile WebSocket ws;
        private volatile boolean relayed;

        Relay(Socket local) {
            this.local = local;
        }

        /** Local bytes to the WebSocket, one binary frame per read, each waited for. */
        void pumpLocal() {
            byte[] buf = new byte[CHUNK];
            try (InputStream in = local.getInputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (n > 0) {
                        ws.sendBinary(ByteBuffer.wrap(buf, 0, n), true).get(engine.config().readTimeout().isZero()
                                ? Long.MAX_VALUE : engine.config().readTimeout().toMillis(), TimeUnit.MILLISECONDS);
                    }
                }
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                ws.abort();
            } finally {
                end();
            }
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            try {
                OutputStream out = local.getOutputStream();
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                out.write(bytes);
                out.flush();
                relayed = true;
            } catch (IOException e) {
                webSocket.abort();
                end();
                return null;
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            webSocket.request(1); // the server sends none; ignored as the server ignores ours
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            // 1001 is the service closing its side (an HTTP/1.0 server after each response): a normal end, unlike
            // in 19.03, which appended its 503 text to the relayed response
            if (statusCode != WebSocket.NORMAL_CLOSURE && statusCode != 1001 && !closed) {
                try {
                    onError.accept(new BackendClientError("The app proxy connection to " + app + " closed with "
                            + statusCode + (reason == null || reason.isEmpty() ? "" : ": " + reason), null, false));
                } finally {
                    refuse(reason == null || reason.isEmpty() ? "closed with " + statusCode : reason);
                }
            }
            end();
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            if (!closed) {
                refuse(error.getMessage());
            }
            end();
        }

        /** Tells the local client what the 19.03 client tells it (unless bytes were relayed already), then closes. */
        void refuse(String why) {
            if (relayed) {
                end();
                return;
            }
            try {
                OutputStream out = local.getOutputStream();
                out.write(("HTTP/1.1 503 Service Unavailable\r\nConnection: Closed\r\n\r\nWebSocket reply: " + why)
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                // the local client is gone
            }
            end();
        }

        void end() {
            WebSocket w = ws;
            if (w != null) {
                sockets.remove(w);
            }
            connections.remove(local);
            closeQuietly(local);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
