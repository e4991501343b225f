package ai.backend.local.vfolder;

import static ai.backend.local.vfolder.VFolderTestSupport.badParams;
import static ai.backend.local.vfolder.VFolderTestSupport.create;
import static ai.backend.local.vfolder.VFolderTestSupport.dir;
import static ai.backend.local.vfolder.VFolderTestSupport.error;
import static ai.backend.local.vfolder.VFolderTestSupport.names;
import static ai.backend.local.vfolder.VFolderTestSupport.notFound;
import static ai.backend.local.vfolder.VFolderTestSupport.problem;
import static ai.backend.local.vfolder.VFolderTestSupport.sql;
import static ai.backend.local.vfolder.VFolderTestSupport.upload;
import static org.assertj.core.api.Assertions.assertThat;

import ai.backend.client.BackendAPIError;
import ai.backend.client.Request;
import ai.backend.client.Response;
import ai.backend.client.Session;
import ai.backend.local.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folder management, permissions and invitations (protocol §3.3.1–3.3.6, §3.3.13). */
class VFolderApiTest {
    private static TestServer server;
    private static Session user;
    private static Session admin;
    private static String userAk;
    private static String adminAk;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        user = new Session(server.userConfig());
        admin = new Session(server.adminConfig());
        userAk = server.server().userKeypair().accessKey();
        adminAk = server.server().adminKeypair().accessKey();
        sql(server, "UPDATE keypair_resource_policies SET max_vfolder_count = 0");
    }

    @AfterAll
    static void stop() {
        user.close();
        admin.close();
        server.close();
    }

    @Test
    void createListHostsInfoAndDeleteHaveTheManagersShapes() throws Exception {
        Response created = create(user, "crud1");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Content-Type").orElseThrow().replace(" ", "")).isEqualTo("application/json;charset=utf-8");
        String id = created.json().get("id").asText();
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(created.text()).isEqualTo("{\"id\": \"" + id + "\", \"name\": \"crud1\", \"host\": \"local\"}");
        Path dir = server.server().dataDir().resolve("vfolders/local/" + id);
        assertThat(dir).isDirectory();

        // host null means the default host
        Map<String, Object> nullHost = new HashMap<>();
        nullHost.put("name", "crud2");
        nullHost.put("host", null);
        assertThat(user.fetch(Request.post("/folders").jsonBody(nullHost).build()).json().get("host").asText())
                .isEqualTo("local");

        JsonNode list = user.fetch(Request.get("/folders").build()).json();
        JsonNode mine = null;
        for (JsonNode n : list) {
            if (n.get("name").asText().equals("crud1")) {
                mine = n;
            }
        }
        assertThat(mine).isNotNull();
        assertThat(mine.toString()).isEqualTo("{\"name\":\"crud1\",\"id\":\"" + id
                + "\",\"host\":\"local\",\"is_owner\":true,\"permission\":\"wd\"}");

        Response hosts = user.fetch(Request.get("/folders/_/hosts").build());
        assertThat(hosts.text()).isEqualTo("{\"default\": \"local\", \"allowed\": [\"local\"]}");

        Files.writeString(dir.resolve("a.txt"), "a");
        Files.createDirectory(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/b.txt"), "b");
        JsonNode info = user.fetch(Request.get("/folders/crud1").build()).json();
        assertThat(info.fieldNames()).toIterable().containsExactly("name", "id", "host", "numFiles", "num_files",
                "created", "is_owner", "permission");
        assertThat(info.get("id").asText()).isEqualTo(id);
        assertThat(info.get("numFiles").asInt()).isEqualTo(2);
        assertThat(info.get("num_files").asInt()).isEqualTo(2);
        assertThat(info.get("created").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?\\+00:00");
        assertThat(info.get("is_owner").asBoolean()).as("fixed: 19.03.5 says false").isTrue();
        assertThat(info.get("permission").asText()).isEqualTo("wd");

        Response deleted = user.fetch(Request.delete("/folders/crud1").build());
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.bytes()).isEmpty();
        assertThat(dir).doesNotExist();
        assertThat(names(user.fetch(Request.get("/folders").build()).json())).doesNotContain("crud1");
        notFound(() -> user.fetch(Request.get("/folders/crud1").build()));
        user.fetch(Request.delete("/folders/crud2").build());
    }

    @Test
    void namesFollowTheManagersRulesAndMustBeUnique() {
        for (String bad : new String[] {"-bad", "bad-", "a b", "caf\u00e9", "a/b", ".hidden", "x..", "_x"}) {
            badParams(() -> create(user, bad), null);
        }
        Map<String, Object> noName = new HashMap<>();
        noName.put("host", "local");
        badParams(() -> user.fetch(Request.post("/folders").jsonBody(noName).build()), "name is missing or empty!");
        badParams(() -> user.fetch(Request.post("/folders").textBody("not json").build()), null);
        for (String good : new String[] {"a", "A1", "my.data_set-2"}) {
            assertThat(create(user, good).status()).isEqualTo(201);
        }
        problem(() -> create(user, "a"), 400, "vfolder-already-exists", null);
        assertThat(error(() -> create(user, "a")).title()).isEqualTo("The virtual folder already exists with the same name.");
        // another user may use the same name
        assertThat(create(admin, "a").status()).isEqualTo(201);

        Map<String, Object> otherHost = Map.of("name", "elsewhere", "host", "nfs");
        badParams(() -> user.fetch(Request.post("/folders").jsonBody(otherHost).build()),
                "You are not allowed to use this vfolder host.");
        sql(server, "UPDATE keypair_resource_policies SET allowed_vfolder_hosts = '[\"local\", \"nfs\"]'");
        try {
            badParams(() -> user.fetch(Request.post("/folders").jsonBody(otherHost).build()), "Invalid vfolder host: nfs");
            assertThat(user.fetch(Request.get("/folders/_/hosts").build()).json().get("allowed").toString())
                    .isEqualTo("[\"local\"]");
        } finally {
            sql(server, "UPDATE keypair_resource_policies SET allowed_vfolder_hosts = '[\"local\"]'");
        }

        // rename: 201 with an empty body; the same rules
        Response renamed = user.fetch(Request.post("/folders/A1/rename").jsonBody(Map.of("new_name", "B1")).build());
        assertThat(renamed.status()).isEqualTo(201);
        assertThat(renamed.bytes()).isEmpty();
        assertThat(names(user.fetch(Request.get("/folders").build()).json())).contains("B1").doesNotContain("A1");
        badParams(() -> user.fetch(Request.post("/folders/B1/rename").jsonBody(Map.of("new_name", "a")).build()),
                "One of your accessible vfolders already has the name you requested.");
        badParams(() -> user.fetch(Request.post("/folders/B1/rename").jsonBody(Map.of("new_name", "no way")).build()), null);
        notFound(() -> user.fetch(Request.post("/folders/A1/rename").jsonBody(Map.of("new_name", "C1")).build()));
        for (String n : new String[] {"a", "B1", "my.data_set-2"}) {
            user.fetch(Request.delete("/folders/" + n).build());
        }
        admin.fetch(Request.delete("/folders/a").build());
    }

    @Test
    void theFolderCountQuotaIsEnforced() {
        int owned = 0;
        for (JsonNode n : user.fetch(Request.get("/folders").build()).json()) {
            owned += n.get("is_owner").asBoolean() ? 1 : 0;
        }
        sql(server, "UPDATE keypair_resource_policies SET max_vfolder_count = " + (owned + 1));
        try {
            assertThat(create(user, "quota1").status()).isEqualTo(201);
            badParams(() -> create(user, "quota2"), "You cannot create more vfolders.");
            user.fetch(Request.delete("/folders/quota1").build());
            assertThat(create(user, "quota2").status()).isEqualTo(201);
            user.fetch(Request.delete("/folders/quota2").build());
        } finally {
            sql(server, "UPDATE keypair_resource_policies SET max_vfolder_count = 0");
        }
    }

    @Test
    void unknownFoldersAreNotFoundOnEveryEndpoint() {
        notFound(() -> user.fetch(Request.get("/folders/nosuch").build()));
        notFound(() -> user.fetch(Request.delete("/folders/nosuch").build()));
        notFound(() -> user.fetch(Request.post("/folders/nosuch/rename").jsonBody(Map.of("new_name", "x")).build()));
        notFound(() -> user.fetch(Request.post("/folders/nosuch/mkdir").jsonBody(Map.of("path", "x")).build()));
        notFound(() -> user.fetch(Request.get("/folders/nosuch/files").jsonBody(Map.of("path", ".")).build()));
        notFound(() -> user.fetch(Request.get("/folders/nosuch/download").jsonBody(Map.of("files", List.of("x"))).build()));
        notFound(() -> user.fetch(Request.get("/folders/nosuch/download_single").queryParam("file", "x").build()));
        notFound(() -> user.fetch(Request.delete("/folders/nosuch/delete_files").jsonBody(Map.of("files", List.of("x"))).build()));
        notFound(() -> user.fetch(Request.post("/folders/nosuch/invite").jsonBody(Map.of("user_ids", List.of("x"))).build()));
    }

    @Test
    void anotherUsersFolderIsInvisible(@TempDir Path tmp) throws Exception {
        create(admin, "adminonly");
        upload(admin, "adminonly", "secret.txt", "top secret", tmp);
        try {
            assertThat(names(user.fetch(Request.get("/folders").build()).json())).doesNotContain("adminonly");
            notFound(() -> user.fetch(Request.get("/folders/adminonly").build()));
            notFound(() -> user.fetch(Request.get("/folders/adminonly/files").build()));
            notFound(() -> user.fetch(Request.get("/folders/adminonly/download").jsonBody(Map.of("files", List.of("secret.txt"))).build()));
            notFound(() -> upload(user, "adminonly", "x.txt", "x", tmp));
            notFound(() -> user.fetch(Request.delete("/folders/adminonly").build()));
            assertThat(dir(server, admin, "adminonly").resolve("secret.txt")).hasContent("top secret");
        } finally {
            admin.fetch(Request.delete("/folders/adminonly").build());
        }
    }

    /** Shares {@code folder} of the admin with the user at {@code perm} and accepts it; returns the accept body. */
    private static JsonNode share(String folder, String perm) {
        Response invited = admin.fetch(Request.post("/folders/" + folder + "/invite")
                .jsonBody(Map.of("perm", perm, "user_ids", List.of("user@localhost"))).build());
        assertThat(invited.status()).isEqualTo(201);
        assertThat(invited.text()).isEqualTo("{\"invited_ids\": [\"user@localhost\"]}");
        String invId = null;
        for (JsonNode i : user.fetch(Request.get("/folders/invitations/list").build()).json().get("invitations")) {
            if (i.get("perm").asText().equals(perm) && i.get("state").asText().equals("pending")) {
                invId = i.get("id").asText();
            }
        }
        assertThat(invId).isNotNull();
        Response accepted = user.fetch(Request.post("/folders/invitations/accept")
                .jsonBody(Map.of("inv_id", invId, "inv_ak", userAk)).build());
        assertThat(accepted.status()).isEqualTo(201);
        return accepted.json();
    }

    @Test
    void invitationsShareFoldersByNameWithTheirPermission(@TempDir Path tmp) throws Exception {
        String adminFolderId = create(admin, "share-ro").json().get("id").asText();
        upload(admin, "share-ro", "data.txt", "shared data", tmp);

        Response invited = admin.fetch(Request.post("/folders/share-ro/invite")
                .jsonBody(Map.of("perm", "ro", "user_ids", List.of("user@localhost", "user@localhost", "admin@localhost",
                        "nobody@localhost"))).build());
        assertThat(invited.status()).isEqualTo(201);
        assertThat(invited.json().get("invited_ids").toString()).isEqualTo("[\"user@localhost\"]");
        // the same pending invitation is not made twice
        assertThat(admin.fetch(Request.post("/folders/share-ro/invite").jsonBody(Map.of("perm", "ro",
                "user_ids", List.of("user@localhost"))).build()).json().get("invited_ids").toString()).isEqualTo("[]");

        JsonNode invitations = user.fetch(Request.get("/folders/invitations/list").build()).json().get("invitations");
        assertThat(invitations).hasSize(1);
        JsonNode inv = invitations.get(0);
        assertThat(inv.fieldNames()).toIterable().containsExactly("id", "inviter", "perm", "state", "created_at", "vfolder_id");
        assertThat(inv.get("id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(inv.get("inviter").asText()).isEqualTo("admin@localhost");
        assertThat(inv.get("perm").asText()).isEqualTo("ro");
        assertThat(inv.get("state").asText()).isEqualTo("pending");
        assertThat(inv.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?\\+00:00");
        assertThat(inv.get("vfolder_id").asText().replace("-", "")).isEqualTo(adminFolderId);
        assertThat(admin.fetch(Request.get("/folders/invitations/list").build()).json().get("invitations")).isEmpty();

        // only the invitee may accept, and only for one of their own access keys
        String invId = inv.get("id").asText();
        BackendAPIError foreign = error(() -> admin.fetch(Request.post("/folders/invitations/accept")
                .jsonBody(Map.of("inv_id", invId, "inv_ak", adminAk)).build()));
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.data().toString()).isEqualTo("{\"msg\":\"No such invitation found.\"}");
        BackendAPIError otherKey = error(() -> user.fetch(Request.post("/folders/invitations/accept")
                .jsonBody(Map.of("inv_id", invId, "inv_ak", adminAk)).build()));
        assertThat(otherKey.status()).isEqualTo(404);
        assertThat(otherKey.data().get("msg").asText()).startsWith("No such access key found");

        Response accepted = user.fetch(Request.post("/folders/invitations/accept")
                .jsonBody(Map.of("inv_id", invId, "inv_ak", userAk)).build());
        assertThat(accepted.status()).isEqualTo(201);
        assertThat(accepted.text()).isEqualTo("{\"msg\": \"Access key (" + userAk + " by user@localhost) now can access vfolder "
                + inv.get("vfolder_id").asText() + ".\"}");
        BackendAPIError again = error(() -> user.fetch(Request.post("/folders/invitations/accept")
                .jsonBody(Map.of("inv_id", invId, "inv_ak", userAk)).build()));
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.data().get("msg").asText()).isEqualTo("No such invitation found.");
        assertThat(user.fetch(Request.get("/folders/invitations/list").build()).json().get("invitations")).isEmpty();

        // the user now sees the folder by its name, read-only
        JsonNode listed = null;
        for (JsonNode n : user.fetch(Request.get("/folders").build()).json()) {
            if (n.get("name").asText().equals("share-ro")) {
                listed = n;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.get("is_owner").asBoolean()).isFalse();
        assertThat(listed.get("permission").asText()).isEqualTo("ro");
        JsonNode info = user.fetch(Request.get("/folders/share-ro").build()).json();
        assertThat(info.get("is_owner").asBoolean()).isFalse();
        assertThat(info.get("permission").asText()).isEqualTo("ro");
        assertThat(user.fetch(Request.get("/folders/share-ro/files").build()).json().get("files").asText()).contains("data.txt");
        assertThat(user.fetch(Request.get("/folders/share-ro/download_single").queryParam("file", "data.txt").build()).text())
                .isEqualTo("shared data");
        // ro: no writing, no deleting, no renaming, no re-sharing
        notFound(() -> upload(user, "share-ro", "evil.txt", "x", tmp));
        notFound(() -> user.fetch(Request.post("/folders/share-ro/mkdir").jsonBody(Map.of("path", "d")).build()));
        notFound(() -> user.fetch(Request.delete("/folders/share-ro/delete_files").jsonBody(Map.of("files", List.of("data.txt"))).build()));
        notFound(() -> user.fetch(Request.post("/folders/share-ro/rename").jsonBody(Map.of("new_name", "mine")).build()));
        notFound(() -> user.fetch(Request.delete("/folders/share-ro").build()));
        notFound(() -> user.fetch(Request.post("/folders/share-ro/invite").jsonBody(Map.of("user_ids", List.of("admin@localhost"))).build()));
        Path dir = dir(server, admin, "share-ro");
        assertThat(VFolderTestSupport.entries(dir)).containsExactly("data.txt");

        // deleting the folder ends the share
        admin.fetch(Request.delete("/folders/share-ro").build());
        assertThat(names(user.fetch(Request.get("/folders").build()).json())).doesNotContain("share-ro");
    }

    @Test
    void rwMayWriteButNotDeleteAndWdMayDeleteFilesButNotTheFolder(@TempDir Path tmp) throws Exception {
        create(admin, "share-rw");
        create(admin, "share-wd");
        try {
            upload(admin, "share-rw", "keep.txt", "keep", tmp);
            upload(admin, "share-wd", "old.txt", "old", tmp);
            share("share-rw", "rw");
            share("share-wd", "wd");

            assertThat(upload(user, "share-rw", "new.txt", "from user", tmp).status()).isEqualTo(201);
            assertThat(user.fetch(Request.post("/folders/share-rw/mkdir").jsonBody(Map.of("path", "d1")).build()).status())
                    .isEqualTo(201);
            assertThat(dir(server, admin, "share-rw").resolve("new.txt")).hasContent("from user");
            notFound(() -> user.fetch(Request.delete("/folders/share-rw/delete_files").jsonBody(Map.of("files", List.of("keep.txt"))).build()));
            notFound(() -> user.fetch(Request.delete("/folders/share-rw").build()));
            notFound(() -> user.fetch(Request.post("/folders/share-rw/rename").jsonBody(Map.of("new_name", "x1")).build()));
            assertThat(dir(server, admin, "share-rw").resolve("keep.txt")).exists();

            Response del = user.fetch(Request.delete("/folders/share-wd/delete_files").jsonBody(Map.of("files", List.of("old.txt"))).build());
            assertThat(del.status()).isEqualTo(200);
            assertThat(del.text()).isEqualTo("{}");
            assertThat(dir(server, admin, "share-wd").resolve("old.txt")).doesNotExist();
            badParams(() -> user.fetch(Request.post("/folders/share-wd/rename").jsonBody(Map.of("new_name", "x2")).build()),
                    "Cannot change the name of a vfolder that is not owned by me.");
            notFound(() -> user.fetch(Request.delete("/folders/share-wd").build()));
            assertThat(dir(server, admin, "share-wd")).isDirectory();
        } finally {
            admin.fetch(Request.delete("/folders/share-rw").build());
            admin.fetch(Request.delete("/folders/share-wd").build());
        }
    }

    @Test
    void invitationsCanBeRejectedOrCanceledAndNameClashesAreRefused() {
        create(admin, "clash");
        create(user, "clash");
        create(admin, "reject-me");
        try {
            badParams(() -> admin.fetch(Request.post("/folders/clash/invite").jsonBody(Map.of("perm", "xx",
                    "user_ids", List.of("user@localhost"))).build()), "Invalid permission: xx (ro, rw or wd).");
            badParams(() -> admin.fetch(Request.post("/folders/clash/invite").jsonBody(Map.of("perm", "ro",
                    "user_ids", List.of())).build()), "user_ids must be a non-empty list of user ids.");
            // perm defaults to rw
            admin.fetch(Request.post("/folders/clash/invite").jsonBody(Map.of("user_ids", List.of("user@localhost"))).build());
            admin.fetch(Request.post("/folders/reject-me/invite").jsonBody(Map.of("user_ids", List.of("user@localhost"))).build());
            JsonNode invitations = user.fetch(Request.get("/folders/invitations/list").build()).json().get("invitations");
            assertThat(invitations).hasSize(2);
            String clashId = null;
            String rejectId = null;
            for (JsonNode i : invitations) {
                assertThat(i.get("perm").asText()).isEqualTo("rw");
                String vf = i.get("vfolder_id").asText().replace("-", "");
                if (vf.equals(admin.fetch(Request.get("/folders/clash").build()).json().get("id").asText())) {
                    clashId = i.get("id").asText();
                } else {
                    rejectId = i.get("id").asText();
                }
            }
            String clash = clashId;
            problem(() -> user.fetch(Request.post("/folders/invitations/accept").jsonBody(Map.of("inv_id", clash,
                    "inv_ak", userAk)).build()), 400, "vfolder-already-exists", null);

            String reject = rejectId;
            Response rejected = user.fetch(Request.delete("/folders/invitations/delete").jsonBody(Map.of("inv_id", reject)).build());
            assertThat(rejected.status()).isEqualTo(200);
            assertThat(rejected.text()).isEqualTo("{\"msg\": \"Vfolder invitation is rejected: " + reject + ".\"}");
            BackendAPIError gone = error(() -> user.fetch(Request.delete("/folders/invitations/delete")
                    .jsonBody(Map.of("inv_id", reject)).build()));
            assertThat(gone.status()).isEqualTo(404);
            assertThat(gone.data().toString()).isEqualTo("{\"msg\":\"No such invitation found.\"}");
            // the inviter may cancel the other one
            assertThat(admin.fetch(Request.delete("/folders/invitations/delete").jsonBody(Map.of("inv_id", clash)).build()).status())
                    .isEqualTo(200);
            assertThat(user.fetch(Request.get("/folders/invitations/list").build()).json().get("invitations")).isEmpty();
            BackendAPIError unknown = error(() -> user.fetch(Request.post("/folders/invitations/accept").jsonBody(Map.of(
                    "inv_id", "00000000-0000-0000-0000-000000000000", "inv_ak", userAk)).build()));
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.data().get("msg").asText()).isEqualTo("No such invitation found.");
        } finally {
            admin.fetch(Request.delete("/folders/clash").build());
            user.fetch(Request.delete("/folders/clash").build());
            admin.fetch(Request.delete("/folders/reject-me").build());
        }
    }
}
