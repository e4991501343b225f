package ai.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import ai.backend.client.BackendAPIError;
import ai.backend.client.Request;
import ai.backend.client.Session;
import ai.backend.client.auth.HashType;
import ai.backend.client.auth.RequestSigner;
import ai.backend.local.store.Keypair;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Authentication over real HTTP against a real local server. */
class AuthIntegrationTest {
    private static TestServer server;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A raw signed request, so that tests can choose the date, key and headers. */
    private static HttpResponse<String> send(String method, String path, String body, OffsetDateTime date,
                                             String dateHeaderName, String accessKey, String secretKey, String version) throws Exception {
        URI uri = URI.create(server.endpoint() + path);
        String host = uri.getHost() + ":" + uri.getPort();
        String dateStr = RequestSigner.formatDate(date);
        String contentType = body == null ? "text/plain" : "application/json";
        String auth = RequestSigner.authorization(HashType.of("sha256"), accessKey, secretKey,
                RequestSigner.Input.of(method, path, dateStr, host, contentType, version, new byte[0]));
        HttpRequest req = HttpRequest.newBuilder(uri)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header(dateHeaderName, dateStr).header("X-BackendAI-Version", version)
                .header("Content-Type", contentType).header("Authorization", auth).build();
        return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> sendAsUser(OffsetDateTime date, String dateHeaderName) throws Exception {
        Keypair k = server.server().userKeypair();
        return send("POST", "/auth", "{\"echo\": \"hi\"}", date, dateHeaderName, k.accessKey(), k.secretKey(), "v4.20190315");
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return new ObjectMapper().readTree(r.body());
    }

    @Test
    void acceptsACorrectSignature() throws Exception {
        HttpResponse<String> r = sendAsUser(OffsetDateTime.now(ZoneOffset.UTC), "Date");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"authorized\": \"yes\", \"echo\": \"hi\"}");
    }

    @Test
    void acceptsTheNpmClientsDateHeaderAndOtherOffsets() throws Exception {
        assertThat(sendAsUser(OffsetDateTime.now(ZoneOffset.UTC), "X-BackendAI-Date").statusCode()).isEqualTo(200);
        assertThat(sendAsUser(OffsetDateTime.now(ZoneOffset.ofHours(9)), "Date").statusCode()).isEqualTo(200);
    }

    @Test
    void refusesASixteenMinuteOldDate() throws Exception {
        HttpResponse<String> r = sendAsUser(OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(16), "Date");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(json(r).get("type").asText()).isEqualTo("https://api.backend.ai/probs/invalid-auth-params");
        assertThat(json(r).get("title").asText()).isEqualTo("Missing or invalid authorization parameters. (Date/time sync error)");
    }

    @Test
    void refusesAWrongSignature() {
        Session wrong = new Session(server.userConfig().toBuilder().secretKey("not-the-secret").build());
        try (wrong) {
            BackendAPIError e = catchApiError(() -> wrong.fetch(Request.post("/auth").jsonBody(Map.of("echo", 1)).build()));
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.type()).isEqualTo("https://api.backend.ai/probs/auth-failed");
            assertThat(e.title()).isEqualTo("Credential/signature mismatch.");
        }
    }

    @Test
    void refusesAnUnknownAccessKey() {
        try (Session unknown = new Session(server.userConfig().toBuilder().accessKey("AKIANOSUCHKEY0000000").build())) {
            BackendAPIError e = catchApiError(() -> unknown.fetch(Request.post("/auth").jsonBody(Map.of()).build()));
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.typeName()).isEqualTo("auth-failed");
            assertThat(e.message()).isEqualTo("Access key not found");
        }
    }

    @Test
    void refusesAnInactiveKey() throws Exception {
        Keypair extra = Keypair.generate("paused@localhost", false);
        server.server().database().insertKeypair(extra);
        try (Session s = new Session(server.config(extra))) {
            assertThat(s.fetch(Request.post("/auth").jsonBody(Map.of()).build()).status()).isEqualTo(200);
            server.server().database().setKeypairActive(extra.accessKey(), false);
            BackendAPIError e = catchApiError(() -> s.fetch(Request.post("/auth").jsonBody(Map.of()).build()));
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.typeName()).isEqualTo("auth-failed");
        }
    }

    @Test
    void refusesUnsupportedApiVersionsEvenOnAnonymousEndpoints() throws Exception {
        Keypair k = server.server().userKeypair();
        HttpResponse<String> r = send("GET", "/", null, OffsetDateTime.now(ZoneOffset.UTC), "Date", k.accessKey(),
                k.secretKey(), "v9.20990101");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"type\": \"https://api.backend.ai/probs/generic-bad-request\", "
                + "\"title\": \"Bad request. (Unsupported API major version.)\"}");
    }

    @Test
    void requestsWithoutAuthorizationAreRefused() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/auth"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .header("Date", RequestSigner.now()).header("X-BackendAI-Version", "v4.20190315").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).get("type").asText()).endsWith("/auth-failed");
        HttpResponse<String> noDate = HTTP.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/auth"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("X-BackendAI-Version", "v4.20190315").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noDate.statusCode()).isEqualTo(400);
        assertThat(json(noDate).get("type").asText()).endsWith("/invalid-auth-params");
    }

    @Test
    void unknownPathsAndMethodsGetTheRealProblems() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/invalid-url-wow")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("{\"type\": \"https://api.backend.ai/probs/generic-not-found\", \"title\": \"Unknown URL path.\"}");
        HttpResponse<String> slash = HTTP.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/kernel/create/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(slash.statusCode()).isIn(404, 405);
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/"))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(json(put).get("type").asText()).endsWith("/method-not-allowed");
    }

    @Test
    void aServerThatIsDownGivesAClientErrorThatSaysWhatToCheck() throws Exception {
        int freePort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        try (Session s = new Session(server.userConfig().toBuilder().endpoint("http://127.0.0.1:" + freePort).build())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(s::hello)
                    .isInstanceOf(ai.backend.client.BackendClientError.class)
                    .hasMessageContaining("Request to the API endpoint has failed.")
                    .hasMessageContaining("Check your network connection and/or the server status")
                    .hasMessageContaining("127.0.0.1:" + freePort);
        }
    }

    private static BackendAPIError catchApiError(Runnable r) {
        try {
            r.run();
        } catch (BackendAPIError e) {
            return e;
        }
        throw new AssertionError("expected a BackendAPIError");
    }
}
