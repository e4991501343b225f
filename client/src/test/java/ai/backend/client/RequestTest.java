package ai.backend.client;

import static org.assertj.core.api.Assertions.assertThat;

import ai.backend.client.internal.HttpEngine;
import ai.backend.client.internal.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestTest {
    @Test
    void jsonBodiesAreWrittenAsPythonJsonDumps() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("lang", "python");
        body.put("tag", null);
        body.put("config", Map.of("clusterSize", 1));
        Request r = Request.post("/kernel/create").jsonBody(body).build();
        assertThat(new String(r.body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"lang\": \"python\", \"tag\": null, \"config\": {\"clusterSize\": 1}}");
        assertThat(r.contentType()).isEqualTo("application/json");
        assertThat(Json.pythonDumps(Map.of("k", "\u00e9"))).isEqualTo("{\"k\": \"\\u00e9\"}");
    }

    @Test
    void requestsWithoutBodySayTextPlain() {
        Request r = Request.get("/").build();
        assertThat(r.contentType()).isEqualTo("text/plain");
        assertThat(r.body()).isEmpty();
    }

    @Test
    void getAndDeleteMayCarryJsonBodies() {
        assertThat(Request.get("/kernel/x/files").jsonBody(Map.of("path", ".")).build().body()).isNotEmpty();
        assertThat(Request.delete("/folders/x/delete_files").jsonBody(Map.of("files", "a")).build().contentType())
                .isEqualTo("application/json");
    }

    @Test
    void queryParametersArePercentEncodedAndNullsSkipped() {
        Request r = Request.get("/kernel/abc").queryParam("owner_access_key", "AK OWNER/1").queryParam("x", null).build();
        assertThat(r.pathAndQuery()).isEqualTo("/kernel/abc?owner_access_key=AK%20OWNER%2F1");
    }

    @Test
    void relativeUrlIncludesTheEndpointPathPrefix() {
        APIConfig c = APIConfig.builder().endpoint("https://example.com/api/").accessKey("a").secretKey("b").build();
        try (HttpEngine engine = new HttpEngine(c)) {
            Request r = Request.get("/kernel/mysess01").queryParam("owner_access_key", "AKIAOWNER0000000000X").build();
            assertThat(engine.relativeUrl(r)).isEqualTo("/api/kernel/mysess01?owner_access_key=AKIAOWNER0000000000X");
            assertThat(engine.uri(r, "https").toString())
                    .isEqualTo("https://example.com/api/kernel/mysess01?owner_access_key=AKIAOWNER0000000000X");
        }
    }

    @Test
    void signsTheHostHeaderTheJdkSends() {
        assertThat(HttpEngine.hostHeader(URI.create("http://127.0.0.1:8081"))).isEqualTo("127.0.0.1:8081");
        assertThat(HttpEngine.hostHeader(URI.create("https://h:443/x"))).isEqualTo("h");
        assertThat(HttpEngine.hostHeader(URI.create("http://h:80"))).isEqualTo("h");
        assertThat(HttpEngine.hostHeader(URI.create("https://api.backend.ai"))).isEqualTo("api.backend.ai");
        assertThat(HttpEngine.hostHeader(URI.create("http://[::1]:9000"))).isEqualTo("[::1]:9000");
    }
}
