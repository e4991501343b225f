package ai.backend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The vfolder commands end to end, against the local server the CLI starts. */
class VFolderCliIT {
    private static Path home;
    private static Map<String, String> env;

    @BeforeAll
    static void freshHome() throws Exception {
        home = Files.createTempDirectory("backendai-vf-");
        env = CliProcess.cleanEnv(home);
    }

    @AfterAll
    static void stop() throws Exception {
        assertThat(CliProcess.run(env, 60, "server", "stop").exitCode()).isZero();
        CliProcess.deleteTree(home);
    }

    private static CliProcess.Result ok(Map<String, String> e, String... args) throws Exception {
        CliProcess.Result r = CliProcess.run(e, 120, args);
        assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.stderr()).isZero();
        return r;
    }

    @Test
    void foldersAreCreatedFilledListedDownloadedAndDeleted() throws Exception {
        ok(env, "vfolder", "create", "mydata");
        assertThat(ok(env, "vfolder", "list").stdout()).contains("mydata");
        JsonNode list = new ObjectMapper().readTree(ok(env, "vfolder", "list", "--output", "json").stdout());
        assertThat(list.findValuesAsText("name")).contains("mydata");
        assertThat(ok(env, "vfolder", "list-hosts").stdout()).contains("Default vfolder host: local");

        Path dir = Files.createTempDirectory("vf-src-");
        Files.writeString(dir.resolve("crlf.txt"), "a\r\nb\r\n");
        ProcessBuilder pb = new ProcessBuilder(CliProcess.projectDir().resolve("bin/backend.ai").toString(), "vfolder", "upload",
                "mydata", "crlf.txt").directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();

        ok(env, "vfolder", "mkdir", "mydata", "inner/deep");
        ok(env, "vfolder", "cp", dir.resolve("crlf.txt").toString(), "mydata:inner/copy.txt");
        assertThat(ok(env, "vfolder", "ls", "mydata").stdout()).contains("crlf.txt").contains("inner");
        assertThat(ok(env, "vfolder", "ls", "mydata", "inner").stdout()).contains("copy.txt").contains("deep");
        assertThat(ok(env, "vfolder", "info", "mydata").stdout()).contains("Virtual folder \"mydata\"").contains("- Owner: True");

        Path dest = Files.createTempDirectory("vf-dest-");
        ok(env, "vfolder", "download", "mydata", "crlf.txt", "inner/copy.txt", "--dest", dest.toString());
        assertThat(Files.readString(dest.resolve("crlf.txt"))).isEqualTo("a\r\nb\r\n");
        assertThat(Files.readString(dest.resolve("copy.txt"))).isEqualTo("a\r\nb\r\n");

        ok(env, "vfolder", "rm", "-y", "-r", "mydata", "inner");
        assertThat(ok(env, "vfolder", "ls", "mydata").stdout()).doesNotContain("inner");
        ok(env, "vfolder", "rename", "mydata", "renamed");
        CliProcess.Result missing = CliProcess.run(env, 60, "vfolder", "info", "mydata");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("404");
        ok(env, "vfolder", "delete", "renamed");
        assertThat(ok(env, "vfolder", "list").stdout()).doesNotContain("renamed");
        CliProcess.Result badName = CliProcess.run(env, 60, "vfolder", "create", "bad/name");
        assertThat(badName.exitCode()).isEqualTo(1);
        assertThat(badName.stderr()).contains("Invalid virtual folder name");
        CliProcess.deleteTree(dir);
        CliProcess.deleteTree(dest);
    }

    @Test
    void invitationsCanBeAcceptedWithoutPrompts() throws Exception {
        ok(env, "vfolder", "create", "shared");
        ok(env, "vfolder", "invite", "-p", "ro", "shared", "admin@localhost");
        CliProcess.Result exported = ok(env, "server", "env", "--admin");
        Map<String, String> admin = new LinkedHashMap<>(CliProcess.cleanEnv(Files.createTempDirectory("admin-home-")));
        for (String line : exported.stdout().lines().toList()) {
            String kv = line.substring("export ".length());
            admin.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        JsonNode invitations = new ObjectMapper().readTree(ok(admin, "vfolder", "invitations", "--output", "json").stdout());
        assertThat(invitations).hasSize(1);
        assertThat(invitations.get(0).get("perm").asText()).isEqualTo("ro");
        ok(admin, "vfolder", "invitations", "--accept", invitations.get(0).get("id").asText());
        assertThat(ok(admin, "vfolder", "list").stdout()).contains("shared");
        ok(env, "vfolder", "delete", "shared");
    }
}
