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

/** The admin commands (agents, images, keypairs, resource policies) end to end, against the local server. */
class AdminCliIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static Path home;
    private static Map<String, String> env;

    @BeforeAll
    static void freshHome() throws Exception {
        home = Files.createTempDirectory("backendai-admin-");
        env = CliProcess.cleanEnv(home);
    }

    @AfterAll
    static void stop() throws Exception {
        assertThat(CliProcess.run(env, 60, "server", "stop").exitCode()).isZero();
        CliProcess.deleteTree(home);
    }

    private static CliProcess.Result ok(String... args) throws Exception {
        CliProcess.Result r = CliProcess.run(env, 120, args);
        assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.stdout() + r.stderr()).isZero();
        return r;
    }

    private static CliProcess.Result status(int code, String... args) throws Exception {
        CliProcess.Result r = CliProcess.run(env, 120, args);
        assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.stdout() + r.stderr()).isEqualTo(code);
        return r;
    }

    private static JsonNode json(String... args) throws Exception {
        return MAPPER.readTree(ok(args).stdout());
    }

    private static JsonNode keypairOf(String userId) throws Exception {
        JsonNode list = json("admin", "keypairs", "-u", userId, "--output", "json");
        assertThat(list.isArray()).isTrue();
        assertThat(list.size()).isEqualTo(1);
        return list.get(0);
    }

    @Test
    void imageAliasesAndRescan() throws Exception {
        assertThat(ok("admin", "rescan-images").stdout()).isEqualTo("kernel image metadata updated\n");
        assertThat(status(1, "admin", "rescan-images", "-r", "index.docker.io").stderr())
                .contains("rescanning failed: unknown registry: index.docker.io");
        assertThat(ok("admin", "alias-image", "py", "lablup/python:3.6-ubuntu18.04").stdout())
                .isEqualTo("alias py created for target lablup/python:3.6-ubuntu18.04\n");
        JsonNode python = null;
        for (JsonNode i : json("admin", "images", "--output", "json")) {
            if (i.path("name").asText().equals("python")) {
                python = i;
            }
        }
        assertThat(python).isNotNull();
        assertThat(python.path("aliases").toString()).isEqualTo("[\"py\"]");
        assertThat(ok("run", "--rm", "-c", "print(6 * 7)", "py").stdout()).contains("42");
        assertThat(ok("admin", "dealias-image", "py").stdout()).isEqualTo("alias py removed.\n");
        assertThat(status(1, "run", "--rm", "-c", "print(1)", "py").stderr()).contains("Unknown image reference: py");
        status(2, "admin", "alias-image", "onlyone");
    }

    @Test
    void vfoldersAreListedPerOwner() throws Exception {
        ok("vfolder", "create", "adminvf");
        String table = ok("admin", "vfolders").stdout();
        assertThat(table.lines().findFirst().orElseThrow()).contains("Name", "Created At", "Last Used", "Max Files", "Max Size");
        assertThat(table).contains("adminvf");
        // outside the admin group, the CLI uses the local server's user keypair: it owns the folder
        String userKey = json("admin", "keypairs", "-u", "user@localhost", "--output", "json").get(0).path("access_key").asText();
        String adminKey = json("admin", "keypair", "--output", "json").path("access_key").asText();
        JsonNode mine = json("admin", "vfolders", "--access-key", userKey, "--output", "json");
        assertThat(mine.findValuesAsText("name")).containsExactly("adminvf");
        assertThat(json("admin", "vfolders", "--access-key", adminKey, "--output", "json").findValuesAsText("name"))
                .doesNotContain("adminvf");
        assertThat(mine.get(0).path("max_files").asInt()).isEqualTo(1000);
        assertThat(json("admin", "vfolders", "--access-key", "AKNOSUCHKEY", "--output", "json")).isEmpty();
        ok("vfolder", "delete", "adminvf");
        assertThat(json("admin", "vfolders", "--output", "json").findValuesAsText("name")).doesNotContain("adminvf");
        status(2, "admin", "vfolders", "--access-key");
    }

    @Test
    void agentsAndImagesAreListed() throws Exception {
        String agents = ok("admin", "agents").stdout();
        assertThat(agents.lines().findFirst().orElseThrow()).contains("ID", "Status", "Region", "First Contact",
                "CPU Usage (%)", "Used Memory (MiB)", "Total slots", "Occupied slots");
        assertThat(agents).contains("local").contains("ALIVE");
        assertThat(agents.lines().skip(1).findFirst().orElseThrow()).startsWith("-----");
        JsonNode list = json("admin", "agents", "--output", "json");
        assertThat(list.findValuesAsText("id")).contains("local");
        assertThat(json("admin", "agents", "--all", "-s", "ALIVE", "--output", "json").size()).isEqualTo(list.size());
        assertThat(status(0, "admin", "agents", "--status", "LOST").stderr()).contains("There are no matching agents.");

        String agent = ok("admin", "agent", "-i", "local").stdout();
        assertThat(agent).contains("Field", "Value", "ID", "local", "Status", "ALIVE", "Total slots");
        assertThat(json("admin", "agent", "--id", "local", "--output", "json").path("status").asText()).isEqualTo("ALIVE");
        assertThat(status(1, "admin", "agent", "-i", "nosuch").stderr()).contains("No such agent");
        status(2, "admin", "agent");

        String images = ok("admin", "images").stdout();
        assertThat(images.lines().findFirst().orElseThrow()).contains("Name", "Registry", "Tag", "Digest", "Size", "Aliases");
        JsonNode imageList = json("admin", "images", "--output", "json");
        assertThat(imageList.isArray()).isTrue();
        if (!imageList.isEmpty()) {
            assertThat(images).contains(imageList.get(0).path("name").asText());
        }
        status(2, "admin", "images", "--output", "yaml");
    }

    @Test
    void ownKeypairIsShownAndCannotBeDeleted() throws Exception {
        String mine = ok("admin", "keypair").stdout();
        assertThat(mine).contains("Field", "Value", "User ID", "Access Key", "Secret Key", "Active?", "Admin?", "Created At",
                "Last Used", "Res.Policy", "Rate Limit", "Concur.Limit", "Concur.Used");
        JsonNode kp = json("admin", "keypair", "--output", "json");
        assertThat(kp.path("is_admin").asBoolean()).isTrue();
        String ak = kp.path("access_key").asText();
        assertThat(mine).contains(ak).contains("True");

        CliProcess.Result refused = status(1, "admin", "keypairs", "delete", ak);
        assertThat(refused.stderr()).contains("KeyPair deletion has failed: cannot delete the keypair making this request");
        assertThat(json("admin", "keypairs", "--output", "json").findValuesAsText("access_key")).contains(ak);
    }

    @Test
    void keypairIsAddedDeactivatedRefusedActivatedUpdatedAndDeleted() throws Exception {
        String table = ok("admin", "keypairs").stdout();
        assertThat(table.lines().findFirst().orElseThrow()).contains("User ID", "Access Key", "Active?", "Res.Policy");

        CliProcess.Result added = ok("admin", "keypairs", "add", "alice@example.com", "-r", "1234");
        assertThat(added.stdout()).contains("Access Key: ").contains("Secret Key: ");
        JsonNode alice = keypairOf("alice@example.com");
        String ak = alice.path("access_key").asText();
        String sk = alice.path("secret_key").asText();
        assertThat(added.stdout()).contains("Access Key: " + ak).contains("Secret Key: " + sk);
        assertThat(alice.path("is_active").asBoolean()).isTrue();
        assertThat(alice.path("is_admin").asBoolean()).isFalse();
        assertThat(alice.path("rate_limit").asInt()).isEqualTo(1234);
        assertThat(alice.path("resource_policy").asText()).isEqualTo("default");
        assertThat(ok("admin", "keypairs", "-u", "alice@example.com").stdout()).contains(ak).contains("1234");

        // The new keypair works.
        Map<String, String> aliceEnv = new LinkedHashMap<>(env);
        String endpoint = ok("server", "env").stdout().lines().filter(l -> l.startsWith("export BACKEND_ENDPOINT="))
                .findFirst().orElseThrow().substring("export BACKEND_ENDPOINT=".length());
        aliceEnv.put("BACKEND_ENDPOINT", endpoint);
        aliceEnv.put("BACKEND_ACCESS_KEY", ak);
        aliceEnv.put("BACKEND_SECRET_KEY", sk);
        CliProcess.Result before = CliProcess.run(aliceEnv, 120, "ps");
        assertThat(before.exitCode()).as(before.stderr()).isZero();

        assertThat(ok("admin", "keypairs", "deactivate", ak).stdout()).contains("Key pair is deactivated: " + ak + ".");
        assertThat(keypairOf("alice@example.com").path("is_active").asBoolean()).isFalse();
        assertThat(json("admin", "keypairs", "--is-active", "false", "--output", "json").findValuesAsText("access_key"))
                .contains(ak);
        assertThat(json("admin", "keypairs", "--is-active", "true", "--output", "json").findValuesAsText("access_key"))
                .doesNotContain(ak);
        CliProcess.Result after = CliProcess.run(aliceEnv, 120, "ps");
        assertThat(after.exitCode()).isEqualTo(1);
        assertThat(after.stderr()).contains("401");

        assertThat(ok("admin", "keypairs", "activate", ak).stdout()).contains("Key pair is activated: " + ak + ".");
        assertThat(keypairOf("alice@example.com").path("is_active").asBoolean()).isTrue();

        assertThat(ok("admin", "keypairs", "update", ak, "--is-admin", "yes", "-r", "77").stdout())
                .contains("Key pair is updated: " + ak + ".");
        JsonNode updated = keypairOf("alice@example.com");
        assertThat(updated.path("is_admin").asBoolean()).isTrue();
        assertThat(updated.path("rate_limit").asInt()).isEqualTo(77);
        assertThat(updated.path("is_active").asBoolean()).isTrue();

        assertThat(ok("admin", "keypairs", "delete", ak).stdout()).contains("Key pair is deleted: " + ak + ".");
        assertThat(json("admin", "keypairs", "-u", "alice@example.com", "--output", "json").size()).isZero();
        assertThat(status(0, "admin", "keypairs", "-u", "alice@example.com").stderr())
                .contains("There are no matching keypairs associated with the user ID alice@example.com");
        assertThat(status(1, "admin", "keypairs", "delete", ak).stderr()).contains("KeyPair deletion has failed: ");
        assertThat(status(1, "admin", "keypairs", "update", ak, "--is-active", "true").stderr())
                .contains("KeyPair update has failed: ");

        ok("admin", "keypairs", "add", "bob@example.com", "--admin", "--inactive", "--resource-policy", "default");
        JsonNode bob = keypairOf("bob@example.com");
        assertThat(bob.path("is_admin").asBoolean()).isTrue();
        assertThat(bob.path("is_active").asBoolean()).isFalse();
        assertThat(bob.path("rate_limit").asInt()).isEqualTo(5000);
        ok("admin", "keypairs", "delete", bob.path("access_key").asText());
        assertThat(status(1, "admin", "keypairs", "add", "carol@example.com", "--resource-policy", "nosuch").stderr())
                .contains("KeyPair creation has failed: ");
    }

    @Test
    void policyIsAddedUpdatedAndDeleted() throws Exception {
        String current = ok("admin", "resource-policy").stdout();
        assertThat(current).contains("Field", "Value", "Name", "default", "Created At", "Default for Unspecified",
                "Total Resource Slot", "Max Concurrent Sessions", "Max Containers per Session", "Max vFolder Count",
                "Max vFolder Size", "Idle Timeout", "Allowed vFolder Hosts");

        assertThat(ok("admin", "resource-policies", "add", "gold", "--max-vfolder-count", "3").stdout())
                .contains("Keypair resource policy gold is created.");
        JsonNode gold = json("admin", "resource-policy", "gold", "--output", "json");
        assertThat(gold.path("name").asText()).isEqualTo("gold");
        assertThat(gold.path("default_for_unspecified").asText()).isEqualTo("UNLIMITED");
        assertThat(gold.path("total_resource_slots").asText()).isEqualTo("{}");
        assertThat(gold.path("max_concurrent_sessions").asInt()).isEqualTo(30);
        assertThat(gold.path("max_containers_per_session").asInt()).isEqualTo(1);
        assertThat(gold.path("max_vfolder_count").asInt()).isEqualTo(3);
        assertThat(gold.path("idle_timeout").asLong()).as("the 19.03 default").isEqualTo(1800);
        assertThat(gold.path("allowed_vfolder_hosts").get(0).asText()).isEqualTo("local");
        String list = ok("admin", "resource-policies").stdout();
        assertThat(list.lines().findFirst().orElseThrow()).contains("Name", "Max vFolder Count", "Allowed vFolder Hosts");
        assertThat(list).contains("gold").contains("default");
        assertThat(json("admin", "resource-policies", "--output", "json").findValuesAsText("name")).contains("gold", "default");
        assertThat(status(1, "admin", "resource-policies", "add", "gold").stderr())
                .contains("KeyPair Resource Policy creation has failed: ");

        assertThat(ok("admin", "resource-policies", "update", "gold", "--max-vfolder-count", "5",
                "--default-for-unspecified", "LIMITED").stdout()).contains("Update succeeded.");
        JsonNode updated = json("admin", "resource-policy", "-n", "gold", "--output", "json");
        assertThat(updated.path("max_vfolder_count").asInt()).isEqualTo(5);
        assertThat(updated.path("default_for_unspecified").asText()).isEqualTo("LIMITED");
        assertThat(updated.path("max_concurrent_sessions").asInt()).isEqualTo(30);
        assertThat(updated.path("idle_timeout").asLong()).as("unset options stay").isEqualTo(1800);
        assertThat(status(1, "admin", "resource-policies", "update", "nosuch", "--max-vfolder-count", "1").stderr())
                .contains("KeyPair Resource Policy update has failed: ");

        CliProcess.Result canceled = CliProcess.runWithInput(env, 120, "n\n", "admin", "resource-policies", "delete", "gold");
        assertThat(canceled.exitCode()).isEqualTo(1);
        assertThat(canceled.stdout()).contains("Are you sure? (y/n): ").contains("Canceled.");
        CliProcess.Result deleted = CliProcess.runWithInput(env, 120, "y\n", "admin", "resource-policies", "delete", "gold");
        assertThat(deleted.exitCode()).as(deleted.stderr()).isZero();
        assertThat(deleted.stdout()).contains("Resource policy gold is deleted.");
        assertThat(status(1, "admin", "resource-policy", "gold").stderr()).contains("No such resource policy.");
        assertThat(json("admin", "resource-policies", "--output", "json").findValuesAsText("name")).doesNotContain("gold");
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        status(2, "admin", "keypairs", "add");
        status(2, "admin", "keypairs", "update");
        status(2, "admin", "keypairs", "delete");
        status(2, "admin", "keypairs", "activate");
        status(2, "admin", "keypairs", "deactivate");
        status(2, "admin", "keypairs", "--is-active", "maybe");
        status(2, "admin", "keypairs", "add", "x@example.com", "-r", "many");
        status(2, "admin", "resource-policies", "add");
        status(2, "admin", "resource-policies", "add", "p", "--max-concurrent-sessions", "lots");
        status(2, "admin", "resource-policies", "add", "p", "--default-for-unspecified", "SOMETIMES");
        status(2, "admin", "resource-policies", "delete");
        status(2, "admin", "agents", "--bogus");
        status(2, "admin", "keypair", "--output", "xml");
    }
}
