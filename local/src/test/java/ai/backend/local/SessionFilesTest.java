package ai.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.backend.client.BackendAPIError;
import ai.backend.client.BackendClientError;
import ai.backend.client.Request;
import ai.backend.client.Session;
import ai.backend.client.kernel.CreateKernelRequest;
import ai.backend.client.kernel.ExecuteRequest;
import ai.backend.client.kernel.Kernel;
import ai.backend.client.vfolder.FileEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A session's files: download as tar archives (§3.2.10) and list files (§3.2.11). */
class SessionFilesTest {
    private static TestServer server;
    private static Session user;
    private static Kernel kernel;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        user = new Session(server.userConfig());
        kernel = user.kernels().getOrCreate(CreateKernelRequest.builder("python").clientToken("files-" + System.nanoTime()).build());
        server.recordSessionPids();
        kernel.execute(ExecuteRequest.query("import os, random\nopen('crlf.txt', 'wb').write(b'a\\r\\nb\\r\\n')\n"
                + "os.makedirs('data/sub', exist_ok=True)\nrandom.seed(1)\nopen('data/sub/bin.dat', 'wb').write(bytes(random.getrandbits(8) for _ in range(5000)))\n"
                + "open('data/readme.md', 'w').write('# hi')\nos.symlink('/etc', 'outside')"));
    }

    @AfterAll
    static void stop() {
        kernel.destroy();
        user.close();
        server.close();
    }

    private static Path workDir() {
        return server.server().agent().find(server.server().userKeypair().accessKey(), kernel.id()).orElseThrow().workDir();
    }

    @Test
    void listsFilesAsAJsonStringInsideJson() throws Exception {
        List<FileEntry> entries = kernel.listFiles(".");
        assertThat(entries).extracting(FileEntry::filename).contains("crlf.txt", "data", "outside");
        FileEntry crlf = entries.stream().filter(e -> e.filename().equals("crlf.txt")).findFirst().orElseThrow();
        assertThat(crlf.size()).isEqualTo(6);
        assertThat(crlf.mode()).startsWith("-rw");
        assertThat(entries.stream().filter(e -> e.filename().equals("data")).findFirst().orElseThrow().isDirectory()).isTrue();
        var raw = user.fetch(Request.get("/kernel/" + kernel.id() + "/files").jsonBody(Map.of("path", "/home/work/data")).build()).json();
        assertThat(raw.get("files").isTextual()).isTrue();
        assertThat(raw.get("abspath").asText()).isEqualTo("/home/work/data/\n");
        assertThat(raw.get("errors").asText()).isEmpty();
        assertThatThrownBy(() -> kernel.listFiles("../..")).isInstanceOf(BackendClientError.class)
                .hasMessageContaining("No such file or directory");
        assertThatThrownBy(() -> kernel.listFiles("outside")).isInstanceOf(BackendClientError.class);
    }

    @Test
    void downloadsFilesAndDirectoriesByteExact(@TempDir Path dest) throws Exception {
        List<Path> written = kernel.download(List.of("crlf.txt", "/home/work/data"), dest);
        assertThat(written).hasSize(3);
        assertThat(Files.readAllBytes(dest.resolve("crlf.txt"))).isEqualTo(Files.readAllBytes(workDir().resolve("crlf.txt")));
        assertThat(Files.readAllBytes(dest.resolve("data/sub/bin.dat")))
                .isEqualTo(Files.readAllBytes(workDir().resolve("data/sub/bin.dat")));
        assertThat(Files.readString(dest.resolve("data/readme.md"))).isEqualTo("# hi");
        try (var left = Files.walk(dest)) {
            assertThat(left.filter(p -> p.getFileName().toString().endsWith(".part")).toList()).isEmpty();
        }
    }

    @Test
    void badDownloadsAreRefused(@TempDir Path dest) {
        assertThatThrownBy(() -> kernel.download(List.of("missing.txt"), dest)).isInstanceOfSatisfying(BackendAPIError.class, e -> {
            assertThat(e.status()).isEqualTo(500);
            assertThat(e.typeName()).isEqualTo("kernel-execution-failed");
            assertThat(e.agentDetails().get("exception").asText()).contains("Could not found the file: /home/work/missing.txt");
        });
        for (String escape : new String[] {"../x", "/etc/passwd", "outside/passwd"}) {
            assertThatThrownBy(() -> kernel.download(List.of(escape), dest)).as(escape)
                    .isInstanceOfSatisfying(BackendAPIError.class, e -> assertThat(e.status()).isEqualTo(400));
        }
        assertThatThrownBy(() -> kernel.download(List.of(), dest)).isInstanceOfSatisfying(BackendAPIError.class,
                e -> assertThat(e.message()).isEqualTo("no file(s) specified!"));
        assertThatThrownBy(() -> kernel.download(List.of("a", "b", "c", "d", "e", "f"), dest))
                .isInstanceOfSatisfying(BackendAPIError.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThat(dest.toFile().list()).isEmpty();
    }
}
