package ai.backend.local.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.backend.local.agent.AgentTestAccess;
import ai.backend.local.store.Database;
import ai.backend.local.store.Keypair;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The server's verifier against every reference signing vector, and its refusals. */
class AuthenticatorTest {
    private static Path dir;
    private static Database db;
    private static JsonNode file;

    @BeforeAll
    static void openDatabase() throws Exception {
        dir = Files.createTempDirectory("auth-test-");
        db = Database.open(dir.resolve("state.db"));
        file = new ObjectMapper().readTree(referenceDir()
                .resolve("signing-vectors.json").toFile());
        db.insertKeypair(new Keypair(file.at("/common/access_key").asText(), file.at("/common/secret_key").asText(),
                "admin@lablup.com", true, true, "default", 30000));
        db.insertKeypair(new Keypair("AKIAINACTIVE00000000", file.at("/common/secret_key").asText(),
                "gone@lablup.com", false, false, "default", 30000));
    }

    @AfterAll
    static void closeDatabase() throws Exception {
        db.close();
        AgentTestAccess.deleteTree(dir);
    }

    static Stream<Arguments> vectors() throws Exception {
        List<Arguments> list = new ArrayList<>();
        JsonNode f = new ObjectMapper().readTree(referenceDir()
                .resolve("signing-vectors.json").toFile());
        f.get("vectors").forEach(v -> list.add(Arguments.of(v.get("name").asText(), v)));
        return list.stream();
    }

    static Path referenceDir() {
        String dirProperty = System.getProperty("backendai.reference.dir");
        if (dirProperty == null || !Files.isDirectory(Path.of(dirProperty))) {
            throw new IllegalStateException("Set -Dbackendai.reference.dir to ../shared/reference (Maven does)");
        }
        return Path.of(dirProperty);
    }

    private static Authenticator at(String dateHeader) {
        OffsetDateTime date = DateHeaders.parse(dateHeader);
        return new Authenticator(db, Clock.fixed(date.toInstant(), ZoneOffset.UTC));
    }

    private static Authenticator.SignedRequest request(JsonNode v, String dateHeaderName, String authorization) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(dateHeaderName, v.get("date_header").asText());
        headers.put("X-BackendAI-Version", v.get("api_version").asText());
        headers.put("Authorization", authorization);
        boolean websocket = v.get("content_type").asText().equals("application/octet-stream");
        return new Authenticator.SignedRequest(v.get("method").asText(), v.get("rel_url").asText(),
                v.get("host").asText(), websocket ? null : v.get("content_type").asText(), headers,
                v.path("body").asText("").getBytes(StandardCharsets.UTF_8));
    }

    private static String authorization(JsonNode v, String signature) {
        String hash = v.get("hash_type").asText().toUpperCase();
        return "BackendAI signMethod=HMAC-" + hash + ", credential=" + file.at("/common/access_key").asText() + ":" + signature;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void acceptsEveryReferenceVector(String name, JsonNode v) {
        String dateHeader = v.get("name").asText().startsWith("V8") ? "X-BackendAI-Date" : "Date";
        Keypair k = at(v.get("date_header").asText())
                .authenticate(request(v, dateHeader, authorization(v, v.get("signature").asText())));
        assertThat(k.accessKey()).isEqualTo("AKIAIOSFODNN7EXAMPLE");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void refusesEveryVectorWithAFlippedSignature(String name, JsonNode v) {
        String sig = v.get("signature").asText();
        String flipped = (sig.charAt(0) == '0' ? '1' : '0') + sig.substring(1);
        assertThatThrownBy(() -> at(v.get("date_header").asText()).authenticate(request(v, "Date", authorization(v, flipped))))
                .isInstanceOfSatisfying(Problem.class, p -> {
                    assertThat(p.status()).isEqualTo(401);
                    assertThat(p.type()).endsWith("/auth-failed");
                });
    }

    private static JsonNode v1() {
        return file.get("vectors").get(0);
    }

    @Test
    void refusesADateSixteenMinutesOff() {
        JsonNode v = v1();
        OffsetDateTime date = OffsetDateTime.parse(v.get("date_header").asText());
        Authenticator later = new Authenticator(db, Clock.fixed(date.plusMinutes(16).toInstant(), ZoneOffset.UTC));
        assertThatThrownBy(() -> later.authenticate(request(v, "Date", authorization(v, v.get("signature").asText()))))
                .isInstanceOfSatisfying(Problem.class, p -> {
                    assertThat(p.status()).isEqualTo(400);
                    assertThat(p.fullTitle()).isEqualTo("Missing or invalid authorization parameters. (Date/time sync error)");
                });
        Authenticator edge = new Authenticator(db, Clock.fixed(date.plusMinutes(15).toInstant(), ZoneOffset.UTC));
        assertThat(edge.authenticate(request(v, "Date", authorization(v, v.get("signature").asText())))).isNotNull();
    }

    @Test
    void refusesAnUnknownOrInactiveKey() {
        JsonNode v = v1();
        String sig = v.get("signature").asText();
        for (String ak : new String[] {"AKIANOSUCHKEY0000000", "AKIAINACTIVE00000000"}) {
            String header = "BackendAI signMethod=HMAC-SHA256, credential=" + ak + ":" + sig;
            assertThatThrownBy(() -> at(v.get("date_header").asText()).authenticate(request(v, "Date", header)))
                    .isInstanceOfSatisfying(Problem.class, p -> {
                        assertThat(p.status()).isEqualTo(401);
                        assertThat(p.fullTitle()).isEqualTo("Credential/signature mismatch. (Access key not found)");
                    });
        }
    }

    @Test
    void refusesMalformedAuthorizationHeaders() {
        JsonNode v = v1();
        Map<String, String> expectations = new LinkedHashMap<>();
        expectations.put("BackendAI", "Malformed authorization header");
        expectations.put("Bearer abc", "Invalid authorization type name");
        expectations.put("BackendAI signMethod", "Missing or malformed authorization parameters");
        expectations.put("BackendAI signMethod=HMAC-SHA256", "Missing or malformed authorization parameters");
        expectations.put("BackendAI signMethod=RSA-SHA256, credential=AK:sig", "Unsupported request signing method (MAC type)");
        expectations.put("BackendAI signMethod=HMAC-WHIRLPOOL, credential=AK:sig", "Unsupported request signing method (hash type)");
        expectations.forEach((header, message) ->
                assertThatThrownBy(() -> at(v.get("date_header").asText()).authenticate(request(v, "Date", header)))
                        .as(header)
                        .isInstanceOfSatisfying(Problem.class, p -> {
                            assertThat(p.status()).isEqualTo(400);
                            assertThat(p.fullTitle()).isEqualTo("Missing or invalid authorization parameters. (" + message + ")");
                        }));
        assertThatThrownBy(() -> at(v.get("date_header").asText())
                .authenticate(request(v, "Date", "BackendAI signMethod=HMACSHA256, credential=AK:sig")))
                .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.status()).isEqualTo(401));
    }

    @Test
    void parsesTheDateFormsTheManagerAccepts() {
        assertThat(DateHeaders.parse("2019-03-15T12:34:56.123456+00:00")).isNotNull();
        assertThat(DateHeaders.parse("2019-03-15T12:34:56")).isEqualTo(OffsetDateTime.of(2019, 3, 15, 12, 34, 56, 0, ZoneOffset.UTC));
        assertThat(DateHeaders.parse("2019-03-15T12:34:56Z")).isNotNull();
        assertThat(DateHeaders.parse("20190315T12:34:56")).isEqualTo(OffsetDateTime.of(2019, 3, 15, 12, 34, 56, 0, ZoneOffset.UTC));
        assertThat(DateHeaders.parse("Fri, 15 Mar 2019 12:34:56 GMT")).isEqualTo(OffsetDateTime.of(2019, 3, 15, 12, 34, 56, 0, ZoneOffset.UTC));
        assertThat(DateHeaders.parse("Fri, 15 Mar 2019 21:34:56 KST").toInstant())
                .isEqualTo(OffsetDateTime.of(2019, 3, 15, 12, 34, 56, 0, ZoneOffset.UTC).toInstant());
        assertThat(DateHeaders.parse("yesterday")).isNull();
        assertThat(DateHeaders.parse("")).isNull();
    }
}
