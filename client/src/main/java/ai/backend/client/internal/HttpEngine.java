package ai.backend.client.internal;

import ai.backend.client.APIConfig;
import ai.backend.client.BackendAPIError;
import ai.backend.client.BackendClientError;
import ai.backend.client.Request;
import ai.backend.client.Response;
import ai.backend.client.auth.HashType;
import ai.backend.client.auth.RequestSigner;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The one HTTP engine behind {@code Session} and {@code AsyncSession}: builds the URL, adds and signs the
 * 19.03 headers, sends over a JDK {@link HttpClient} pinned to HTTP/1.1, and maps failures to the SDK's
 * exceptions. Internal: not part of the SDK's API.
 */
public final class HttpEngine implements AutoCloseable {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final APIConfig config;
    private final HashType hashType;
    private final ExecutorService executor;
    private final HttpClient client;
    private final String host;
    private final String basePath;
    private final AtomicBoolean closed = new AtomicBoolean();

    public HttpEngine(APIConfig config) {
        this.config = config;
        this.hashType = HashType.of(config.hashType());
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "backend.ai-http-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(config.connectTimeout().isZero() ? java.time.Duration.ofDays(1) : config.connectTimeout())
                .executor(executor);
        if (config.skipSslCertValidation()) {
            builder.sslContext(trustAllContext());
        }
        this.client = builder.build();
        this.host = hostHeader(config.endpoint());
        String path = config.endpoint().getRawPath() == null ? "" : config.endpoint().getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        this.basePath = path;
    }

    public APIConfig config() {
        return config;
    }

    public HttpClient httpClient() {
        return client;
    }

    /** The engine's threads, for work that completes SDK futures. */
    public java.util.concurrent.Executor executor() {
        return executor;
    }

    /**
     * The {@code Host} value the JDK client sends, which is what must be signed: the host, plus
     * {@code :port} only when the port is given and is not the scheme's default.
     */
    public static String hostHeader(URI uri) {
        int port = uri.getPort();
        boolean secure = "https".equalsIgnoreCase(uri.getScheme()) || "wss".equalsIgnoreCase(uri.getScheme());
        boolean defaultPort = port == -1 || (secure ? port == 443 : port == 80);
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }

    /** The request-target: the endpoint's path prefix, the API path and the query string. */
    public String relativeUrl(Request request) {
        return basePath + request.pathAndQuery();
    }

    /** The absolute URI of a request, with the given scheme (http(s) or ws(s)). */
    public URI uri(Request request, String scheme) {
        URI e = config.endpoint();
        String authority = e.getRawAuthority();
        return URI.create(scheme + "://" + authority + relativeUrl(request));
    }

    /** The signed headers as name/value pairs, in the order the Python client sends them. */
    public String[] signedHeaders(Request request, boolean websocket) {
        return signedHeaders(request.method(), relativeUrl(request), websocket ? null : request.contentType(),
                request.body());
    }

    /**
     * The signed headers of a request-target already including the endpoint's path prefix; a null
     * {@code contentType} signs a WebSocket handshake ({@code application/octet-stream}, no Content-Type sent).
     */
    private String[] signedHeaders(String method, String relUrl, String contentType, byte[] body) {
        String date = RequestSigner.now();
        boolean websocket = contentType == null;
        RequestSigner.Input input = RequestSigner.Input.of(method, relUrl, date, host,
                websocket ? "application/octet-stream" : contentType, config.version(), body);
        String authorization = RequestSigner.authorization(hashType, config.accessKey(), config.secretKey(), input);
        if (websocket) {
            return new String[] {"User-Agent", config.userAgent(), "X-BackendAI-Version", config.version(),
                    "Date", date, "Authorization", authorization};
        }
        return new String[] {"User-Agent", config.userAgent(), "X-BackendAI-Version", config.version(),
                "Date", date, "Content-Type", contentType, "Authorization", authorization};
    }

    /** Whether the configured API version's signature covers the body (versions before v4.20181215). */
    public boolean signsBodies() {
        return config.version().compareTo(RequestSigner.BODYLESS_SIGNATURE_SINCE) < 0;
    }

    /**
     * Sends a pass-through request whose body is streamed, for proxies such as {@code backend.ai proxy};
     * SDK calls use {@link #send(Request)}. Unlike the other methods, a non-2xx answer is not an error: the
     * future completes with the response whatever its status, so that its body can be relayed unchanged.
     *
     * <p>The signature covers {@code pathAndQuery} exactly as given (after the endpoint's path prefix) and
     * the bare, lower-cased media type of {@code contentType}; the {@code Content-Type} header is sent as
     * given (with its parameters, e.g. a multipart boundary). The body is read on an SDK thread while the
     * request is sent, never held whole in memory, and is not hashed: this needs an API version of
     * v4.20181215 or later (see {@link #signsBodies()}).
     *
     * <p>Timeouts: the connect timeout covers connecting; the read timeout (unless zero) runs from sending
     * until the response headers arrive, so it includes sending the body; reading the response body has no
     * timeout. Cancelling the returned future abandons the exchange and closes its connection.
     *
     * @param method the HTTP method, sent as given
     * @param pathAndQuery the raw, percent-encoded request-target relative to the endpoint: a path from
     *     {@code /}, optionally followed by {@code ?} and the query string
     * @param contentType the Content-Type header to send
     * @param body the body, or null for none
     * @param contentLength the body's length, or -1 when unknown (the body is then sent chunked)
     * @return a future completed on an SDK thread with the response, whose body the caller must read to the
     *     end or close; or failed with {@link BackendClientError} when the server cannot be reached or does
     *     not answer in time
     * @throws IllegalStateException when the API version signs bodies
     * @throws BackendClientError when the engine is closed
     */
    public CompletableFuture<HttpResponse<java.io.InputStream>> sendStreamed(String method, String pathAndQuery,
            String contentType, java.io.InputStream body, long contentLength) {
        ensureOpen();
        if (signsBodies()) {
            throw new IllegalStateException("A streamed body cannot be signed with API version " + config.version()
                    + " (it hashes bodies); use " + RequestSigner.BODYLESS_SIGNATURE_SINCE + " or later.");
        }
        String bare = contentType;
        int semi = bare.indexOf(';');
        if (semi >= 0) {
            bare = bare.substring(0, semi);
        }
        bare = bare.trim().toLowerCase(java.util.Locale.ROOT);
        String relUrl = basePath + pathAndQuery;
        String[] headers = signedHeaders(method, relUrl, bare, new byte[0]);
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equals("Content-Type")) {
                headers[i + 1] = contentType;
            }
        }
        HttpRequest.BodyPublisher publisher;
        if (body == null) {
            publisher = HttpRequest.BodyPublishers.noBody();
        } else {
            HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(() -> body);
            publisher = contentLength < 0 ? stream : HttpRequest.BodyPublishers.fromPublisher(stream, contentLength);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(config.endpoint().getScheme().toLowerCase(java.util.Locale.ROOT)
                        + "://" + config.endpoint().getRawAuthority() + relUrl))
                .method(method, publisher)
                .headers(headers);
        if (!config.readTimeout().isZero()) {
            b.timeout(config.readTimeout());
        }
        CompletableFuture<HttpResponse<java.io.InputStream>> exchange =
                client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        CompletableFuture<HttpResponse<java.io.InputStream>> result = exchange.handle((resp, error) -> {
            if (error == null) {
                return resp;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof HttpTimeoutException) {
                throw new BackendClientError("No response to " + method + " " + pathAndQuery + " within "
                        + config.readTimeout().toSeconds() + " s (the read timeout).", cause, true);
            }
            if (cause instanceof IOException) {
                throw BackendClientError.connectionFailed(config.endpoint().toString(), cause);
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new BackendClientError(cause.toString(), cause);
        });
        result.whenComplete((resp, error) -> {
            if (result.isCancelled()) {
                exchange.cancel(true);
                exchange.thenAccept(late -> closeQuietly(late.body()));
            }
        });
        return result;
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // abandoning it anyway
        }
    }

    /**
     * Opens a WebSocket to a raw request-target relative to the endpoint (a path from {@code /}, optionally
     * with {@code ?} and a percent-encoded query), signing the handshake as protocol §5 says: content type
     * {@code application/octet-stream} and no Content-Type header.
     *
     * <p>The connect timeout bounds the handshake. The future completes on an SDK thread with the socket,
     * or fails with {@link BackendAPIError} when the handshake is refused (with the server's problem body; when
     * it sent none, a generic one naming the status), or {@link BackendClientError} when the server cannot be
     * reached. Cancelling the future abandons the handshake (a socket opened anyway is aborted). The socket
     * has no idle timeout; close it with {@link java.net.http.WebSocket#sendClose} or
     * {@link java.net.http.WebSocket#abort}.
     */
    public CompletableFuture<java.net.http.WebSocket> openWebSocket(String pathAndQuery, java.net.http.WebSocket.Listener listener) {
        ensureOpen();
        String relUrl = basePath + pathAndQuery;
        String scheme = config.endpoint().getScheme().equalsIgnoreCase("https") ? "wss" : "ws";
        java.net.http.WebSocket.Builder builder = client.newWebSocketBuilder()
                .connectTimeout(config.connectTimeout().isZero() ? java.time.Duration.ofDays(1) : config.connectTimeout());
        String[] headers = signedHeaders("GET", relUrl, null, new byte[0]);
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        CompletableFuture<java.net.http.WebSocket> handshake =
                builder.buildAsync(URI.create(scheme + "://" + config.endpoint().getRawAuthority() + relUrl), listener);
        CompletableFuture<java.net.http.WebSocket> result = handshake.handle((ws, error) -> {
            if (error != null) {
                throw webSocketFailure(error);
            }
            return ws;
        });
        result.whenComplete((ws, error) -> {
            if (result.isCancelled()) {
                handshake.thenAccept(java.net.http.WebSocket::abort);
            }
        });
        return result;
    }

    /** The SDK exception for a failed WebSocket handshake (see {@link #openWebSocket}). */
    public ai.backend.client.BackendError webSocketFailure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof java.net.http.WebSocketHandshakeException) {
            var response = ((java.net.http.WebSocketHandshakeException) cause).getResponse();
            Object body = response.body();
            String text = body instanceof byte[] ? new String((byte[]) body, StandardCharsets.UTF_8)
                    : body == null ? "" : body.toString();
            if (text.isEmpty()) {
                // a refusal without a body (some proxies send none): say what is known
                text = "{\"type\": \"" + BackendAPIError.GENERIC_ERROR_TYPE + "\", \"title\": \"The WebSocket handshake was refused with HTTP "
                        + response.statusCode() + " " + HttpStatus.reason(response.statusCode()) + ".\"}";
            }
            return BackendAPIError.fromBody(response.statusCode(), HttpStatus.reason(response.statusCode()), text);
        }
        if (cause instanceof ai.backend.client.BackendError) {
            return (ai.backend.client.BackendError) cause;
        }
        return BackendClientError.connectionFailed(config.endpoint().toString(), cause);
    }

    private HttpRequest toHttpRequest(Request request) {
        byte[] body = request.body();
        return toHttpRequest(request, body.length == 0 && !hasBodyMethod(request.method())
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body), null);
    }

    /** Builds the request with the given body; {@code contentTypeHeader} overrides the Content-Type sent. */
    private HttpRequest toHttpRequest(Request request, HttpRequest.BodyPublisher body, String contentTypeHeader) {
        ensureOpen();
        String[] headers = signedHeaders(request, false);
        if (contentTypeHeader != null) {
            for (int i = 0; i < headers.length; i += 2) {
                if (headers[i].equals("Content-Type")) {
                    headers[i + 1] = contentTypeHeader;
                }
            }
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(request, config.endpoint().getScheme().toLowerCase()))
                .method(request.method(), body)
                .headers(headers);
        if (!config.readTimeout().isZero()) {
            b.timeout(config.readTimeout());
        }
        return b.build();
    }

    private static boolean hasBodyMethod(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    /**
     * Sends and waits. Blocks up to the connect timeout plus the read timeout for the response headers.
     *
     * @throws BackendAPIError for a non-2xx answer
     * @throws BackendClientError when the server cannot be reached, on timeout, or when interrupted
     */
    public Response send(Request request) {
        return sendBlocking(request, toHttpRequest(request));
    }

    private Response sendBlocking(Request request, HttpRequest httpRequest) {
        try {
            return check(client.send(httpRequest, HttpResponse.BodyHandlers.ofByteArray()));
        } catch (HttpTimeoutException e) {
            throw timeout(request, e);
        } catch (IOException e) {
            throw BackendClientError.connectionFailed(config.endpoint().toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendClientError("Interrupted while waiting for " + request.method() + " " + request.path(), e);
        }
    }

    /**
     * Sends a streamed multipart body; {@code request} gives the method, path and query, and is signed as
     * {@code multipart/form-data}. Blocks like {@link #send(Request)}.
     */
    public Response sendMultipart(Request request, MultipartBody body) {
        ensureOpen();
        Request signed = Request.builder(request.method(), request.path()).bytesBody(new byte[0], "multipart/form-data").build();
        Request withQuery = request.query().isEmpty() ? signed : copyQuery(request, signed);
        // Streamed through HttpURLConnection: it writes large blocks straight to the socket, several times
        // faster than the HttpClient's body publishers for big files.
        java.net.HttpURLConnection conn = null;
        try {
            conn = (java.net.HttpURLConnection) uri(withQuery, config.endpoint().getScheme().toLowerCase()).toURL().openConnection();
            if (conn instanceof javax.net.ssl.HttpsURLConnection && config.skipSslCertValidation()) {
                ((javax.net.ssl.HttpsURLConnection) conn).setSSLSocketFactory(trustAllContext().getSocketFactory());
                ((javax.net.ssl.HttpsURLConnection) conn).setHostnameVerifier((h, s) -> true);
            }
            conn.setRequestMethod(request.method());
            conn.setDoOutput(true);
            conn.setUseCaches(false);
            conn.setFixedLengthStreamingMode(body.contentLength());
            conn.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()));
            conn.setReadTimeout((int) Math.min(Integer.MAX_VALUE, config.readTimeout().toMillis()));
            String[] headers = signedHeaders(withQuery, false);
            for (int i = 0; i < headers.length; i += 2) {
                conn.setRequestProperty(headers[i], headers[i].equals("Content-Type") ? body.contentType() : headers[i + 1]);
            }
            try (java.io.OutputStream out = new java.io.BufferedOutputStream(conn.getOutputStream(), 1 << 18)) {
                body.writeTo(out);
            }
            int status = conn.getResponseCode();
            java.io.InputStream in = status >= 400 ? conn.getErrorStream() : conn.getInputStream();
            byte[] bytes = in == null ? new byte[0] : in.readAllBytes();
            if (status / 100 != 2) {
                throw BackendAPIError.fromBody(status, HttpStatus.reason(status), new String(bytes, StandardCharsets.UTF_8));
            }
            java.util.Map<String, java.util.List<String>> responseHeaders = new java.util.LinkedHashMap<>();
            conn.getHeaderFields().forEach((k, v) -> {
                if (k != null) {
                    responseHeaders.put(k, v);
                }
            });
            return new Response(status, responseHeaders, bytes);
        } catch (java.net.SocketTimeoutException e) {
            throw timeout(request, e);
        } catch (IOException e) {
            // the server may answer (e.g. 404) and close before the whole body is sent
            if (conn != null) {
                try {
                    int status = conn.getResponseCode();
                    java.io.InputStream err = conn.getErrorStream();
                    if (status >= 400) {
                        throw BackendAPIError.fromBody(status, HttpStatus.reason(status),
                                err == null ? "" : new String(err.readAllBytes(), StandardCharsets.UTF_8));
                    }
                } catch (IOException ignored) {
                    // no answer either
                }
            }
            throw BackendClientError.connectionFailed(config.endpoint().toString(), e);
        } finally {
            if (conn != null) {
                conn.disconnect();
            }
        }
    }

    private static Request copyQuery(Request from, Request to) {
        Request.Builder b = Request.builder(to.method(), to.path()).bytesBody(new byte[0], to.contentType());
        from.query().forEach(b::queryParam);
        return b.build();
    }

    /**
     * Sends without blocking. The future completes on an SDK thread with the response, or exceptionally
     * with {@link BackendAPIError} / {@link BackendClientError}; cancelling it abandons the exchange.
     */
    public CompletableFuture<Response> sendAsync(Request request) {
        HttpRequest httpRequest;
        try {
            httpRequest = toHttpRequest(request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return client.sendAsync(httpRequest, HttpResponse.BodyHandlers.ofByteArray())
                .handle((resp, error) -> {
                    if (error == null) {
                        return check(resp);
                    }
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    if (cause instanceof HttpTimeoutException) {
                        throw timeout(request, cause);
                    }
                    if (cause instanceof IOException) {
                        throw BackendClientError.connectionFailed(config.endpoint().toString(), cause);
                    }
                    if (cause instanceof RuntimeException) {
                        throw (RuntimeException) cause;
                    }
                    throw new BackendClientError(cause.toString(), cause);
                });
    }

    private BackendClientError timeout(Request request, Throwable cause) {
        return new BackendClientError("No response to " + request.method() + " " + request.path() + " within "
                + config.readTimeout().toSeconds() + " s (the read timeout); the server may be overloaded.", cause, true);
    }

    /**
     * Sends and returns as soon as the response headers arrived; the body is read from the returned stream,
     * which the caller must close. Non-2xx answers are read whole and thrown as {@link BackendAPIError}.
     */
    public HttpResponse<java.io.InputStream> sendForStream(Request request) {
        HttpRequest httpRequest = toHttpRequest(request);
        try {
            HttpResponse<java.io.InputStream> resp = client.send(httpRequest, HttpResponse.BodyHandlers.ofInputStream());
            if (resp.statusCode() / 100 != 2) {
                byte[] body;
                try (java.io.InputStream in = resp.body()) {
                    body = in.readAllBytes();
                }
                throw BackendAPIError.fromBody(resp.statusCode(), HttpStatus.reason(resp.statusCode()),
                        new String(body, StandardCharsets.UTF_8));
            }
            return resp;
        } catch (HttpTimeoutException e) {
            throw timeout(request, e);
        } catch (IOException e) {
            throw BackendClientError.connectionFailed(config.endpoint().toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendClientError("Interrupted while waiting for " + request.method() + " " + request.path(), e);
        }
    }

    private static Response check(HttpResponse<byte[]> resp) {
        int status = resp.statusCode();
        byte[] body = resp.body() == null ? new byte[0] : resp.body();
        if (status / 100 != 2) {
            throw BackendAPIError.fromBody(status, HttpStatus.reason(status), new String(body, StandardCharsets.UTF_8));
        }
        return new Response(status, resp.headers().map(), body);
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new BackendClientError("The session is closed.");
        }
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Stops accepting requests and releases the engine's threads. Exchanges in flight are abandoned. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            executor.shutdownNow();
        }
    }

    private static SSLContext trustAllContext() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[] {new TrustAll()}, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new BackendClientError("Cannot set up TLS without certificate validation", e);
        }
    }

    /** Accepts every certificate and host name: only for {@code skipSslCertValidation}. */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] c, String a, java.net.Socket s) { }
        @Override public void checkServerTrusted(X509Certificate[] c, String a, java.net.Socket s) { }
        @Override public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) { }
        @Override public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) { }
        @Override public void checkClientTrusted(X509Certificate[] c, String a) { }
        @Override public void checkServerTrusted(X509Certificate[] c, String a) { }
        @Override public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
