package ai.backend.local.vfolder;

import static ai.backend.local.vfolder.VFolderTestSupport.badParams;
import static ai.backend.local.vfolder.VFolderTestSupport.create;
import static ai.backend.local.vfolder.VFolderTestSupport.problem;
import static ai.backend.local.vfolder.VFolderTestSupport.upload;
import static org.assertj.core.api.Assertions.assertThat;

import ai.backend.client.Request;
import ai.backend.client.Session;
import ai.backend.client.kernel.CreateKernelRequest;
import ai.backend.client.kernel.ExecuteRequest;
import ai.backend.client.kernel.Kernel;
import ai.backend.client.vfolder.FileEntry;
import ai.backend.local.TestServer;
import ai.backend.local.agent.AgentTestAccess;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code config.mounts} of session creation (protocol §3.2.1): folders appear in the session's directory. */
class VFolderMountTest {
    private static TestServer server;
    private static Session user;
    private static Session admin;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        user = new Session(server.userConfig());
        admin = new Session(server.adminConfig());
    }

    @AfterAll
    static void stop() {
        user.close();
        admin.close();
        server.close();
    }

    @Test
    void mountedFoldersAreVisibleInTheSessionAndSurviveItsDestruction(@TempDir Path tmp) throws Exception {
        create(user, "mnt-a");
        create(user, "mnt-b");
        upload(user, "mnt-a", "data.txt", "from the folder", tmp);
        Path dirA = VFolderTestSupport.dir(server, user, "mnt-a");
        Kernel k = user.kernels().getOrCreate(CreateKernelRequest.builder("python").clientToken("mnt-" + System.nanoTime())
                .mount("mnt-a").mount("mnt-b").build());
        server.recordSessionPids();
        Path workDir;
        try {
            workDir = server.server().agent().find(server.server().userKeypair().accessKey(), k.id()).orElseThrow().workDir();
            assertThat(k.execute(ExecuteRequest.query("import os; print(sorted(os.listdir('.')))")).stdout())
                    .isEqualTo("['mnt-a', 'mnt-b']\n");
            assertThat(k.execute(ExecuteRequest.query("print(open('mnt-a/data.txt').read())")).stdout())
                    .isEqualTo("from the folder\n");
            k.execute(ExecuteRequest.query("os.makedirs('mnt-a/made/deep', exist_ok=True)\n"
                    + "open('mnt-a/made/deep/out.txt', 'w').write('from the session')\n"
                    + "open('mnt-b/b.txt', 'w').write('b')"));
            assertThat(dirA.resolve("made/deep/out.txt")).hasContent("from the session");
        } finally {
            k.destroy();
        }
        assertThat(workDir).doesNotExist();
        assertThat(dirA.resolve("data.txt")).hasContent("from the folder");
        assertThat(dirA.resolve("made/deep/out.txt")).hasContent("from the session");
        assertThat(VFolderTestSupport.dir(server, user, "mnt-b").resolve("b.txt")).hasContent("b");
        List<FileEntry> files = user.vfolders().listFiles("mnt-a", ".");
        assertThat(files).extracting(FileEntry::filename).containsExactly("data.txt", "made");
        user.fetch(Request.delete("/folders/mnt-a").build());
        user.fetch(Request.delete("/folders/mnt-b").build());
    }

    @Test
    void sharedFoldersMountByNameButReadOnlySharesAreRefused(@TempDir Path tmp) throws Exception {
        create(admin, "ro-share");
        create(admin, "rw-share");
        upload(admin, "rw-share", "hello.txt", "hi", tmp);
        try {
            for (String[] share : new String[][] {{"ro-share", "ro"}, {"rw-share", "rw"}}) {
                admin.fetch(Request.post("/folders/" + share[0] + "/invite")
                        .jsonBody(Map.of("perm", share[1], "user_ids", List.of("user@localhost"))).build());
            }
            for (JsonNode inv : user.fetch(Request.get("/folders/invitations/list").build()).json().get("invitations")) {
                user.fetch(Request.post("/folders/invitations/accept").jsonBody(Map.of("inv_id", inv.get("id").asText(),
                        "inv_ak", server.server().userKeypair().accessKey())).build());
            }
            int before = server.server().agent().sessions().size();
            badParams(() -> user.fetch(Request.post("/kernel/create").jsonBody(Map.of("lang", "python",
                    "clientSessionToken", "romount", "config", Map.of("mounts", List.of("rw-share", "ro-share")))).build()),
                    "read-only vfolder mounts are not supported by the local server (\"ro-share\" is shared with you read-only).");
            problem(() -> user.fetch(Request.post("/kernel/create").jsonBody(Map.of("lang", "python",
                    "clientSessionToken", "nomount", "config", Map.of("mounts", List.of("nosuch")))).build()),
                    404, "vfolder-not-found", null);
            // the admin's own folder of another user is not mountable either
            create(admin, "admin-private");
            problem(() -> user.fetch(Request.post("/kernel/create").jsonBody(Map.of("lang", "python",
                    "clientSessionToken", "privmount", "config", Map.of("mounts", List.of("admin-private")))).build()),
                    404, "vfolder-not-found", null);
            assertThat(server.server().agent().sessions()).hasSize(before);

            Kernel k = user.kernels().getOrCreate(CreateKernelRequest.builder("python")
                    .clientToken("rwmount-" + System.nanoTime()).mount("rw-share").build());
            server.recordSessionPids();
            try {
                assertThat(k.execute(ExecuteRequest.query("print(open('rw-share/hello.txt').read())")).stdout()).isEqualTo("hi\n");
            } finally {
                k.destroy();
            }
            assertThat(VFolderTestSupport.dir(server, admin, "rw-share").resolve("hello.txt")).hasContent("hi");
        } finally {
            admin.fetch(Request.delete("/folders/ro-share").build());
            admin.fetch(Request.delete("/folders/rw-share").build());
            admin.fetch(Request.delete("/folders/admin-private").build());
        }
    }

    @Test
    void deletingASessionTreeNeverFollowsLinks(@TempDir Path tmp) throws Exception {
        Path target = Files.createDirectories(tmp.resolve("target"));
        Files.writeString(target.resolve("keep.txt"), "keep");
        Path tree = Files.createDirectories(tmp.resolve("session/work"));
        Files.createSymbolicLink(tree.resolve("mounted"), target);
        Files.createSymbolicLink(tree.resolve("file-link"), target.resolve("keep.txt"));
        AgentTestAccess.deleteTree(tmp.resolve("session"));
        assertThat(tmp.resolve("session")).doesNotExist();
        assertThat(target.resolve("keep.txt")).hasContent("keep");
    }
}
