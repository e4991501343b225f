package ai.backend.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class APIConfigTest {
    private static APIConfig fromEnv(Map<String, String> env) {
        return APIConfig.fromEnvironment(env::get);
    }

    @Test
    void readsBackendPrefixedVariables() {
        APIConfig c = fromEnv(Map.of("BACKEND_ENDPOINT", "http://127.0.0.1:8081",
                "BACKEND_ACCESS_KEY", "AKIAX", "BACKEND_SECRET_KEY", "secret-xyz"));
        assertThat(c.endpoint().toString()).isEqualTo("http://127.0.0.1:8081");
        assertThat(c.accessKey()).isEqualTo("AKIAX");
        assertThat(c.secretKey()).isEqualTo("secret-xyz");
    }

    @Test
    void fallsBackToSornaPrefixOnlyWhenBackendIsUnset() {
        APIConfig c = fromEnv(Map.of("SORNA_ENDPOINT", "https://sorna.example", "SORNA_ACCESS_KEY", "AKSORNA",
                "BACKEND_SECRET_KEY", "s1", "SORNA_SECRET_KEY", "s2"));
        assertThat(c.endpoint().toString()).isEqualTo("https://sorna.example");
        assertThat(c.accessKey()).isEqualTo("AKSORNA");
        assertThat(c.secretKey()).isEqualTo("s1");
    }

    @Test
    void neverReadsUnprefixedVariables() {
        assertThatThrownBy(() -> fromEnv(Map.of("ACCESS_KEY", "x", "SECRET_KEY", "y")))
                .isInstanceOf(BackendClientError.class).hasMessageContaining("BACKEND_ACCESS_KEY");
    }

    @Test
    void appliesThePythonDefaults() {
        APIConfig c = fromEnv(Map.of("BACKEND_ACCESS_KEY", "a", "BACKEND_SECRET_KEY", "b"));
        assertThat(c.endpoint().toString()).isEqualTo("https://api.backend.ai");
        assertThat(c.version()).isEqualTo("v4.20190315");
        assertThat(c.hashType()).isEqualTo("sha256");
        assertThat(c.vfolderMounts()).isEmpty();
        assertThat(c.skipSslCertValidation()).isFalse();
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void missingAccessKeyNamesTheVariable() {
        assertThatThrownBy(() -> fromEnv(Map.of("BACKEND_SECRET_KEY", "b")))
                .isInstanceOf(BackendClientError.class)
                .hasMessageContaining("BACKEND_ACCESS_KEY");
    }

    @Test
    void missingSecretKeyNamesTheVariable() {
        assertThatThrownBy(() -> fromEnv(Map.of("BACKEND_ACCESS_KEY", "a")))
                .isInstanceOf(BackendClientError.class)
                .hasMessageContaining("BACKEND_SECRET_KEY");
    }

    @ParameterizedTest
    @ValueSource(strings = {"y", "yes", "t", "true", "1", "YES", "True"})
    void parsesTrueBooleans(String value) {
        APIConfig c = fromEnv(Map.of("BACKEND_ACCESS_KEY", "a", "BACKEND_SECRET_KEY", "b",
                "BACKEND_SKIP_SSLCERT_VALIDATION", value));
        assertThat(c.skipSslCertValidation()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"n", "no", "f", "false", "0", "NO", "False"})
    void parsesFalseBooleans(String value) {
        assertThat(APIConfig.parseBoolean(value, "X")).isFalse();
    }

    @Test
    void rejectsUnknownBooleanValues() {
        assertThatThrownBy(() -> fromEnv(Map.of("BACKEND_ACCESS_KEY", "a", "BACKEND_SECRET_KEY", "b",
                "BACKEND_SKIP_SSLCERT_VALIDATION", "maybe")))
                .isInstanceOf(BackendClientError.class)
                .hasMessageContaining("BACKEND_SKIP_SSLCERT_VALIDATION").hasMessageContaining("maybe");
    }

    @Test
    void vfolderMountsAreSplitOnCommasAndMergedWithExplicitOnes() {
        Map<String, String> env = new HashMap<>(Map.of("BACKEND_ACCESS_KEY", "a", "BACKEND_SECRET_KEY", "b",
                "BACKEND_VFOLDER_MOUNTS", "data,models"));
        APIConfig c = APIConfig.fromEnvironment(env::get, APIConfig.builder().vfolderMounts(List.of("mine", "data")));
        assertThat(c.vfolderMounts()).containsExactly("mine", "data", "models");
        env.put("BACKEND_VFOLDER_MOUNTS", "");
        assertThat(fromEnv(env).vfolderMounts()).isEmpty();
    }

    @Test
    void endpointMayCarryAPathPrefix() {
        APIConfig c = APIConfig.builder().endpoint("https://example.com/api/").accessKey("a").secretKey("b").build();
        assertThat(c.endpoint().getPath()).isEqualTo("/api/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:8081", "/relative", "ftp://x.example", "not a url", "http://"})
    void rejectsEndpointsThatAreNotAbsoluteHttpUrls(String endpoint) {
        assertThatThrownBy(() -> APIConfig.builder().endpoint(endpoint).accessKey("a").secretKey("b").build())
                .isInstanceOf(BackendClientError.class)
                .hasMessageContaining("absolute");
    }

    @Test
    void hashTypeIsLowerCasedAndValidated() {
        assertThat(APIConfig.builder().accessKey("a").secretKey("b").hashType("SHA1").build().hashType())
                .isEqualTo("sha1");
        assertThatThrownBy(() -> APIConfig.builder().accessKey("a").secretKey("b").hashType("blake2b").build())
                .isInstanceOf(BackendClientError.class).hasMessageContaining("blake2b");
    }

    @Test
    void toStringMasksTheSecretKey() {
        String secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        APIConfig c = APIConfig.builder().accessKey("AKIAIOSFODNN7EXAMPLE").secretKey(secret).build();
        assertThat(c.toString()).doesNotContain(secret).contains("wJalrX" + "*".repeat(24) + "EXAMPLEKEY");
        assertThat(APIConfig.maskSecret(secret)).isEqualTo("wJalrX" + "*".repeat(24) + "EXAMPLEKEY");
    }

    @Test
    void toBuilderRoundTrips() {
        APIConfig c = APIConfig.builder().endpoint("http://h:1/p").accessKey("a").secretKey("b").hashType("md5")
                .vfolderMounts(List.of("v")).readTimeout(Duration.ZERO).build();
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(c.toBuilder().accessKey("other").build()).isNotEqualTo(c);
    }
}
