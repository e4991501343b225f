package ai.backend.local.api;

import ai.backend.client.internal.Json;
import ai.backend.local.agent.Agent;
import ai.backend.local.agent.KernelFailure;
import ai.backend.local.agent.LocalKernel;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.JavalinConfig;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The terminal stream (protocol §5.2): a shell on a pseudo-terminal in the session's working directory.
 * Client frames: {@code {"type": "stdin", "chars": base64}}, {@code resize}, {@code ping}, {@code restart};
 * server frames: {@code {"type": "out", "data": base64}}. The shell ends when the socket closes.
 */
public final class TerminalApi {
    private static final System.Logger LOG = System.getLogger(TerminalApi.class.getName());

    private final Agent agent;
    private final Authenticator authenticator;
    private final Map<String, Terminal> open = new ConcurrentHashMap<>();

    public TerminalApi(Agent agent, Authenticator authenticator) {
        this.agent = agent;
        this.authenticator = authenticator;
    }

    /** One open terminal: the bridge process and the socket it talks to. */
    private final class Terminal {
        volatile LocalKernel kernel;
        volatile Process bridge;
        final WsContext ws;

        Terminal(LocalKernel kernel, WsContext ws) {
            this.kernel = kernel;
            this.ws = ws;
        }

        void start() {
            Process p = agent.openTerminal(kernel);
            bridge = p;
            Thread pump = new Thread(() -> pump(p), "pty-" + kernel.sessionId());
            pump.setDaemon(true);
            pump.start();
        }

        /** Copies the terminal's output to the socket as {@code out} frames. */
        private void pump(Process p) {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = p.getInputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    String data = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf, n));
                    if (ws.session.isOpen()) {
                        ws.send("{\"type\": \"out\", \"data\": \"" + data + "\"}");
                    }
                }
            } catch (IOException e) {
                // the bridge ended
            }
            if (p == bridge && ws.session.isOpen()) {
                ws.closeSession(1000, null);
            }
        }

        void write(char kind, byte[] payload) throws IOException {
            OutputStream out = bridge.getOutputStream();
            synchronized (out) {
                out.write(ByteBuffer.allocate(5).put((byte) kind).putInt(payload.length).array());
                out.write(payload);
                out.flush();
            }
        }

        void close() {
            Process p = bridge;
            if (p != null) {
                LocalKernel.kill(p);
            }
        }
    }

    /** Registers the terminal route. */
    public void install(JavalinConfig config) {
        String path = "/stream/kernel/{sess}/pty";
        config.routes.wsBeforeUpgrade(path, ctx -> Routes.beforeUpgrade(ctx,
                () -> ctx.attribute("kernel", Routes.streamSession(ctx, authenticator, agent))));
        config.routes.ws(path, ws -> {
            ws.onConnect(ctx -> {
                Terminal t = new Terminal(ctx.attribute("kernel"), ctx);
                open.put(ctx.sessionId(), t);
                try {
                    t.start();
                } catch (KernelFailure e) {
                    ctx.closeSession(1011, e.getMessage());
                }
            });
            ws.onMessage(ctx -> {
                Terminal t = open.get(ctx.sessionId());
                if (t == null || t.bridge == null) {
                    return;
                }
                t.kernel.touch();
                JsonNode msg;
                try {
                    msg = Json.parse(ctx.message());
                } catch (IOException e) {
                    return; // the manager ignores what it cannot parse
                }
                try {
                    switch (msg.path("type").asText()) {
                        case "stdin":
                            t.write('d', Base64.getDecoder().decode(msg.path("chars").asText("")));
                            break;
                        case "resize":
                            int rows = msg.path("rows").asInt(24);
                            int cols = msg.path("cols").asInt(80);
                            t.write('r', ByteBuffer.allocate(4).putShort((short) rows).putShort((short) cols).array());
                            break;
                        case "restart":
                            Process old = t.bridge;
                            t.kernel = agent.restart(t.kernel);
                            LocalKernel.kill(old);
                            t.start();
                            break;
                        default:
                            break; // ping and unknown types: nothing to do
                    }
                } catch (IOException | IllegalArgumentException | KernelFailure e) {
                    LOG.log(System.Logger.Level.DEBUG, "terminal message failed", e);
                }
            });
            ws.onClose(ctx -> {
                Terminal t = open.remove(ctx.sessionId());
                if (t != null) {
                    t.close();
                }
            });
        });
    }
}
