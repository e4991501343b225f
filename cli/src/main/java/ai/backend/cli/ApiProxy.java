package ai.backend.cli;

import ai.backend.client.APIConfig;
import ai.backend.client.BackendClientError;
import ai.backend.client.internal.HttpEngine;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

/**
 * A local, insecure HTTP server for development ({@code backend.ai proxy}): it forwards unsigned requests
 * to the API endpoint of a configuration, signed with that configuration's keypair, and streams the
 * answers back. Anyone who can reach the listening address acts with the keypair's rights.
 *
 * <p>Requests: a leading {@code /v<digits>/} is stripped from the path; the raw query string, the method,
 * the body (streamed) and the Content-Type (default {@code application/octet-stream}) are forwarded.
 * Answers keep the upstream status and headers (less the hop-by-hop ones) and the body, streamed, plus
 * {@code Access-Control-Allow-Origin: *}. When no upstream answer is there to relay: {@code 502} with
 * {@value #INACCESSIBLE} when the endpoint cannot be reached or does not answer within the configuration's
 * timeouts, {@code 503} with {@value #SHUTTING_DOWN} while closing, {@code 500} with {@value #WENT_WRONG}
 * otherwise. {@code GET /stream/...} and {@code GET /wsproxy/...} upgrades are relayed as WebSockets, text
 * and binary frames and closes both ways; they have no idle timeout.
 *
 * <p>{@link #close()} answers new requests with 503, abandons exchanges in flight (those not answered yet
 * get the 503; a body being relayed is cut off), closes the WebSockets both ways with 1001, waits up to
 * {@value #GRACE_SECONDS} s for the handlers to finish, then stops listening. Neither the secret key nor
 * the Authorization header is ever logged.
 */
public final class ApiProxy implements AutoCloseable {
    static final String INACCESSIBLE = "The proxy target server is inaccessible.";
    static final String SHUTTING_DOWN = "The proxy is being shut down.";
    static final String WENT_WRONG = "Something has gone wrong.";
    static final int GRACE_SECONDS = 5;

    private static final Pattern VERSION_PREFIX = Pattern.compile("^/v\\d+/");
    private static final Set<String> NOT_RELAYED = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
            "content-length", "content-type", "access-control-allow-origin");
    private static final List<HandlerType> METHODS = List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT,
            HandlerType.PATCH, HandlerType.DELETE, HandlerType.HEAD, HandlerType.OPTIONS);

    private final HttpEngine engine;
    private final PrintStream log;
    private final String bind;
    private final Set<Exchange> exchanges = ConcurrentHashMap.newKeySet();
    private final ApiProxySockets sockets;
    private final Object idle = new Object();
    private volatile Javalin app;
    private volatile int port;
    private volatile boolean closing;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ApiProxy(HttpEngine engine, String bind, PrintStream log) {
        this.engine = engine;
        this.bind = bind;
        this.log = log;
        this.sockets = new ApiProxySockets(engine, log, () -> closing);
    }

    /**
     * Starts listening on {@code bind:port} (port 0 picks a free one) and returns once requests are accepted.
     *
     * @param log where the WebSocket relay notes and unexpected errors are printed
     * @throws IllegalStateException with a one-line message when the address cannot be listened on (for
     *     example, the port is in use) or the API version hashes request bodies, which cannot be streamed
     */
    public static ApiProxy start(APIConfig config, String bind, int port, PrintStream log) {
        HttpEngine engine = new HttpEngine(config);
        if (engine.signsBodies()) {
            engine.close();
            throw new IllegalStateException("The proxy streams request bodies, which API version " + config.version()
                    + " would have to sign; use v4.20181215 or later.");
        }
        ApiProxy proxy = new ApiProxy(engine, bind, log);
        Javalin app = Javalin.create(proxy::configure);
        try {
            app.start(bind, port);
        } catch (RuntimeException e) {
            try {
                app.stop();
            } finally {
                engine.close();
            }
            Throwable root = e;
            boolean inUse = false;
            while (root.getCause() != null) {
                inUse |= root instanceof BindException;
                root = root.getCause();
            }
            inUse |= root instanceof BindException;
            String where = bind + ":" + port;
            throw new IllegalStateException(inUse ? "Cannot listen on " + where + ": the address is already in use."
                    : "Cannot listen on " + where + ": " + (root.getMessage() == null ? root.toString() : root.getMessage()), e);
        }
        proxy.app = app;
        proxy.port = app.port();
        return proxy;
    }

    /** The port listened on (or that was, once closed). */
    public int port() {
        return port;
    }

    /** The proxy's base URL, {@code http://<bind>:<port>}. */
    public String url() {
        String host = bind.contains(":") ? "[" + bind + "]" : bind;
        return "http://" + host + ":" + port();
    }

    private void configure(JavalinConfig cfg) {
        cfg.startup.showJavalinBanner = false;
        cfg.startup.showOldJavalinVersionWarning = false;
        cfg.router.ignoreTrailingSlashes = false;
        cfg.router.treatMultipleSlashesAsSingleSlash = false;
        ai.backend.local.api.Routes.forgetHttpSessions(cfg); // one HTTP session per relayed WebSocket otherwise
        cfg.jetty.modifyHttpConfiguration(h -> {
            h.setSendServerVersion(false);
            h.setSendDateHeader(false); // the upstream's Server and Date headers are relayed instead
        });
        sockets.install(cfg);
        for (HandlerType method : METHODS) {
            cfg.routes.addHttpHandler(method, "/", this::forward);
            cfg.routes.addHttpHandler(method, "/<path>", this::forward);
        }
        cfg.routes.exception(ApiProxySockets.Refusal.class, (e, ctx) -> respond(ctx.res(), e.status, e.contentType, e.body));
    }

    // ---- HTTP

    /** One request in flight, so that {@link #close()} can abandon it. */
    private static final class Exchange {
        volatile CompletableFuture<HttpResponse<InputStream>> upstream;
        volatile InputStream upstreamBody;
        volatile boolean abandoned;

        void abandon() {
            abandoned = true;
            CompletableFuture<HttpResponse<InputStream>> f = upstream;
            if (f != null) {
                f.cancel(true);
            }
            closeQuietly(upstreamBody);
        }
    }

    /** The downstream request body, remembering whether reading it failed (the client went away). */
    private static final class DownstreamBody extends FilterInputStream {
        volatile boolean failed;

        DownstreamBody(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }
    }

    /** The upstream path and query of a local request: {@code /v<N>/} stripped, the raw query kept. */
    static String target(HttpServletRequest req) {
        String path = VERSION_PREFIX.matcher(req.getRequestURI()).replaceFirst("/");
        String query = req.getQueryString();
        return query == null ? path : path + "?" + query;
    }

    private void forward(Context ctx) throws IOException {
        HttpServletRequest req = ctx.req();
        HttpServletResponse res = ctx.res();
        Exchange exchange = new Exchange();
        exchanges.add(exchange);
        try {
            if (closing) {
                respond(res, 503, "text/plain; charset=utf-8", SHUTTING_DOWN);
                return;
            }
            String contentType = req.getContentType() == null ? "application/octet-stream" : req.getContentType();
            long length = req.getContentLengthLong();
            boolean chunked = req.getHeader("Transfer-Encoding") != null;
            DownstreamBody body = length > 0 || chunked ? new DownstreamBody(req.getInputStream()) : null;
            HttpResponse<InputStream> response;
            try {
                CompletableFuture<HttpResponse<InputStream>> upstream =
                        engine.sendStreamed(req.getMethod(), target(req), contentType, body, chunked ? -1 : Math.max(length, 0));
                exchange.upstream = upstream;
                if (closing) {
                    upstream.cancel(true);
                }
                response = upstream.join();
            } catch (CancellationException e) {
                respond(res, 503, "text/plain; charset=utf-8", SHUTTING_DOWN);
                return;
            } catch (CompletionException | BackendClientError e) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                if (body != null && body.failed) {
                    abort(req, cause); // the client went away while sending: nobody to answer
                } else if (closing) {
                    respond(res, 503, "text/plain; charset=utf-8", SHUTTING_DOWN);
                } else if (cause instanceof BackendClientError) {
                    respond(res, 502, "text/plain; charset=utf-8", INACCESSIBLE);
                } else {
                    failed(res, req, cause);
                }
                return;
            }
            exchange.upstreamBody = response.body();
            if (exchange.abandoned) {
                closeQuietly(response.body());
                respond(res, 503, "text/plain; charset=utf-8", SHUTTING_DOWN);
                return;
            }
            stream(req, res, response, exchange);
        } catch (RuntimeException e) {
            failed(res, req, e);
        } finally {
            exchanges.remove(exchange);
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /** Streams the upstream answer back; a failure once the answer has started cuts the connection. */
    private void stream(HttpServletRequest req, HttpServletResponse res, HttpResponse<InputStream> response, Exchange exchange) {
        try (InputStream in = response.body()) {
            res.setStatus(response.statusCode());
            for (Map.Entry<String, List<String>> h : response.headers().map().entrySet()) {
                String name = h.getKey();
                if (name.startsWith(":") || NOT_RELAYED.contains(name.toLowerCase(Locale.ROOT))) {
                    continue;
                }
                for (String value : h.getValue()) {
                    res.addHeader(name, value);
                }
            }
            // set, not added: the servlet response has a default type that an added header would not replace
            // (Jetty writes a known type in its canonical form, e.g. without the space before "charset")
            res.setContentType(response.headers().firstValue("Content-Type").orElse(null));
            res.setHeader("Access-Control-Allow-Origin", "*");
            response.headers().firstValueAsLong("Content-Length").ifPresent(res::setContentLengthLong);
            OutputStream out = res.getOutputStream();
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (n > 0) {
                    out.write(buf, 0, n);
                    if (in.available() == 0) {
                        out.flush();
                    }
                }
            }
            if (exchange.abandoned) {
                abort(req, new IOException(SHUTTING_DOWN));
                return;
            }
            out.flush();
        } catch (IOException | RuntimeException e) {
            if (res.isCommitted()) {
                abort(req, e);
            } else if (exchange.abandoned || closing) {
                respond(res, 503, "text/plain; charset=utf-8", SHUTTING_DOWN);
            } else {
                respond(res, 502, "text/plain; charset=utf-8", INACCESSIBLE);
            }
        }
    }

    private void failed(HttpServletResponse res, HttpServletRequest req, Throwable e) {
        log.println("The proxy failed on " + req.getMethod() + " " + req.getRequestURI() + ": " + e);
        if (res.isCommitted()) {
            abort(req, e);
        } else {
            respond(res, 500, "text/plain; charset=utf-8", WENT_WRONG);
        }
    }

    /** Cuts the downstream connection, so that the client sees an incomplete answer rather than a short one. */
    private static void abort(HttpServletRequest req, Throwable cause) {
        try {
            ServletContextRequest.getServletContextRequest(req).getServletChannel().abort(cause);
        } catch (RuntimeException ignored) {
            // the connection is gone already
        }
    }

    static void respond(HttpServletResponse res, int status, String contentType, String body) {
        if (res.isCommitted()) {
            return;
        }
        try {
            res.reset();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            res.setStatus(status);
            res.setContentType(contentType);
            res.setHeader("Access-Control-Allow-Origin", "*");
            res.setContentLength(bytes.length);
            res.getOutputStream().write(bytes);
        } catch (IOException | IllegalStateException ignored) {
            // the client went away
        }
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // abandoning it anyway
            }
        }
    }

    /**
     * Stops the proxy as the class description says; returns when it no longer listens. Idempotent; safe
     * to call from a shutdown hook.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closing = true;
        try {
            for (Exchange e : exchanges) {
                e.abandon();
            }
            sockets.shutdown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GRACE_SECONDS);
            synchronized (idle) {
                while (!exchanges.isEmpty() && System.nanoTime() < deadline) {
                    try {
                        idle.wait(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
        } finally {
            try {
                app.stop();
            } finally {
                engine.close();
            }
        }
    }
}
