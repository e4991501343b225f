package ai.backend.client.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RequestSignerTest {
    static Stream<Arguments> vectors() throws Exception {
        List<JsonNode> all = SigningVectors.vectors();
        assertThat(all).hasSizeGreaterThanOrEqualTo(8);
        return all.stream().map(v -> Arguments.of(v.get("name").asText(), v));
    }

    static RequestSigner.Input input(JsonNode v) {
        String date = v.get("date_header").asText();
        LocalDate keyDate = v.has("key_date")
                ? LocalDate.parse(v.get("key_date").asText(), java.time.format.DateTimeFormatter.BASIC_ISO_DATE)
                : RequestSigner.isoKeyDate(date);
        byte[] body = v.path("body").asText("").getBytes(StandardCharsets.UTF_8);
        return new RequestSigner.Input(v.get("method").asText(), v.get("rel_url").asText(), date, keyDate,
                v.get("host").asText(), v.get("content_type").asText(), v.get("api_version").asText(),
                "x-backendai-version", body);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void signsEveryReferenceVector(String name, JsonNode v) throws Exception {
        HashType hash = HashType.of(v.get("hash_type").asText());
        RequestSigner.Input in = input(v);
        String secret = SigningVectors.file().at("/common/secret_key").asText();
        String access = SigningVectors.file().at("/common/access_key").asText();
        if (v.has("body_hash")) {
            assertThat(RequestSigner.bodyHash(hash, in.apiVersion(), in.contentType(), in.body()))
                    .isEqualTo(v.get("body_hash").asText());
        }
        if (v.has("string_to_sign")) {
            assertThat(RequestSigner.stringToSign(hash, in)).isEqualTo(v.get("string_to_sign").asText());
        }
        if (v.has("signing_key_hex")) {
            assertThat(HexFormat.of().formatHex(RequestSigner.signingKey(hash, secret, in.keyDate(), in.host())))
                    .isEqualTo(v.get("signing_key_hex").asText());
        }
        assertThat(RequestSigner.signature(hash, secret, in)).isEqualTo(v.get("signature").asText());
        if (v.has("authorization")) {
            assertThat(RequestSigner.authorization(hash, access, secret, in)).isEqualTo(v.get("authorization").asText());
        }
    }

    @Test
    void isoKeyDateUsesTheOffsetWrittenInTheHeader() {
        assertThat(RequestSigner.isoKeyDate("2019-03-16T06:00:00+09:00")).isEqualTo(LocalDate.of(2019, 3, 16));
    }

    @Test
    void formatsDatesLikePythonIsoformat() {
        assertThat(RequestSigner.formatDate(OffsetDateTime.of(2019, 7, 1, 0, 0, 0, 0, ZoneOffset.UTC)))
                .isEqualTo("2019-07-01T00:00:00+00:00");
        assertThat(RequestSigner.formatDate(OffsetDateTime.of(2019, 7, 17, 12, 34, 56, 789_012_345, ZoneOffset.UTC)))
                .isEqualTo("2019-07-17T12:34:56.789012+00:00");
        assertThat(RequestSigner.formatDate(OffsetDateTime.of(2019, 7, 17, 12, 34, 56, 1_000, ZoneOffset.UTC)))
                .isEqualTo("2019-07-17T12:34:56.000001+00:00");
    }

    @Test
    void signatureChangesWithEveryInput() {
        HashType sha = HashType.of("sha256");
        RequestSigner.Input base = RequestSigner.Input.of("GET", "/", "2019-07-17T00:00:00+00:00", "h:1",
                "text/plain", "v4.20190315", new byte[0]);
        String sig = RequestSigner.signature(sha, "secret", base);
        assertThat(RequestSigner.signature(sha, "secret2", base)).isNotEqualTo(sig);
        assertThat(RequestSigner.signature(sha, "secret", RequestSigner.Input.of("GET", "/x",
                "2019-07-17T00:00:00+00:00", "h:1", "text/plain", "v4.20190315", new byte[0]))).isNotEqualTo(sig);
        assertThat(RequestSigner.signature(sha, "secret", RequestSigner.Input.of("GET", "/",
                "2019-07-17T00:00:00+00:00", "h:2", "text/plain", "v4.20190315", new byte[0]))).isNotEqualTo(sig);
        // the body is not signed from v4.20181215 on
        assertThat(RequestSigner.signature(sha, "secret", RequestSigner.Input.of("GET", "/",
                "2019-07-17T00:00:00+00:00", "h:1", "text/plain", "v4.20190315", "x".getBytes()))).isEqualTo(sig);
    }

    @Test
    void md5Sha1AndSha256AllWork() {
        for (String name : new String[] {"md5", "sha1", "sha256", "SHA256"}) {
            HashType hash = HashType.of(name);
            String sig = RequestSigner.signature(hash, "s", RequestSigner.Input.of("GET", "/",
                    "2019-07-17T00:00:00+00:00", "h", "text/plain", "v4.20190315", new byte[0]));
            int expectedHexLength = name.equals("md5") ? 32 : name.equals("sha1") ? 40 : 64;
            assertThat(sig).hasSize(expectedHexLength).matches("[0-9a-f]+");
        }
        assertThat(HashType.of("sha1").signMethodName()).isEqualTo("SHA1");
    }

    @Test
    void comparesSignaturesExactly() {
        assertThat(RequestSigner.matches("abc", "abc")).isTrue();
        assertThat(RequestSigner.matches("abc", "abd")).isFalse();
        assertThat(RequestSigner.matches("abc", null)).isFalse();
    }
}
