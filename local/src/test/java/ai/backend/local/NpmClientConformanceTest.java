package ai.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Drives the real npm client {@code backend.ai-client} 21.3.1 (conformance/npm) against a real local
 * server: what it can do against a 19.03 manager it must be able to do against ours. Installs the npm
 * package first when it is missing ({@code npm ci}), so a fresh clone needs only Node and the registry.
 */
class NpmClientConformanceTest {
    private static Path conformanceDir() {
        String project = System.getProperty("backendai.project.dir");
        Path root = project != null ? Path.of(project) : Path.of("").toAbsolutePath().getParent();
        return root.resolve("conformance/npm");
    }

    private static String run(Path dir, long timeoutSeconds, java.util.Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(timeoutSeconds, TimeUnit.SECONDS)).as(String.join(" ", cmd) + " finished").isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + " failed:\n" + output).isZero();
        return output;
    }

    @Test
    void theNpmClientCreatesExecutesAndDestroys() throws Exception {
        Path dir = conformanceDir();
        if (!Files.isDirectory(dir.resolve("node_modules/backend.ai-client"))) {
            run(dir, 300, java.util.Map.of(), "npm", "ci", "--no-audit", "--no-fund");
        }
        try (TestServer server = TestServer.start()) {
            var user = server.server().userKeypair();
            var admin = server.server().adminKeypair();
            String output = run(dir, 120, java.util.Map.of("BACKEND_ENDPOINT", server.endpoint(),
                    "BACKEND_ACCESS_KEY", user.accessKey(), "BACKEND_SECRET_KEY", user.secretKey(),
                    "BACKEND_ADMIN_ACCESS_KEY", admin.accessKey(), "BACKEND_ADMIN_SECRET_KEY", admin.secretKey()),
                    "node", "--test", "conformance.test.js");
            System.out.println(output);
            assertThat(output).contains("# pass 4").contains("# fail 0");
            assertThat(server.server().agent().sessions()).isEmpty();
        }
    }
}
