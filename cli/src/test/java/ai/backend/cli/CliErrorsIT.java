package ai.backend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad input and a server that is down: clear messages, the right exit codes, no stack traces, no server started. */
class CliErrorsIT {
    private static Path home;

    @BeforeAll
    static void freshHome() throws Exception {
        home = Files.createTempDirectory("backendai-errors-");
    }

    private static Map<String, String> configured(String endpoint) {
        Map<String, String> env = CliProcess.cleanEnv(home);
        env.put("BACKEND_ENDPOINT", endpoint);
        env.put("BACKEND_ACCESS_KEY", "AKIAIOSFODNN7EXAMPLE");
        env.put("BACKEND_SECRET_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        return env;
    }

    @Test
    void configPrintsThe1903LinesWithTheSecretMasked() throws Exception {
        CliProcess.Result r = CliProcess.run(configured("https://api.example.com/prefix"), 30, "config");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("Client version: 0.1.0\n"
                + "API endpoint: https://api.example.com/prefix\n"
                + "API version: v4.20190315\n"
                + "Access key: \"AKIAIOSFODNN7EXAMPLE\"\n"
                + "Secret key: \"wJalrX************************EXAMPLEKEY\"\n"
                + "Signature hash type: sha256\n"
                + "Skip SSL certificate validation? False\n"
                + "Sources: endpoint from BACKEND_ENDPOINT; keys from BACKEND_ACCESS_KEY\n");
    }

    @Test
    void profilesGiveSettingsThatTheEnvironmentOverrides() throws Exception {
        Path config = home.resolve(".config/backend.ai");
        Files.createDirectories(config);
        Files.writeString(config.resolve("profiles.properties"), "default = prod\n"
                + "prod.endpoint = https://prod.example.com\nprod.access_key = AKIAPRODPRODPRODPROD\n"
                + "prod.secret_key = prodsecretprodsecretprodsecretprodsecret\n"
                + "test.endpoint = https://test.example.com\ntest.access_key = AKIATESTTESTTESTTEST\n"
                + "test.secret_key = testsecrettestsecrettestsecrettestsecret\n");
        try {
            Map<String, String> env = CliProcess.cleanEnv(home);
            CliProcess.Result prod = CliProcess.run(env, 30, "config");
            assertThat(prod.exitCode()).as(prod.stderr()).isZero();
            assertThat(prod.stdout()).contains("API endpoint: https://prod.example.com\n").contains("\"AKIAPRODPRODPRODPROD\"")
                    .contains("Sources: endpoint from profile 'prod'").doesNotContain("prodsecretprodsecretprodsecretprodsecret");
            CliProcess.Result test = CliProcess.run(env, 30, "--profile", "test", "config");
            assertThat(test.stdout()).contains("https://test.example.com").contains("AKIATESTTESTTESTTEST");
            env.put("BACKEND_PROFILE", "test");
            env.put("BACKEND_ENDPOINT", "https://override.example.com");
            CliProcess.Result mixed = CliProcess.run(env, 30, "config");
            assertThat(mixed.stdout()).contains("API endpoint: https://override.example.com\n").contains("AKIATESTTESTTESTTEST")
                    .contains("endpoint from BACKEND_ENDPOINT; keys from profile 'test'");
            CliProcess.Result local = CliProcess.run(CliProcess.cleanEnv(home), 30, "--profile", "local", "config");
            assertThat(local.stdout()).contains("(local server");
            CliProcess.Result missing = CliProcess.run(CliProcess.cleanEnv(home), 30, "--profile", "nope", "config");
            assertThat(missing.exitCode()).isEqualTo(1);
            assertThat(missing.stderr()).contains("There is no profile 'nope'");
        } finally {
            Files.deleteIfExists(config.resolve("profiles.properties"));
        }
    }

    @Test
    void missingKeysNameTheVariableToSet() throws Exception {
        Map<String, String> env = CliProcess.cleanEnv(home);
        env.put("BACKEND_ENDPOINT", "https://api.example.com");
        CliProcess.Result r = CliProcess.run(env, 30, "run", "-c", "1", "python");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("BACKEND_ACCESS_KEY").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void anEndpointThatIsNotAnAbsoluteUrlIsRefused() throws Exception {
        CliProcess.Result r = CliProcess.run(configured("localhost:8081"), 30, "config");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("absolute").contains("localhost:8081").doesNotContain("\tat ");
    }

    @Test
    void aServerThatIsDownGivesAClearMessageAndExitCode1() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CliProcess.Result r = CliProcess.run(configured("http://127.0.0.1:" + port), 30, "run", "-c", "1", "python");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("Request to the API endpoint has failed.")
                .contains("Check your network connection and/or the server status").doesNotContain("\tat ");
        CliProcess.Result debug = CliProcess.run(configured("http://127.0.0.1:" + port), 30, "--debug", "run", "-c", "1", "python");
        assertThat(debug.stderr()).contains("*** Traceback ***").contains("\tat ");
    }

    @Test
    void usageErrorsExitWith2() throws Exception {
        Map<String, String> env = configured("http://127.0.0.1:9");
        CliProcess.Result noCode = CliProcess.run(env, 30, "run", "python");
        assertThat(noCode.exitCode()).isEqualTo(2);
        assertThat(noCode.stderr()).contains("You should provide the command-line code snippet using \"-c\" option if run without files.");
        CliProcess.Result shortToken = CliProcess.run(env, 30, "run", "-t", "abc", "-c", "1", "python");
        assertThat(shortToken.exitCode()).isEqualTo(2);
        assertThat(shortToken.stderr()).contains("4 to 64");
        CliProcess.Result longToken = CliProcess.run(env, 30, "run", "-t", "x".repeat(65), "-c", "1", "python");
        assertThat(longToken.exitCode()).isEqualTo(2);
        assertThat(CliProcess.run(env, 30, "no-such-command").exitCode()).isEqualTo(2);
        assertThat(CliProcess.run(env, 30, "run", "--cluster-size", "4", "-c", "1", "python").stderr()).contains("Invalid cluster size.");
    }

    @Test
    void helpAndVersionWorkWithoutAnyConfiguration() throws Exception {
        CliProcess.Result help = CliProcess.run(CliProcess.cleanEnv(home), 30, "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("Backend.AI command line interface.").contains("run").contains("server");
        CliProcess.Result version = CliProcess.run(CliProcess.cleanEnv(home), 30, "--version");
        assertThat(version.stdout()).startsWith("backend.ai, version 0.1.0");
        CliProcess.Result runHelp = CliProcess.run(CliProcess.cleanEnv(home), 30, "run", "--help");
        assertThat(runHelp.stdout()).contains("--session-id").contains("--rm").contains("--quiet");
        assertThat(Files.exists(home.resolve(".backend.ai/local/server.properties"))).as("no server started").isFalse();
    }
}
