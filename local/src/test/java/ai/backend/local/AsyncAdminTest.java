package ai.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import ai.backend.client.AsyncSession;
import ai.backend.client.BackendAPIError;
import ai.backend.client.Session;
import ai.backend.client.admin.AgentInfo;
import ai.backend.client.admin.ComputeSessionInfo;
import ai.backend.client.admin.ImageInfo;
import ai.backend.client.admin.KeyPairInfo;
import ai.backend.client.admin.KeyPairProps;
import ai.backend.client.admin.ResourcePolicyInfo;
import ai.backend.client.admin.ResourcePolicySpec;
import ai.backend.client.kernel.CreateKernelRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The AsyncSession's function families: the same calls as the blocking ones, as futures. */
class AsyncAdminTest {
    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    @Test
    void managerResourcesAndRawQueriesComplete() throws Exception {
        try (TestServer server = TestServer.start(); AsyncSession admin = new AsyncSession(server.adminConfig())) {
            assertThat(await(admin.admin().query("query { keypair { access_key is_admin } }", Map.of()))
                    .at("/keypair/is_admin").asBoolean()).isTrue();
            assertThat(await(admin.admin().query("query { keypair { access_key is_admin } }", null, "keypair", Map.class)))
                    .containsEntry("is_admin", true);
            assertThat(await(admin.manager().status()).status()).isEqualTo("running");
            await(admin.manager().freeze(false));
            assertThat(await(admin.manager().status()).status()).isEqualTo("frozen");
            await(admin.manager().unfreeze());
            assertThat(await(admin.resources().list())).hasSize(3);
            assertThat(await(admin.resources().checkPresets()).keypairLimits()).containsKey("cpu");
        }
    }

    @Test
    void everyFamilyWorksWithoutBlocking() throws Exception {
        try (TestServer server = TestServer.start(); AsyncSession admin = new AsyncSession(server.adminConfig());
             AsyncSession user = new AsyncSession(server.userConfig())) {
            assertThat(await(admin.keyPairs().isAdmin())).isTrue();
            assertThat(await(user.keyPairs().isAdmin())).isFalse();
            var created = await(admin.keyPairs().create("async@localhost", KeyPairProps.builder().resourcePolicy("default").build()));
            String ak = created.created().accessKey();
            assertThat(await(admin.keyPairs().list("async@localhost", true))).extracting(KeyPairInfo::accessKey).containsExactly(ak);
            assertThat(await(admin.keyPairs().deactivate(ak)).ok()).isTrue();
            assertThat(await(admin.keyPairs().list("async@localhost", false))).extracting(KeyPairInfo::rateLimit)
                    .containsExactly(KeyPairProps.DEFAULT_RATE_LIMIT);
            assertThat(await(admin.keyPairs().delete(ak)).ok()).isTrue();

            assertThat(await(admin.resourcePolicies().create("async", ResourcePolicySpec.defaults())).ok()).isTrue();
            assertThat(await(admin.resourcePolicies().update("async", ResourcePolicySpec.builder().maxVfolderCount(2).build())).ok()).isTrue();
            assertThat(await(admin.resourcePolicies().info("async")).maxVfolderCount()).isEqualTo(2);
            assertThat(await(admin.resourcePolicies().list())).extracting(ResourcePolicyInfo::name).contains("async");
            assertThat(await(admin.resourcePolicies().delete("async")).ok()).isTrue();
            assertThat(await(admin.resourcePolicies().info("async"))).isNull();

            assertThat(await(admin.agents().listAll("ALIVE"))).extracting(AgentInfo::id).containsExactly("local");
            assertThat(await(admin.agents().list(1, 0, null)).totalCount()).isEqualTo(1);
            assertThat(await(admin.agents().info("local")).availableSlots()).contains("cpu");
            assertThat(await(admin.images().aliasImage("py", "python")).ok()).isTrue();
            assertThat(await(user.images().list())).filteredOn(i -> i.name().equals("python"))
                    .flatExtracting(ImageInfo::aliases).contains("py");
            assertThat(await(admin.images().dealiasImage("py")).ok()).isTrue();
            assertThat(await(admin.images().rescanImages("elsewhere")).ok()).isFalse();

            try (Session blocking = new Session(server.userConfig())) {
                for (int i = 0; i < 3; i++) {
                    blocking.kernels().getOrCreate(CreateKernelRequest.builder("bash").clientToken("async-" + i).build());
                }
                server.recordSessionPids();
            }
            assertThat(await(user.computeSessions().list("RUNNING", null, 2, 0, List.of("sess_id"))).totalCount()).isEqualTo(3);
            assertThat(await(user.computeSessions().listAll("RUNNING", null, List.of("sess_id", "status"))))
                    .extracting(ComputeSessionInfo::sessId).containsExactlyInAnyOrder("async-0", "async-1", "async-2");
            assertThat(await(user.computeSessions().info("async-2")).status()).isEqualTo("RUNNING");
        }
    }

    @Test
    void refusedCallsFailTheFuture() {
        try (TestServer server = TestServer.start(); AsyncSession user = new AsyncSession(server.userConfig())) {
            CompletableFuture<?> refused = user.keyPairs().delete(server.server().adminKeypair().accessKey());
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> refused.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(BackendAPIError.class);
        }
    }
}
