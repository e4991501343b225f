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
        String date = RequestSigner.now();
        String contentType = websocket ? "application/octet-stream" : request.contentType();
        RequestSigner.Input input = RequestSigner.Input.of(request.method(), relativeUrl(request), date, host,
                contentType, config.version(), request.body());
        String authorization = RequestSigner.authorization(hashType, config.accessKey(), config.secretKey(), input);
        if (websocket) {
            return new String[] {"User-Agent", config.userAgent(), "X-BackendAI-Version", config.version(),
                    "Date", date, "Authorization", authorization};
        }
        return new String[] {"User-Agent", config.userAgent(), "X-BackendAI-Version", config.version(),
                "Date", date, "Content-Type", request.contentType(), "Authorization", authorization};
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
