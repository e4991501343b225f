package ai.backend.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.backend.client.APIConfig;
import ai.backend.client.Session;
import ai.backend.client.vfolder.VFolderInfo;
import ai.backend.local.LocalServer;
import ai.backend.local.LocalServerConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code backend.ai proxy}: unsigned requests through {@link ApiProxy} reach a real local server signed, and
 * the answers (errors and large bodies included) and WebSockets come back unchanged.
 */
class ProxyIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static Path dataDir;
    private static LocalServer server;
    private static APIConfig config;
    private static ApiProxy proxy;
    private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    private static final PrintStream LOG_STREAM = new PrintStream(LOG, true, StandardCharsets.UTF_8);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        dataDir = Files.createTempDirectory("backendai-proxy-");
        server = LocalServer.start(LocalServerConfig.defaults(dataDir).withPort(0));
        config = APIConfig.builder().endpoint(server.endpoint()).accessKey(server.userKeypair().accessKey())
                .secretKey(server.userKeypair().secretKey()).build();
        proxy = ApiProxy.start(config, "127.0.0.1", 0, LOG_STREAM);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (proxy != null) {
                proxy.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
            CliProcess.deleteTree(dataDir);
        }
        assertThat(log()).doesNotContain(server.userKeypair().secretKey()).doesNotContain("The proxy failed");
    }

    private static String log() {
        synchronized (LOG) {
            return LOG.toString(StandardCharsets.UTF_8);
        }
    }

    private static URI uri(ApiProxy p, String pathAndQuery) {
        return URI.create(p.url() + pathAndQuery);
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(proxy, pathAndQuery)).GET().build());
    }

    private static HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(proxy, path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    @Test
    void rootAnswersTheServersVersionsWithCorsAllowed() throws Exception {
        HttpResponse<String> r = get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"version\": \"v4.20190315\", \"manager\": \"19.03.5\"}");
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(r.headers().allValues("Access-Control-Allow-Origin")).containsExactly("*");
        assertThat(r.headers().firstValue("Server")).hasValue("BackendAI");
    }

    @Test
    void aJsonPostCreatesAFolderThatTheVersionPrefixedListShows() throws Exception {
        HttpResponse<String> created = postJson("/folders", "{\"name\": \"viaproxy\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(MAPPER.readTree(created.body()).path("name").asText()).isEqualTo("viaproxy");
        assertThat(created.headers().allValues("Access-Control-Allow-Origin")).containsExactly("*");

        try (Session direct = new Session(config)) {
            assertThat(direct.vfolders().list()).extracting(VFolderInfo::name).contains("viaproxy");
        }
        HttpResponse<String> listed = get("/v4/folders");
        assertThat(listed.statusCode()).isEqualTo(200);
        JsonNode list = MAPPER.readTree(listed.body());
        assertThat(list.findValuesAsText("name")).contains("viaproxy");
    }

    @Test
    void upstreamErrorsKeepTheirStatusAndProblemBody() throws Exception {
        HttpResponse<String> r = get("/kernel/nonexistent");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("{\"type\": \"https://api.backend.ai/probs/kernel-not-found\", \"title\": \"No such kernel.\"}");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json; charset=utf-8");
        assertThat(r.headers().allValues("Access-Control-Allow-Origin")).containsExactly("*");

        HttpResponse<String> unknown = get("/v4/no/such/route");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("generic-not-found");
    }

    @Test
    void theQueryStringIsForwardedAndSigned() throws Exception {
        assertThat(postJson("/folders", "{\"name\": \"queried\"}").statusCode()).isEqualTo(201);
        assertThat(postJson("/folders/queried/mkdir", "{\"path\": \"outer/inner dir\"}").statusCode()).isEqualTo(201);

        HttpResponse<String> top = get("/folders/queried/files");
        assertThat(top.statusCode()).as(top.body()).isEqualTo(200);
        assertThat(MAPPER.readTree(MAPPER.readTree(top.body()).path("files").asText()).findValuesAsText("filename"))
                .containsExactly("outer");
        HttpResponse<String> sub = get("/folders/queried/files?path=outer");
        assertThat(sub.statusCode()).as(sub.body()).isEqualTo(200);
        assertThat(MAPPER.readTree(MAPPER.readTree(sub.body()).path("files").asText()).findValuesAsText("filename"))
                .containsExactly("inner dir");
    }

    /** Deterministic pseudo-random bytes, generated as they are read, with their SHA-256 taken on the way. */
    private static final class Generated extends InputStream {
        private final long size;
        private final MessageDigest digest;
        private long position;
        private long state = 0x9E3779B97F4A7C15L;

        Generated(long size) throws Exception {
            this.size = size;
            this.digest = MessageDigest.getInstance("SHA-256");
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                b[off + i] = (byte) state;
            }
            digest.update(b, off, n);
            position += n;
            return n;
        }

        String sha256() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    private static InputStream multipart(String boundary, String filename, InputStream content) {
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"src\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        return new SequenceInputStream(new SequenceInputStream(new java.io.ByteArrayInputStream(head), content),
                new java.io.ByteArrayInputStream(tail));
    }

    private static long multipartOverhead(String boundary, String filename) throws IOException {
        return multipart(boundary, filename, InputStream.nullInputStream()).readAllBytes().length;
    }

    private static String downloadedSha256(String baseUrl, String pathAndQuery, long expectedSize) throws Exception {
        HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(expectedSize);
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long total = 0;
        try (InputStream in = r.body()) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) >= 0) {
                digest.update(buf, 0, n);
                total += n;
            }
        }
        assertThat(total).isEqualTo(expectedSize);
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Uploads {@code size} generated bytes as one file through {@code baseUrl}; returns their SHA-256. */
    private static String uploadGenerated(String baseUrl, String folder, String filename, long size) throws Exception {
        String boundary = "proxytestboundary0123456789";
        Generated content = new Generated(size);
        long length = size + multipartOverhead(boundary, filename);
        HttpRequest upload = HttpRequest.newBuilder(URI.create(baseUrl + "/folders/" + folder + "/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> multipart(boundary, filename, content)), length))
                .build();
        HttpResponse<String> uploaded = send(upload);
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        return content.sha256();
    }

    @Test
    void largeBodiesStreamThroughIntactBothWays() throws Exception {
        assertThat(postJson("/folders", "{\"name\": \"big\"}").statusCode()).isEqualTo(201);
        long size = 50L * 1024 * 1024;
        String sent = uploadGenerated(proxy.url(), "big", "big.bin", size);
        assertThat(downloadedSha256(proxy.url(), "/folders/big/download_single?file=big.bin", size)).isEqualTo(sent);
    }

    @Test
    void aChunkedRequestBodyIsForwarded() throws Exception {
        assertThat(postJson("/folders", "{\"name\": \"chunked\"}").statusCode()).isEqualTo(201);
        long size = 3L * 1024 * 1024 + 17;
        String boundary = "chunkedboundary42";
        Generated content = new Generated(size);
        HttpRequest upload = HttpRequest.newBuilder(uri(proxy, "/v4/folders/chunked/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> multipart(boundary, "c.bin", content)))
                .build();
        HttpResponse<String> uploaded = send(upload);
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        assertThat(downloadedSha256(proxy.url(), "/folders/chunked/download_single?file=c.bin", size)).isEqualTo(content.sha256());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void anUnreachableEndpointGives502() throws Exception {
        APIConfig down = config.toBuilder().endpoint("http://127.0.0.1:" + freePort()).build();
        try (ApiProxy p = ApiProxy.start(down, "127.0.0.1", 0, LOG_STREAM)) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(uri(p, "/folders")).GET().build());
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(r.body()).isEqualTo("The proxy target server is inaccessible.");
            HttpResponse<String> post = send(HttpRequest.newBuilder(uri(p, "/folders")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"x\"}")).build());
            assertThat(post.statusCode()).isEqualTo(502);
            assertThat(post.body()).isEqualTo("The proxy target server is inaccessible.");
        }
    }

    /**
     * A one-connection HTTP endpoint of raw sockets: records the request head and body, then writes the
     * given answer byte for byte, or nothing at all when it is null.
     */
    private static final class RawUpstream implements AutoCloseable {
        final ServerSocket socket;
        final CompletableFuture<String> head = new CompletableFuture<>();
        final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final List<Socket> accepted = java.util.Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;

        RawUpstream(String answer) throws IOException {
            socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> serve(answer), "raw-upstream");
            thread.setDaemon(true);
            thread.start();
        }

        String endpoint() {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }

        private void serve(String answer) {
            try {
                Socket s = socket.accept();
                accepted.add(s);
                InputStream in = new java.io.BufferedInputStream(s.getInputStream());
                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                while (!raw.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0) {
                        throw new IOException("the request ended early");
                    }
                    raw.write(b);
                }
                String text = raw.toString(StandardCharsets.ISO_8859_1);
                head.complete(text);
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?im)^content-length: *(\\d+)").matcher(text);
                body.complete(in.readNBytes(m.find() ? Integer.parseInt(m.group(1)) : 0));
                if (answer != null) {
                    s.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                }
            } catch (IOException e) {
                head.completeExceptionally(e);
                body.completeExceptionally(e);
            }
        }

        @Override
        public void close() throws Exception {
            socket.close();
            synchronized (accepted) {
                for (Socket s : accepted) {
                    s.close();
                }
            }
            thread.join(10_000);
        }
    }

    @Test
    void statusHeadersAndBodyAreRelayedAsTheEndpointSentThemAndTheRequestIsSigned() throws Exception {
        String answer = "HTTP/1.1 207 Multi-Status\r\nContent-Type: application/json; charset=utf-8\r\nX-Custom: a\r\n"
                + "X-Custom: b\r\nAccess-Control-Allow-Origin: https://example.com\r\nConnection: close\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
        try (RawUpstream up = new RawUpstream(answer);
             ApiProxy p = ApiProxy.start(config.toBuilder().endpoint(up.endpoint()).build(), "127.0.0.1", 0, LOG_STREAM)) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(uri(p, "/v12/kernel/x/upload?a=1&b=%2F"))
                    .header("Content-Type", "multipart/form-data; boundary=zz")
                    .POST(HttpRequest.BodyPublishers.ofString("--zz--\r\n")).build());
            assertThat(r.statusCode()).isEqualTo(207);
            assertThat(r.body()).isEqualTo("hello world");
            assertThat(r.headers().allValues("Content-Type")).hasSize(1);
            assertThat(r.headers().firstValue("Content-Type").orElseThrow().replace(" ", "")).isEqualTo("application/json;charset=utf-8");
            assertThat(r.headers().allValues("X-Custom")).containsExactly("a", "b");
            assertThat(r.headers().allValues("Access-Control-Allow-Origin")).containsExactly("*");

            String head = up.head.get(60, TimeUnit.SECONDS);
            assertThat(head).startsWith("POST /kernel/x/upload?a=1&b=%2F HTTP/1.1\r\n")
                    .containsIgnoringCase("\r\nContent-Type: multipart/form-data; boundary=zz\r\n");
            assertThat(up.body.get(60, TimeUnit.SECONDS)).isEqualTo("--zz--\r\n".getBytes(StandardCharsets.UTF_8));
            String date = header(head, "Date");
            String expected = ai.backend.client.auth.RequestSigner.authorization(ai.backend.client.auth.HashType.of("sha256"),
                    config.accessKey(), config.secretKey(), ai.backend.client.auth.RequestSigner.Input.of("POST",
                            "/kernel/x/upload?a=1&b=%2F", date, "127.0.0.1:" + up.socket.getLocalPort(), "multipart/form-data",
                            "v4.20190315", new byte[0]));
            assertThat(header(head, "Authorization")).isEqualTo(expected);
            assertThat(head).doesNotContain(config.secretKey());
        }
    }

    private static String header(String head, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?im)^" + name + ": *([^\r\n]*)").matcher(head);
        assertThat(m.find()).as(name + " in " + head).isTrue();
        return m.group(1);
    }

    @Test
    void closingAnswers503ToARequestStillWaitingForTheEndpoint() throws Exception {
        try (RawUpstream silent = new RawUpstream(null)) {
            ApiProxy p = ApiProxy.start(config.toBuilder().endpoint(silent.endpoint()).build(), "127.0.0.1", 0, LOG_STREAM);
            CompletableFuture<HttpResponse<String>> pending;
            try {
                pending = HTTP.sendAsync(HttpRequest.newBuilder(uri(p, "/v4/kernel/abc?x=1")).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                silent.body.get(60, TimeUnit.SECONDS); // the request is there, and stays unanswered
            } finally {
                p.close();
            }
            HttpResponse<String> r = pending.get(60, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).isEqualTo("The proxy is being shut down.");
            // what the endpoint saw: the stripped path with its query, signed, a bodiless request as octet-stream
            assertThat(silent.head.get()).startsWith("GET /kernel/abc?x=1 HTTP/1.1\r\n")
                    .contains("Authorization: BackendAI signMethod=HMAC-SHA256, credential=" + config.accessKey() + ":")
                    .containsIgnoringCase("Content-Type: application/octet-stream\r\n");
            HttpResponse<String> after = HTTP.sendAsync(HttpRequest.newBuilder(uri(p, "/")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).handle((resp, e) -> resp).get(60, TimeUnit.SECONDS);
            assertThat(after).as("nothing listens after close").isNull();
        }
    }

    /** Collects what a JDK WebSocket receives. */
    private static final class Client implements WebSocket.Listener {
        final BlockingQueue<Object> frames = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                frames.add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                frames.add(binary.toByteArray());
                binary.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }

        Object next() throws InterruptedException {
            Object frame = frames.poll(60, TimeUnit.SECONDS);
            assertThat(frame).as("a frame within 60 s").isNotNull();
            return frame;
        }
    }

    private static WebSocket connect(ApiProxy p, String pathAndQuery, Client client) throws Exception {
        return HTTP.newWebSocketBuilder().buildAsync(URI.create(p.url().replace("http://", "ws://") + pathAndQuery), client)
                .get(60, TimeUnit.SECONDS);
    }

    private static void awaitLogCount(String line, int count) throws InterruptedException {
        for (int i = 0; i < 600 && log().split(java.util.regex.Pattern.quote(line), -1).length - 1 < count; i++) {
            Thread.sleep(100);
        }
        assertThat(log().split(java.util.regex.Pattern.quote(line), -1).length - 1).as(log()).isGreaterThanOrEqualTo(count);
    }

    @Test
    void theExecuteStreamRunsEndToEndThroughTheProxy() throws Exception {
        HttpResponse<String> created = postJson("/kernel/create", "{\"lang\": \"python\", \"clientSessionToken\": \"proxytest1\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        try {
            int started = log().split("websocket proxy started", -1).length - 1;
            int ended = log().split("websocket proxy terminated", -1).length - 1;
            Client client = new Client();
            WebSocket ws = connect(proxy, "/stream/kernel/proxytest1/execute", client);
            ws.sendText("{\"code\": \"print(1)\", \"mode\": \"query\", \"options\": {}}", true).get(60, TimeUnit.SECONDS);
            StringBuilder stdout = new StringBuilder();
            String status;
            do {
                JsonNode frame = MAPPER.readTree((String) client.next());
                status = frame.path("status").asText();
                for (JsonNode record : frame.path("console")) {
                    if (record.get(0).asText().equals("stdout")) {
                        stdout.append(record.get(1).asText());
                    }
                }
            } while (status.equals("continued"));
            assertThat(status).isEqualTo("finished");
            assertThat(stdout.toString()).isEqualTo("1\n");
            assertThat(client.closed.get(60, TimeUnit.SECONDS)).startsWith("1000");
            awaitLogCount("websocket proxy started", started + 1);
            awaitLogCount("websocket proxy terminated", ended + 1);
        } finally {
            HttpResponse<String> destroyed = send(HttpRequest.newBuilder(uri(proxy, "/kernel/proxytest1")).DELETE().build());
            assertThat(destroyed.statusCode()).as(destroyed.body()).isEqualTo(200);
        }
        assertThat(server.sessionPids()).isEmpty();
    }

    @Test
    void aRefusedWebSocketHandshakeKeepsItsStatus() {
        assertThatThrownBy(() -> connect(proxy, "/stream/kernel/nosuchsession/execute", new Client()))
                .hasCauseInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode()).isEqualTo(404));
    }

    @Test
    void webSocketsRelayTextBinaryAndClosesBothWaysWithASignedHandshake() throws Exception {
        BlockingQueue<String> upstreamSaw = new LinkedBlockingQueue<>();
        AtomicReference<String> authorization = new AtomicReference<>();
        AtomicReference<String> query = new AtomicReference<>();
        Javalin echo = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.routes.ws("/wsproxy/echo/<rest>", ws -> {
                ws.onConnect(ctx -> {
                    authorization.set(ctx.header("Authorization"));
                    query.set(ctx.queryString());
                });
                ws.onMessage(ctx -> {
                    upstreamSaw.add("text " + ctx.message());
                    if (ctx.message().equals("close-me")) {
                        ctx.closeSession(4001, "bye");
                    } else {
                        ctx.send(ctx.message() + "!");
                    }
                });
                ws.onBinaryMessage(ctx -> {
                    byte[] bytes = new byte[ctx.data().remaining()];
                    ctx.data().get(bytes);
                    upstreamSaw.add("binary " + HexFormat.of().formatHex(bytes));
                    byte[] reply = java.util.Arrays.copyOf(bytes, bytes.length + 1);
                    reply[bytes.length] = (byte) 0xff;
                    ctx.send(ByteBuffer.wrap(reply));
                });
                ws.onClose(ctx -> upstreamSaw.add("close " + ctx.status()));
            });
        }).start("127.0.0.1", 0);
        APIConfig toEcho = config.toBuilder().endpoint("http://127.0.0.1:" + echo.port()).build();
        try (ApiProxy p = ApiProxy.start(toEcho, "127.0.0.1", 0, LOG_STREAM)) {
            Client client = new Client();
            WebSocket ws = connect(p, "/wsproxy/echo/a?app=x%20y", client);
            ws.sendText("test", true).get(60, TimeUnit.SECONDS);
            assertThat(client.next()).isEqualTo("test!");
            ws.sendBinary(ByteBuffer.wrap(new byte[] {0, 0}), true).get(60, TimeUnit.SECONDS);
            assertThat((byte[]) client.next()).containsExactly(0, 0, 0xff);
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(60, TimeUnit.SECONDS);
            assertThat(client.closed.get(60, TimeUnit.SECONDS)).startsWith("1000");
            assertThat(List.of(upstreamSaw.poll(60, TimeUnit.SECONDS), upstreamSaw.poll(60, TimeUnit.SECONDS),
                    upstreamSaw.poll(60, TimeUnit.SECONDS))).containsExactly("text test", "binary 0000", "close 1000");
            assertThat(authorization.get()).startsWith("BackendAI signMethod=HMAC-SHA256, credential=" + config.accessKey() + ":");
            assertThat(query.get()).isEqualTo("app=x%20y");

            Client second = new Client();
            WebSocket ws2 = connect(p, "/wsproxy/echo/b", second);
            ws2.sendText("close-me", true).get(60, TimeUnit.SECONDS);
            assertThat(second.closed.get(60, TimeUnit.SECONDS)).isEqualTo("4001 bye");
        } finally {
            echo.stop();
        }
    }

    /**
     * The command in its own process, with a heap far smaller than the bodies it relays (so that only
     * streaming can pass), until SIGTERM.
     */
    @Test
    void theCommandStreamsInASmallHeapAndServesUntilSigtermThenFreesItsPort() throws Exception {
        Path home = Files.createTempDirectory("backendai-proxy-home-");
        int port = freePort();
        Map<String, String> env = CliProcess.cleanEnv(home);
        env.put("BACKEND_JAVA_OPTS", "-Xmx32m");
        env.put("BACKEND_ENDPOINT", server.endpoint());
        env.put("BACKEND_ACCESS_KEY", config.accessKey());
        env.put("BACKEND_SECRET_KEY", config.secretKey());
        ProcessBuilder pb = new ProcessBuilder(CliProcess.projectDir().resolve("bin/backend.ai").toString(), "proxy",
                "--bind", "127.0.0.1", "-p", Integer.toString(port)).directory(CliProcess.projectDir().toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Path err = Files.createTempFile("proxy-err", ".txt");
        pb.redirectError(err.toFile());
        Process process = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).as(() -> stderrOf(err)).isEqualTo("======== Running on http://127.0.0.1:" + port + " ========");
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v4/folders")).GET().build());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).startsWith("[");
            String base = "http://127.0.0.1:" + port;
            assertThat(send(HttpRequest.newBuilder(URI.create(base + "/folders")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"smallheap\"}")).build()).statusCode()).isEqualTo(201);
            long size = 50L * 1024 * 1024;
            String sent = uploadGenerated(base, "smallheap", "big.bin", size);
            assertThat(downloadedSha256(base, "/folders/smallheap/download_single?file=big.bin", size)).isEqualTo(sent);

            process.destroy(); // SIGTERM
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
            try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertThat(again.getLocalPort()).isEqualTo(port);
            }
            assertThat(stderrOf(err)).doesNotContain(config.secretKey()).doesNotContain("Authorization");
        } finally {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            Files.deleteIfExists(err);
            CliProcess.deleteTree(home);
        }
    }

    private static String stderrOf(Path err) {
        try {
            return Files.readString(err);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void aBusyPortIsAOneLineErrorAndExitStatus1() throws Exception {
        Path home = Files.createTempDirectory("backendai-proxy-home-");
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, String> env = CliProcess.cleanEnv(home);
            env.put("BACKEND_ENDPOINT", "http://127.0.0.1:9");
            env.put("BACKEND_ACCESS_KEY", "AKIAIOSFODNN7EXAMPLE");
            env.put("BACKEND_SECRET_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
            CliProcess.Result r = CliProcess.run(env, 120, "proxy", "--bind", "127.0.0.1", "-p", Integer.toString(busy.getLocalPort()));
            assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
            assertThat(r.stdout()).isEmpty();
            assertThat(r.stderr().strip()).doesNotContain("\n")
                    .endsWith("Cannot listen on 127.0.0.1:" + busy.getLocalPort() + ": the address is already in use.");
        } finally {
            CliProcess.deleteTree(home);
        }
    }

    @Test
    void helpShowsTheOptions() throws Exception {
        assertThat(Main.commandLine(new BackendAiCommand(), "proxy", false).getSubcommands().get("proxy").getUsageMessage())
                .contains("--bind").contains("-p, --port").contains("Use this only for development and testing!");
        assertThatThrownBy(() -> ApiProxy.start(config.toBuilder().version("v4.20180913").build(), "127.0.0.1", 0, LOG_STREAM))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("v4.20181215");
    }
}
