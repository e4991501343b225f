package ai.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.backend.client.BackendAPIError;
import ai.backend.client.Session;
import ai.backend.client.kernel.CreateKernelRequest;
import ai.backend.client.kernel.ExecuteRequest;
import ai.backend.client.kernel.Kernel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads into a session's working directory (protocol §3.2.9), all or nothing. */
class UploadIntegrationTest {
    private static TestServer server;
    private static Session user;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        user = new Session(server.userConfig());
    }

    @AfterAll
    static void stop() {
        user.close();
        server.close();
    }

    private static Kernel create(String prefix) {
        Kernel k = user.kernels().getOrCreate(CreateKernelRequest.builder("python").clientToken(prefix + System.nanoTime()).build());
        server.recordSessionPids();
        return k;
    }

    private static Path workDir(Kernel k) {
        return server.server().agent().find(server.server().userKeypair().accessKey(), k.id()).orElseThrow().workDir();
    }

    @Test
    void uploadsFilesUnderTheirRelativePathsByteExact(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("sub dir"));
        Files.writeString(dir.resolve("main.py"), "print('hi')\r\n");
        byte[] binary = new byte[256 * 1024];
        new java.util.Random(7).nextBytes(binary);
        Files.write(dir.resolve("sub dir/data é.bin"), binary);
        Kernel k = create("up-");
        try {
            k.upload(List.of(dir.resolve("main.py"), dir.resolve("sub dir/data é.bin")), dir);
            assertThat(Files.readString(workDir(k).resolve("main.py"))).isEqualTo("print('hi')\r\n");
            assertThat(Files.readAllBytes(workDir(k).resolve("sub dir/data é.bin"))).isEqualTo(binary);
            assertThat(k.execute(ExecuteRequest.query("print(open('main.py','rb').read())")).stdout())
                    .isEqualTo("b\"print('hi')\\r\\n\"\n");
        } finally {
            k.destroy();
        }
    }

    @Test
    void filesOutsideTheBaseDirectoryAreRefusedByTheSdk(@TempDir Path dir) throws Exception {
        Path outside = Files.createTempFile("outside", ".txt");
        Kernel k = create("upout-");
        try {
            assertThatThrownBy(() -> k.upload(List.of(outside), dir)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is outside of the base directory");
        } finally {
            Files.deleteIfExists(outside);
            k.destroy();
        }
    }

    @Test
    void tooManyOrTooLargeFilesAreRefusedAndNothingIsWritten(@TempDir Path dir) throws Exception {
        Kernel k = create("uplim-");
        try {
            List<Path> many = new ArrayList<>();
            for (int i = 0; i < 21; i++) {
                many.add(Files.writeString(dir.resolve("f" + i + ".txt"), "x"));
            }
            assertThatThrownBy(() -> k.upload(many, dir)).isInstanceOfSatisfying(BackendAPIError.class, e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.message()).isEqualTo("Too many files");
            });
            Path big = Files.write(dir.resolve("big.bin"), new byte[1024 * 1024]);
            Path small = Files.writeString(dir.resolve("small.txt"), "s");
            assertThatThrownBy(() -> k.upload(List.of(small, big), dir)).isInstanceOfSatisfying(BackendAPIError.class, e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.message()).isEqualTo("Too large file");
            });
            try (var listing = Files.list(workDir(k))) {
                assertThat(listing.toList()).isEmpty();
            }
        } finally {
            k.destroy();
        }
    }

    @Test
    void theLimitsAreConfigurable(@TempDir Path dir) throws Exception {
        Path data = Files.createTempDirectory("limits-");
        try (LocalServer small = LocalServer.start(LocalServerConfig.defaults(data).withPort(0)
                .withFileLimits(new SessionFileLimits(2, 1000, 1, 4096)));
             Session s = new Session(ai.backend.client.APIConfig.builder().endpoint(small.endpoint())
                     .accessKey(small.userKeypair().accessKey()).secretKey(small.userKeypair().secretKey()).build())) {
            Kernel k = s.kernels().getOrCreate(CreateKernelRequest.builder("python").clientToken("limits1").build());
            Path big = Files.write(dir.resolve("big.bin"), new byte[2000]);
            assertThatThrownBy(() -> k.upload(List.of(big), dir)).isInstanceOfSatisfying(BackendAPIError.class,
                    e -> assertThat(e.message()).isEqualTo("Too large file"));
            List<Path> three = List.of(Files.writeString(dir.resolve("a"), "a"), Files.writeString(dir.resolve("b"), "b"),
                    Files.writeString(dir.resolve("c"), "c"));
            assertThatThrownBy(() -> k.upload(three, dir)).isInstanceOfSatisfying(BackendAPIError.class,
                    e -> assertThat(e.message()).isEqualTo("Too many files"));
            k.upload(three.subList(0, 2), dir);
            assertThatThrownBy(() -> k.download(List.of("a", "b"), dir.resolve("x"))).isInstanceOfSatisfying(BackendAPIError.class,
                    e -> assertThat(e.message()).contains("at most 1"));
            k.destroy();
        } finally {
            ai.backend.local.agent.AgentTestAccess.deleteTree(data);
        }
    }

    @Test
    void namesThatLeaveTheWorkingDirectoryAreRefused() throws Exception {
        Kernel k = create("upesc-");
        try {
            for (String name : new String[] {"../escape.txt", "/etc/evil", "a/../../escape.txt"}) {
                String body = "--b\r\nContent-Disposition: form-data; name=\"src\"; filename=\"" + name + "\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\nx\r\n--b--\r\n";
                ai.backend.client.Request r = ai.backend.client.Request.post("/kernel/" + k.id() + "/upload")
                        .bytesBody(body.getBytes(), "multipart/form-data").build();
                assertThatThrownBy(() -> rawMultipart(r)).as(name).isInstanceOfSatisfying(BackendAPIError.class,
                        e -> assertThat(e.status()).isEqualTo(400));
            }
            Files.createSymbolicLink(workDir(k).resolve("link"), Path.of("/tmp"));
            String body = "--b\r\nContent-Disposition: form-data; name=\"src\"; filename=\"link/evil.txt\"\r\n\r\nx\r\n--b--\r\n";
            assertThatThrownBy(() -> rawMultipart(ai.backend.client.Request.post("/kernel/" + k.id() + "/upload")
                    .bytesBody(body.getBytes(), "multipart/form-data").build()))
                    .isInstanceOfSatisfying(BackendAPIError.class, e -> assertThat(e.status()).isEqualTo(400));
            assertThat(Files.exists(Path.of("/tmp/evil.txt"))).isFalse();
            assertThat(Files.exists(workDir(k).getParent().resolve("escape.txt"))).isFalse();
        } finally {
            k.destroy();
        }
    }

    /** Sends a hand-written multipart body with boundary {@code b}. */
    private static void rawMultipart(ai.backend.client.Request request) throws Exception {
        var engine = user.engine();
        String[] headers = engine.signedHeaders(request, false);
        var b = java.net.http.HttpRequest.newBuilder(engine.uri(request, "http"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(request.body()));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i].equals("Content-Type") ? "multipart/form-data; boundary=b" : headers[i + 1]);
        }
        var resp = engine.httpClient().send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() >= 400) {
            throw BackendAPIError.fromBody(resp.statusCode(), "", resp.body());
        }
    }
}
