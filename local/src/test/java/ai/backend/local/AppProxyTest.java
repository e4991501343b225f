package ai.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.backend.client.APIConfig;
import ai.backend.client.BackendAPIError;
import ai.backend.client.BackendClientError;
import ai.backend.client.BackendError;
import ai.backend.client.Request;
import ai.backend.client.Session;
import ai.backend.client.internal.HttpEngine;
import ai.backend.client.kernel.AppProxy;
import ai.backend.client.kernel.CreateKernelRequest;
import ai.backend.client.kernel.ExecuteRequest;
import ai.backend.client.kernel.Kernel;
import ai.backend.client.kernel.ServicePort;
import ai.backend.local.store.Database;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The app proxy end to end: app services of an image (§5.3) started on first use, reached through the SDK's
 * {@link AppProxy} over real WebSockets, and the refusals before the upgrade with their exact bodies.
 */
class AppProxyTest {
    private static final InetSocketAddress ANY_LOCAL_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    /** A TCP echo server on {port}: what a tcp service of an image can be. */
    private static final String ECHO = "import socket, threading\\n"
            + "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\\n"
            + "s.bind(('127.0.0.1', int('{port}'))); s.listen(8)\\n"
            + "def serve(c):\\n"
            + "    while True:\\n"
            + "        d = c.recv(65536)\\n"
            + "        if not d: break\\n"
            + "        c.sendall(d)\\n"
            + "    c.close()\\n"
            + "while True:\\n"
            + "    c, _ = s.accept(); threading.Thread(target=serve, args=(c,), daemon=True).start()\\n";

    private static void putImage(TestServer server, String name, String services) throws Exception {
        server.server().database().putImage(new Database.ImageRow(name, "python", "0.01", "64m", null, null, services));
    }

    /** Sends a signed WebSocket handshake by hand and returns the raw answer (status line to body). */
    private static String handshake(TestServer server, String sess, String app) throws Exception {
        APIConfig cfg = server.userConfig();
        try (HttpEngine engine = new HttpEngine(cfg)) {
            Request request = Request.get("/stream/kernel/" + sess + "/httpproxy").queryParam("app", app).build();
            String[] headers = engine.signedHeaders(request, true);
            URI uri = URI.create(server.endpoint());
            try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
                StringBuilder head = new StringBuilder("GET " + engine.relativeUrl(request) + " HTTP/1.1\r\n")
                        .append("Host: ").append(HttpEngine.hostHeader(uri)).append("\r\n")
                        .append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n")
                        .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
                for (int i = 0; i < headers.length; i += 2) {
                    head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
                }
                s.getOutputStream().write(head.append("Connection: close\r\n\r\n").toString().getBytes(StandardCharsets.UTF_8));
                return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    @Test
    void theFilesServiceOfPythonSessionsIsReachedThroughTheProxy() throws Exception {
        try (TestServer server = TestServer.start(); Session user = new Session(server.userConfig())) {
            Kernel k = user.kernels().getOrCreate(CreateKernelRequest.builder("python").clientToken("apps-files").build());
            server.recordSessionPids();
            assertThat(k.ref().servicePorts()).extracting(ServicePort::name).containsExactly("files", "jupyter", "jupyterlab");
            assertThat(k.ref().servicePorts().get(0)).isEqualTo(new ServicePort("files", "http", 8000, 0));
            k.execute(ExecuteRequest.query("import os\nopen('hello.txt', 'w').write('hi there')\n"
                    + "open('big.bin', 'wb').write(os.urandom(5 * 1024 * 1024))"));
            List<BackendError> errors = new CopyOnWriteArrayList<>();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            try (AppProxy proxy = k.proxyApp("files", ANY_LOCAL_PORT, errors::add)) {
                String base = "http://127.0.0.1:" + proxy.localAddress().getPort();
                HttpResponse<String> hello = http.send(HttpRequest.newBuilder(URI.create(base + "/hello.txt")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(hello.statusCode()).isEqualTo(200);
                assertThat(hello.body()).isEqualTo("hi there");
                HttpResponse<byte[]> big = http.send(HttpRequest.newBuilder(URI.create(base + "/big.bin")).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                Path onDisk = server.server().agent().sessions().get(0).workDir().resolve("big.bin");
                assertThat(big.body()).hasSize(5 * 1024 * 1024);
                assertThat(sha256(big.body())).isEqualTo(sha256(Files.readAllBytes(onDisk)));
                HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(base + "/nope.txt")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(missing.statusCode()).as("the service's own 404 passes through").isEqualTo(404);
            }
            assertThat(errors).isEmpty();
            assertThat(user.admin().query("query { compute_session(sess_id: \"apps-files\") { service_ports } }")
                    .at("/compute_session/service_ports").asText()).contains("\"name\": \"files\"").contains("\"host_port\": null");
            k.destroy();
        }
    }

    @Test
    void tcpServicesRelayBytesExactlyAndEndWithTheSession() throws Exception {
        try (TestServer server = TestServer.start(); Session user = new Session(server.userConfig())) {
            putImage(server, "echo", "[{\"name\": \"echo\", \"protocol\": \"tcp\", \"port\": 7, \"command\":"
                    + " [\"{python}\", \"-c\", \"" + ECHO + "\"]}]");
            Kernel k = user.kernels().getOrCreate(CreateKernelRequest.builder("echo").clientToken("apps-echo").build());
            server.recordSessionPids();
            byte[] payload = new byte[300_000];
            new Random(7).nextBytes(payload);
            try (AppProxy proxy = k.proxyApp("echo", ANY_LOCAL_PORT, null)) {
                for (int round = 0; round < 2; round++) {
                    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.localAddress().getPort())) {
                        Thread writer = new Thread(() -> {
                            try {
                                OutputStream out = s.getOutputStream();
                                out.write(payload);
                                out.flush();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
                        writer.start();
                        byte[] back = s.getInputStream().readNBytes(payload.length);
                        writer.join();
                        assertThat(back).as("round %d", round).isEqualTo(payload);
                    }
                }
            }
            k.destroy();
            assertThat(server.server().agent().sessions()).isEmpty();
        }
    }

    @Test
    void refusalsComeBeforeTheUpgradeWithTheirBodies() throws Exception {
        try (TestServer server = TestServer.start(); Session user = new Session(server.userConfig())) {
            putImage(server, "broken", "[{\"name\": \"svc\", \"protocol\": \"http\", \"port\": 80, \"command\":"
                    + " [\"{python}\", \"-c\", \"import sys; sys.exit('no display available')\"]},"
                    + " {\"name\": \"term\", \"protocol\": \"pty\", \"port\": 81, \"command\": [\"true\"]},"
                    + " {\"name\": \"odd\", \"protocol\": \"udp\", \"port\": 82, \"command\": [\"true\"]}]");
            Kernel k = user.kernels().getOrCreate(CreateKernelRequest.builder("broken").clientToken("apps-broken").build());
            server.recordSessionPids();

            String unknown = handshake(server, "apps-broken", "nope");
            assertThat(unknown).startsWith("HTTP/1.1 404 ");
            assertThat(body(unknown)).isEqualTo("{\"type\": \"https://api.backend.ai/probs/app-not-found\","
                    + " \"title\": \"No such app service provided by the session. (apps-broken:nope)\"}");
            String failed = handshake(server, "apps-broken", "svc");
            assertThat(failed).startsWith("HTTP/1.1 500 ");
            assertThat(body(failed)).isEqualTo("{\"type\": \"https://api.backend.ai/probs/internal-server-error\","
                    + " \"title\": \"Internal server error. (Failed to launch the app service: the svc service exited"
                    + " with code 1: no display available)\"}");
            assertThat(handshake(server, "apps-broken", "term")).startsWith("HTTP/1.1 500 ");
            assertThat(body(handshake(server, "apps-broken", "odd"))).contains("Unsupported service protocol: udp");
            assertThat(body(handshake(server, "nosuchsession", "svc"))).contains("kernel-not-found");

            List<BackendError> errors = new CopyOnWriteArrayList<>();
            try (AppProxy proxy = k.proxyApp("nope", ANY_LOCAL_PORT, errors::add);
                 Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.localAddress().getPort())) {
                s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(reply).startsWith("HTTP/1.1 503 Service Unavailable\r\nConnection: Closed\r\n\r\nWebSocket reply: ");
                assertThat(errors).singleElement().isInstanceOfSatisfying(BackendAPIError.class,
                        e -> assertThat(e.status()).isEqualTo(404));
                // the port is taken by this proxy: a second one on it is refused clearly
                assertThatThrownBy(() -> k.proxyApp("nope", proxy.localAddress(), null))
                        .isInstanceOf(BackendClientError.class).hasMessageContaining("Cannot listen on");
            }
            k.destroy();
        }
    }
}
