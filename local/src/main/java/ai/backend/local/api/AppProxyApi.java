package ai.backend.local.api;

import ai.backend.local.agent.Agent;
import ai.backend.local.agent.KernelFailure;
import ai.backend.local.agent.LocalKernel;
import ai.backend.local.agent.ServiceDef;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The app proxy (protocol §5.3): {@code /stream/kernel/{sess}/httpproxy?app=} and {@code /tcpproxy?app=}, one
 * WebSocket per TCP connection to an app service of the session. Before the upgrade the service is started if
 * it is not running (404 {@code app-not-found} for a name the image does not provide, 500 when it cannot start);
 * afterwards binary frames carry the raw TCP bytes both ways (server frames of up to 8192 bytes; text frames are
 * ignored). A refused connection closes with 1014, the service closing its side with 1001, the client closing
 * the socket closes the TCP connection.
 */
public final class AppProxyApi {
    private static final System.Logger LOG = System.getLogger(AppProxyApi.class.getName());
    private static final int CHUNK = 8192;
    /** How long a frame to the client may wait to be sent before the connection is dropped. */
    private static final long SEND_TIMEOUT_SECONDS = 60;

    private final Agent agent;
    private final Authenticator authenticator;
    private final Map<String, Socket> open = new ConcurrentHashMap<>();

    public AppProxyApi(Agent agent, Authenticator authenticator) {
        this.agent = agent;
        this.authenticator = authenticator;
    }

    /** Registers both proxy routes (19.03 serves them with one handler). */
    public void install(JavalinConfig config) {
        for (String kind : new String[] {"httpproxy", "tcpproxy"}) {
            String path = "/stream/kernel/{sess}/" + kind;
            config.routes.wsBeforeUpgrade(path, ctx -> Routes.beforeUpgrade(ctx, () -> prepare(ctx)));
            config.routes.ws(path, ws -> {
                ws.onConnect(this::connect);
                ws.onBinaryMessage(ctx -> {
                    Socket socket = open.get(ctx.sessionId());
                    if (socket == null) {
                        return;
                    }
                    LocalKernel kernel = ctx.attribute("kernel");
                    kernel.touch();
                    ByteBuffer data = ctx.data();
                    byte[] bytes = new byte[data.remaining()];
                    data.get(bytes);
                    try {
                        socket.getOutputStream().write(bytes);
                    } catch (IOException e) {
                        ctx.closeSession(1001, "the app service closed the connection");
                    }
                });
                ws.onClose(ctx -> closeQuietly(open.remove(ctx.sessionId())));
                ws.onError(ctx -> LOG.log(System.Logger.Level.DEBUG, "app proxy error", ctx.error()));
            });
        }
    }

    /**
     * Authenticates, finds the session and its service, and starts the service: everything that can fail before
     * the upgrade. The session and the service's port become attributes of the socket.
     */
    private void prepare(Context ctx) {
        LocalKernel kernel = Routes.streamSession(ctx, authenticator, agent);
        String app = ctx.queryParam("app");
        if (app == null || app.isEmpty()) {
            throw Problem.invalidApiParams("app is missing!");
        }
        ServiceDef service = kernel.image().service(app)
                .orElseThrow(() -> Problem.appNotFound(kernel.sessionId(), app));
        switch (service.protocol()) {
            case "http":
            case "tcp":
                break;
            case "pty":
                throw Problem.internal("The pty protocol of app services is not supported.");
            default:
                throw Problem.invalidApiParams("Unsupported service protocol: " + service.protocol());
        }
        ctx.attribute("kernel", kernel);
        try {
            ctx.attribute("port", agent.startService(kernel, service));
        } catch (KernelFailure e) {
            throw Problem.internal("Failed to launch the app service: " + e.getMessage());
        }
    }

    private void connect(WsContext ctx) {
        ctx.disableAutomaticPings();
        int port = ctx.attribute("port");
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
            socket.setTcpNoDelay(true);
        } catch (IOException e) {
            closeQuietly(socket);
            ctx.closeSession(1014, "the app service refused the connection");
            return;
        }
        open.put(ctx.sessionId(), socket);
        Thread pump = new Thread(() -> pump(ctx, socket), "app-proxy-" + port);
        pump.setDaemon(true);
        pump.start();
    }

    /** Copies what the service sends to the socket, each read as one binary frame, waiting for each send. */
    private void pump(WsContext ctx, Socket socket) {
        LocalKernel kernel = ctx.attribute("kernel");
        byte[] buf = new byte[CHUNK];
        try (InputStream in = socket.getInputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (n == 0) {
                    continue;
                }
                kernel.touch();
                var sent = new org.eclipse.jetty.websocket.api.Callback.Completable();
                ctx.session.sendBinary(ByteBuffer.wrap(buf, 0, n), sent);
                sent.get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            if (ctx.session.isOpen()) {
                ctx.closeSession(1001, "the app service closed the connection");
            }
        } catch (IOException | ExecutionException | TimeoutException e) {
            if (ctx.session.isOpen()) {
                ctx.closeSession(1001, "the app service connection ended");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(open.remove(ctx.sessionId()));
        }
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }
}
