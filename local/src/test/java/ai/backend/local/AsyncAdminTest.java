package ai.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import ai.backend.client.AsyncSession;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The AsyncSession's admin GraphQL and manager functions. */
class AsyncAdminTest {
    @Test
    void queriesAndManagerCallsComplete() throws Exception {
        try (TestServer server = TestServer.start(); AsyncSession admin = new AsyncSession(server.adminConfig())) {
            assertThat(admin.admin().query("query { keypair { access_key is_admin } }", Map.of()).get(30, TimeUnit.SECONDS)
                    .at("/keypair/is_admin").asBoolean()).isTrue();
            assertThat(admin.manager().status().get(30, TimeUnit.SECONDS).status()).isEqualTo("running");
            admin.manager().freeze(false).get(30, TimeUnit.SECONDS);
            assertThat(admin.manager().status().get(30, TimeUnit.SECONDS).status()).isEqualTo("frozen");
            admin.manager().unfreeze().get(30, TimeUnit.SECONDS);
            assertThat(admin.manager().presets().get(30, TimeUnit.SECONDS)).hasSize(3);
            assertThat(admin.manager().checkPresets().get(30, TimeUnit.SECONDS).keypairLimits()).containsKey("cpu");
        }
    }
}
