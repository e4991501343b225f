package ai.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.backend.client.APIConfig;
import ai.backend.client.BackendAPIError;
import ai.backend.client.Session;
import ai.backend.client.admin.AgentInfo;
import ai.backend.client.admin.ComputeSessionInfo;
import ai.backend.client.admin.Creation;
import ai.backend.client.admin.ImageInfo;
import ai.backend.client.admin.KeyPairInfo;
import ai.backend.client.admin.KeyPairProps;
import ai.backend.client.admin.KeyPairs;
import ai.backend.client.admin.MutationResult;
import ai.backend.client.admin.Page;
import ai.backend.client.admin.ResourcePolicies;
import ai.backend.client.admin.ResourcePolicyInfo;
import ai.backend.client.admin.ResourcePolicySpec;
import ai.backend.client.kernel.CreateKernelRequest;
import ai.backend.client.kernel.Kernel;
import com.fasterxml.jackson.core.type.TypeReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SDK's blocking function families (KeyPair, ResourcePolicy, Agent, Image, compute sessions, Admin) against the local server. */
class AdminFamiliesTest {
    @Test
    void keypairsAreCreatedUsedDeactivatedAndDeleted() {
        try (TestServer server = TestServer.start(); Session admin = new Session(server.adminConfig())) {
            KeyPairs keyPairs = admin.keyPairs();
            KeyPairInfo me = keyPairs.info();
            assertThat(me.accessKey()).isEqualTo(server.server().adminKeypair().accessKey());
            assertThat(me.isAdmin()).isTrue();
            assertThat(keyPairs.isAdmin()).isTrue();
            assertThat(keyPairs.list(null, true)).extracting(KeyPairInfo::accessKey)
                    .contains(server.server().userKeypair().accessKey(), me.accessKey());
            Creation<KeyPairInfo> created = keyPairs.create("new@localhost",
                    KeyPairProps.builder().resourcePolicy("default").rateLimit(1000).build());
            assertThat(created.ok()).isTrue();
            String ak = created.created().accessKey();
            assertThat(ak).matches("AKIA[A-Z2-7]{16}");
            APIConfig cfg = APIConfig.builder().endpoint(server.endpoint()).accessKey(ak).secretKey(created.created().secretKey()).build();
            try (Session fresh = new Session(cfg)) {
                assertThat(fresh.keyPairs().info().userId()).isEqualTo("new@localhost");
                assertThat(fresh.keyPairs().isAdmin()).isFalse();
                assertThat(keyPairs.deactivate(ak).ok()).isTrue();
                assertThatThrownBy(() -> fresh.keyPairs().info()).isInstanceOfSatisfying(BackendAPIError.class,
                        e -> assertThat(e.status()).isEqualTo(401));
                assertThat(keyPairs.activate(ak).ok()).isTrue();
                assertThat(fresh.keyPairs().info().isActive()).isTrue();
                assertThatThrownBy(() -> fresh.keyPairs().delete(me.accessKey())).as("a user key has no mutations")
                        .isInstanceOfSatisfying(BackendAPIError.class, e -> assertThat(e.type()).endsWith("graphql-error"));
            }
            KeyPairInfo listed = keyPairs.list("new@localhost", null, List.of("access_key", "rate_limit")).get(0);
            assertThat(listed.rateLimit()).isEqualTo(1000);
            assertThat(listed.secretKey()).as("not selected").isNull();
            assertThat(keyPairs.update(ak, KeyPairProps.builder().admin(true).build()).ok()).isTrue();
            assertThat(keyPairs.list("new@localhost", null).get(0)).satisfies(k -> {
                assertThat(k.isAdmin()).isTrue();
                assertThat(k.rateLimit()).as("unchanged").isEqualTo(1000);
            });
            MutationResult own = keyPairs.delete(me.accessKey());
            assertThat(own.ok()).isFalse();
            assertThat(own.msg()).isNotBlank();
            assertThat(keyPairs.delete(ak).ok()).isTrue();
            assertThat(keyPairs.list("new@localhost", null)).isEmpty();
        }
    }

    @Test
    void resourcePoliciesAreCreatedChangedAndDeleted() {
        try (TestServer server = TestServer.start(); Session admin = new Session(server.adminConfig())) {
            ResourcePolicies policies = admin.resourcePolicies();
            assertThat(policies.info(null).name()).isEqualTo("default");
            ResourcePolicySpec spec = ResourcePolicySpec.defaults().toBuilder().defaultForUnspecified("LIMITED")
                    .totalResourceSlots("{\"cpu\": \"4\"}").maxConcurrentSessions(5).idleTimeout(600).build();
            Creation<ResourcePolicyInfo> created = policies.create("team", spec);
            assertThat(created.ok()).isTrue();
            assertThat(created.created().name()).isEqualTo("team");
            ResourcePolicyInfo team = policies.info("team");
            assertThat(team.defaultForUnspecified()).isEqualTo("LIMITED");
            assertThat(team.maxConcurrentSessions()).isEqualTo(5);
            assertThat(team.idleTimeout()).isEqualTo(600);
            assertThat(team.allowedVfolderHosts()).containsExactly("local");
            assertThat(policies.create("team", spec).ok()).as("a duplicate name").isFalse();
            assertThat(policies.update("team", ResourcePolicySpec.builder().maxConcurrentSessions(7).build()).ok()).isTrue();
            assertThat(policies.info("team", List.of("max_concurrent_sessions", "idle_timeout"))).satisfies(p -> {
                assertThat(p.maxConcurrentSessions()).isEqualTo(7);
                assertThat(p.idleTimeout()).as("unchanged").isEqualTo(600);
            });
            assertThat(policies.list()).extracting(ResourcePolicyInfo::name).contains("default", "team");
            assertThat(policies.delete("default").ok()).as("a policy in use").isFalse();
            assertThat(policies.delete("team").ok()).isTrue();
            assertThat(policies.info("team")).isNull();
        }
    }

    @Test
    void agentsImagesAndResourcesAreReported() {
        try (TestServer server = TestServer.start(); Session admin = new Session(server.adminConfig());
             Session user = new Session(server.userConfig())) {
            Page<AgentInfo> agents = admin.agents().list(10, 0, "ALIVE");
            assertThat(agents.totalCount()).isEqualTo(1);
            AgentInfo local = agents.items().get(0);
            assertThat(local.id()).isEqualTo("local");
            assertThat(local.availableSlots()).contains("\"cpu\"").contains("\"mem\"");
            assertThat(admin.agents().list(10, 0, "LOST").items()).isEmpty();
            assertThat(admin.agents().listAll("ALIVE")).extracting(AgentInfo::id).containsExactly("local");
            assertThat(admin.agents().info("local").status()).isEqualTo("ALIVE");
            assertThat(admin.agents().info("nowhere")).isNull();
            assertThatThrownBy(() -> user.agents().listAll("ALIVE")).isInstanceOf(BackendAPIError.class);

            List<ImageInfo> images = user.images().list();
            assertThat(images).extracting(ImageInfo::name).contains("python", "bash");
            assertThat(images).allSatisfy(i -> assertThat(i.tag()).isNotNull());
            assertThat(user.images().list(List.of("name")).get(0).tag()).as("not selected").isNull();

            assertThat(user.resources().list()).extracting(p -> p.name()).containsExactly("large", "medium", "small");
            assertThat(user.resources().checkPresets().keypairLimits()).containsKey("cpu");
        }
    }

    @Test
    void imageAliasesAndRescan() {
        try (TestServer server = TestServer.start(); Session admin = new Session(server.adminConfig())) {
            assertThat(admin.images().aliasImage("sh-alias", "bash").ok()).isTrue();
            assertThat(admin.images().list()).filteredOn(i -> i.name().equals("bash")).singleElement()
                    .satisfies(i -> assertThat(i.aliases()).containsExactly("sh-alias"));
            assertThat(admin.images().dealiasImage("sh-alias").ok()).isTrue();
            assertThat(admin.images().list()).allSatisfy(i -> assertThat(i.aliases()).isEmpty());
            assertThat(admin.images().rescanImages(null).ok()).isTrue();
            MutationResult refused = admin.images().rescanImages("elsewhere");
            assertThat(refused.ok()).isFalse();
            assertThat(refused.msg()).isEqualTo("unknown registry: elsewhere");
        }
    }

    /** A row type for the typed {@code Admin.query} variant. */
    record SessionRow(String sessId, String status, Long memMaxBytes) {
    }

    @Test
    void computeSessionsArePagedAndTheTypedQueryReadsRecords() {
        try (TestServer server = TestServer.start(); Session admin = new Session(server.adminConfig());
             Session user = new Session(server.userConfig())) {
            List<Kernel> kernels = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                kernels.add(user.kernels().getOrCreate(CreateKernelRequest.builder("bash").clientToken("paged-" + i).build()));
            }
            server.recordSessionPids();
            Page<ComputeSessionInfo> first = admin.computeSessions().list("RUNNING", null, 2, 0);
            assertThat(first.totalCount()).isEqualTo(3);
            assertThat(first.items()).hasSize(2);
            assertThat(first.hasMoreAfter(0)).isTrue();
            Page<ComputeSessionInfo> second = admin.computeSessions().list("RUNNING", null, 2, 2);
            assertThat(second.items()).hasSize(1);
            List<String> ids = new ArrayList<>();
            first.items().forEach(s -> ids.add(s.sessId()));
            second.items().forEach(s -> ids.add(s.sessId()));
            assertThat(ids).containsExactlyInAnyOrder("paged-0", "paged-1", "paged-2");
            assertThat(admin.computeSessions().listAll("RUNNING", null)).extracting(ComputeSessionInfo::accessKey)
                    .containsOnly(server.server().userKeypair().accessKey());
            assertThat(admin.computeSessions().listAll("RUNNING", server.server().adminKeypair().accessKey())).isEmpty();
            assertThat(user.computeSessions().info("paged-1", List.of("sess_id", "image", "status"))).satisfies(s -> {
                assertThat(s.image()).isEqualTo("bash:latest");
                assertThat(s.status()).isEqualTo("RUNNING");
            });

            List<SessionRow> rows = admin.admin().query("query($s: String) { compute_sessions(status: $s)"
                    + " { sess_id status mem_max_bytes } }", Map.of("s", "RUNNING"), "compute_sessions",
                    new TypeReference<List<SessionRow>>() { });
            assertThat(rows).extracting(SessionRow::sessId).containsExactlyInAnyOrder("paged-0", "paged-1", "paged-2");
            assertThat(rows).allSatisfy(r -> assertThat(r.status()).isEqualTo("RUNNING"));
            SessionRow one = admin.admin().query("query { compute_session(sess_id: \"paged-0\") { sess_id status } }", null,
                    "compute_session", SessionRow.class);
            assertThat(one.sessId()).isEqualTo("paged-0");
            assertThat(one.memMaxBytes()).as("not selected").isNull();
            kernels.forEach(Kernel::destroy);
            assertThat(admin.computeSessions().listAll(null, null)).extracting(ComputeSessionInfo::status)
                    .containsOnly("TERMINATED");
        }
    }
}
