package ai.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.backend.client.APIConfig;
import ai.backend.client.BackendAPIError;
import ai.backend.client.Session;
import ai.backend.client.admin.Creation;
import ai.backend.client.admin.KeyPairInfo;
import ai.backend.client.admin.KeyPairProps;
import ai.backend.client.admin.ResourcePolicySpec;
import ai.backend.client.kernel.CreateKernelRequest;
import ai.backend.client.kernel.ExecuteRequest;
import ai.backend.client.kernel.Kernel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The idle_timeout of resource policies: unused sessions end, used or computing ones do not, changes apply at once. */
class IdleTimeoutTest {
    private static boolean gone(Kernel k) {
        try {
            k.info();
            return false;
        } catch (BackendAPIError e) {
            assertThat(e.status()).isEqualTo(404);
            return true;
        }
    }

    /** Waits up to {@code limit} for the session to end without touching it (polling it would be activity). */
    private static boolean endsWithin(TestServer server, String sessionId, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (server.server().agent().sessions().stream().noneMatch(s -> s.sessionId().equals(sessionId))) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Test
    void idleSessionsEndUsedAndComputingOnesDoNot() throws Exception {
        try (TestServer server = TestServer.start(); Session admin = new Session(server.adminConfig())) {
            assertThat(admin.resourcePolicies().create("brief", ResourcePolicySpec.defaults().toBuilder().idleTimeout(2).build()).ok())
                    .isTrue();
            Creation<KeyPairInfo> key = admin.keyPairs().create("idle@localhost",
                    KeyPairProps.builder().resourcePolicy("brief").build());
            APIConfig cfg = APIConfig.builder().endpoint(server.endpoint()).accessKey(key.created().accessKey())
                    .secretKey(key.created().secretKey()).build();
            try (Session user = new Session(cfg)) {
                Kernel computing = user.kernels().getOrCreate(CreateKernelRequest.builder("bash").clientToken("idle-busy").build());
                computing.execute(ExecuteRequest.query("sleep 10; echo done")); // answers 'continued' after the flush window
                Kernel used = user.kernels().getOrCreate(CreateKernelRequest.builder("bash").clientToken("idle-used").build());
                Kernel idle = user.kernels().getOrCreate(CreateKernelRequest.builder("bash").clientToken("idle-idle").build());
                server.recordSessionPids();
                for (int i = 0; i < 8; i++) {
                    used.execute(ExecuteRequest.query("true"));
                    Thread.sleep(500);
                }
                assertThat(gone(idle)).as("unused for 4 s with a 2 s timeout").isTrue();
                assertThat(gone(used)).as("used every 0.5 s").isFalse();
                assertThat(gone(computing)).as("running code for 10 s").isFalse();
                assertThat(endsWithin(server, "idle-busy", Duration.ofSeconds(15))).as("idle once the code ended").isTrue();
                assertThat(user.computeSessions().info("idle-idle")).as("compute_session finds running sessions only").isNull();
                assertThat(user.computeSessions().listAll("TERMINATED", null)).extracting(s -> s.sessId())
                        .contains("idle-idle", "idle-busy");

                assertThat(admin.resourcePolicies().update("brief", ResourcePolicySpec.builder().idleTimeout(0).build()).ok())
                        .isTrue();
                Kernel kept = user.kernels().getOrCreate(CreateKernelRequest.builder("bash").clientToken("idle-kept").build());
                server.recordSessionPids();
                assertThat(endsWithin(server, "idle-kept", Duration.ofSeconds(4))).as("no timeout any more").isFalse();
                kept.destroy();
                assertThatThrownBy(kept::info).isInstanceOf(BackendAPIError.class);
            }
        }
    }
}
