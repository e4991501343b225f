package ai.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.backend.client.APIConfig;
import ai.backend.client.BackendAPIError;
import ai.backend.client.Session;
import ai.backend.client.admin.AdminFunctions;
import ai.backend.client.admin.AgentInfo;
import ai.backend.client.admin.ImageInfo;
import ai.backend.client.admin.KeyPairInfo;
import ai.backend.client.admin.MutationResult;
import ai.backend.client.admin.Page;
import ai.backend.client.admin.ResourcePolicyInfo;
import ai.backend.client.admin.ResourcePolicySpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SDK's typed admin functions against the local server's GraphQL API. */
class AdminFunctionsTest {
    @Test
    void keypairsAreCreatedUsedDeactivatedAndDeleted() {
        try (TestServer server = TestServer.start(); Session admin = new Session(server.adminConfig())) {
            AdminFunctions f = admin.adminFunctions();
            KeyPairInfo me = f.keyPair();
            assertThat(me.accessKey()).isEqualTo(server.server().adminKeypair().accessKey());
            assertThat(me.isAdmin()).isTrue();
            assertThat(f.keyPairs(null, true)).extracting(KeyPairInfo::accessKey)
                    .contains(server.server().userKeypair().accessKey(), me.accessKey());
            AdminFunctions.KeyPairCreation created = f.createKeyPair("new@localhost", true, false, "default", 1000);
            assertThat(created.result().ok()).isTrue();
            String ak = created.keyPair().accessKey();
            assertThat(ak).matches("AKIA[A-Z2-7]{16}");
            APIConfig cfg = APIConfig.builder().endpoint(server.endpoint()).accessKey(ak).secretKey(created.keyPair().secretKey()).build();
            try (Session fresh = new Session(cfg)) {
                assertThat(fresh.adminFunctions().keyPair().userId()).isEqualTo("new@localhost");
                assertThat(f.deactivateKeyPair(ak).ok()).isTrue();
                assertThatThrownBy(() -> fresh.adminFunctions().keyPair()).isInstanceOfSatisfying(BackendAPIError.class,
                        e -> assertThat(e.status()).isEqualTo(401));
                assertThat(f.activateKeyPair(ak).ok()).isTrue();
                assertThat(fresh.adminFunctions().keyPair().isActive()).isTrue();
            }
            assertThat(f.keyPairs("new@localhost", null)).extracting(KeyPairInfo::rateLimit).containsExactly(1000);
            MutationResult own = f.deleteKeyPair(me.accessKey());
            assertThat(own.ok()).isFalse();
            assertThat(own.msg()).isNotBlank();
            assertThat(f.deleteKeyPair(ak).ok()).isTrue();
            assertThat(f.keyPairs("new@localhost", null)).isEmpty();
        }
    }

    @Test
    void resourcePoliciesAgentsAndImages() {
        try (TestServer server = TestServer.start(); Session admin = new Session(server.adminConfig())) {
            AdminFunctions f = admin.adminFunctions();
            assertThat(f.resourcePolicy(null).name()).isEqualTo("default");
            ResourcePolicySpec spec = new ResourcePolicySpec("LIMITED", "{\"cpu\": \"4\"}", 5, 1, 3, 0L, 600L, List.of("local"));
            assertThat(f.createResourcePolicy("team", spec).ok()).isTrue();
            ResourcePolicyInfo team = f.resourcePolicy("team");
            assertThat(team.defaultForUnspecified()).isEqualTo("LIMITED");
            assertThat(team.maxConcurrentSessions()).isEqualTo(5);
            assertThat(f.updateResourcePolicy("team", new ResourcePolicySpec(null, null, 7, null, null, null, null, null)).ok()).isTrue();
            assertThat(f.resourcePolicy("team").maxConcurrentSessions()).isEqualTo(7);
            assertThat(f.resourcePolicies()).extracting(ResourcePolicyInfo::name).contains("default", "team");
            assertThat(f.deleteResourcePolicy("default").ok()).as("a policy in use").isFalse();
            assertThat(f.deleteResourcePolicy("team").ok()).isTrue();
            assertThat(f.resourcePolicy("team")).isNull();

            Page<AgentInfo> agents = f.agents(10, 0, "ALIVE");
            assertThat(agents.totalCount()).isEqualTo(1);
            assertThat(agents.items().get(0).id()).isEqualTo("local");
            assertThat(agents.items().get(0).availableSlots()).contains("\"cpu\"").contains("\"mem\"");
            assertThat(f.allAgents("ALIVE")).hasSize(1);
            assertThat(f.images()).extracting(ImageInfo::name).contains("python");
            assertThat(admin.admin().query("query { keypair { access_key } }", Map.of()).at("/keypair/access_key").asText())
                    .isEqualTo(server.server().adminKeypair().accessKey());
        }
    }

    @Test
    void imageAliasesAndRescanThroughTheTypedFunctions() {
        try (TestServer server = TestServer.start(); Session admin = new Session(server.adminConfig())) {
            AdminFunctions f = admin.adminFunctions();
            assertThat(f.aliasImage("sh-alias", "bash").ok()).isTrue();
            assertThat(f.images()).filteredOn(i -> i.name().equals("bash")).singleElement()
                    .satisfies(i -> assertThat(i.aliases()).containsExactly("sh-alias"));
            assertThat(f.dealiasImage("sh-alias").ok()).isTrue();
            assertThat(f.images()).allSatisfy(i -> assertThat(i.aliases()).isEmpty());
            assertThat(f.rescanImages(null).ok()).isTrue();
            MutationResult refused = f.rescanImages("elsewhere");
            assertThat(refused.ok()).isFalse();
            assertThat(refused.msg()).isEqualTo("unknown registry: elsewhere");
        }
    }
}
