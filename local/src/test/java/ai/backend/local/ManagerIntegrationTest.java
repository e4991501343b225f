package ai.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.backend.client.BackendAPIError;
import ai.backend.client.Request;
import ai.backend.client.Session;
import ai.backend.client.kernel.CreateKernelRequest;
import ai.backend.client.kernel.ExecuteRequest;
import ai.backend.client.kernel.Kernel;
import ai.backend.client.manager.PresetCheck;
import ai.backend.client.manager.ResourcePreset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Manager status and freeze (§3.1, §1.4), resource slots and presets (§3.4). */
class ManagerIntegrationTest {
    @Test
    void freezingRefusesNewSessionsAndFoldersUntilUnfrozen() {
        try (TestServer server = TestServer.start(); Session user = new Session(server.userConfig());
             Session admin = new Session(server.adminConfig())) {
            Kernel k = user.kernels().getOrCreate(CreateKernelRequest.builder("python").clientToken("frozen-" + System.nanoTime()).build());
            server.recordSessionPids();
            assertThat(user.manager().status().status()).isEqualTo("running");
            assertThat(user.manager().status().activeSessions()).isEqualTo(1);
            assertThatThrownBy(() -> user.manager().freeze(false)).isInstanceOfSatisfying(BackendAPIError.class,
                    e -> assertThat(e.status()).isEqualTo(401));
            admin.manager().freeze(false);
            assertThat(user.manager().status().status()).isEqualTo("frozen");
            assertThatThrownBy(() -> user.kernels().getOrCreate(CreateKernelRequest.builder("python").build()))
                    .isInstanceOfSatisfying(BackendAPIError.class, e -> {
                        assertThat(e.status()).isEqualTo(503);
                        assertThat(e.typeName()).isEqualTo("server-frozen");
                        assertThat(e.title()).isEqualTo("The server is frozen due to maintenance. Please try again later.");
                    });
            assertThatThrownBy(() -> user.vfolders().create("duringfreeze", null))
                    .isInstanceOfSatisfying(BackendAPIError.class, e -> assertThat(e.status()).isEqualTo(503));
            assertThat(k.execute(ExecuteRequest.query("print('still running')")).stdout()).isEqualTo("still running\n");
            admin.manager().freeze(true);
            assertThat(user.manager().status().activeSessions()).isZero();
            assertThat(server.server().agent().sessions()).isEmpty();
            admin.manager().unfreeze();
            assertThat(user.manager().status().status()).isEqualTo("running");
            Kernel again = user.kernels().getOrCreate(CreateKernelRequest.builder("python").clientToken("thawed-" + System.nanoTime()).build());
            server.recordSessionPids();
            again.destroy();
        }
    }

    @Test
    void badStatusChangesAreRefusedAndChangeNothing() {
        try (TestServer server = TestServer.start(); Session admin = new Session(server.adminConfig())) {
            for (Object[] c : new Object[][] {{Map.of(), "status is missing or empty!"},
                    {Map.of("status", "sleeping"), "'sleeping' is not a valid ManagerStatus"}}) {
                assertThatThrownBy(() -> admin.fetch(Request.put("/manager/status").jsonBody(c[0]).build()))
                        .isInstanceOfSatisfying(BackendAPIError.class, e -> {
                            assertThat(e.status()).isEqualTo(400);
                            assertThat(e.message()).isEqualTo(c[1]);
                        });
            }
            assertThatThrownBy(() -> admin.fetch(Request.put("/manager/status").build()))
                    .isInstanceOfSatisfying(BackendAPIError.class, e -> assertThat(e.message()).isEqualTo("No request body!"));
            assertThat(admin.manager().status().status()).isEqualTo("running");
        }
    }

    @Test
    void resourceSlotsAndPresetsReportWhatCanStillBeAllocated() {
        try (TestServer server = TestServer.start(); Session user = new Session(server.userConfig())) {
            assertThat(user.fetch(Request.get("/etcd/resource-slots").build()).text()).isEqualTo("{\"cpu\": \"count\", \"mem\": \"bytes\"}");
            List<ResourcePreset> presets = user.resources().list();
            assertThat(presets).extracting(ResourcePreset::name).containsExactly("large", "medium", "small");
            assertThat(presets.get(2).resourceSlots()).containsEntry("cpu", "1").containsEntry("mem", "1073741824");
            Kernel k = user.kernels().getOrCreate(CreateKernelRequest.builder("python").clientToken("presets-" + System.nanoTime())
                    .resource("mem", "512m").build());
            server.recordSessionPids();
            PresetCheck check = user.resources().checkPresets();
            assertThat(check.keypairLimits()).containsEntry("cpu", "Infinity").containsEntry("mem", "Infinity");
            assertThat(check.keypairUsing()).containsEntry("cpu", "0.01").containsEntry("mem", Long.toString(512L << 20));
            assertThat(check.keypairRemaining()).containsEntry("mem", "Infinity");
            long memLeft = server.server().agent().capacity().get("mem").longValue() - (512L << 20);
            assertThat(check.scalingGroupRemaining()).containsEntry("mem", Long.toString(memLeft));
            int cpus = Runtime.getRuntime().availableProcessors();
            assertThat(check.presets()).allSatisfy(p -> assertThat(p.allocatable())
                    .isEqualTo(Double.parseDouble(p.resourceSlots().get("cpu")) <= cpus - 0.01));
            k.destroy();
        }
    }
}
