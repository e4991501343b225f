package ai.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.backend.client.BackendAPIError;
import ai.backend.client.Request;
import ai.backend.client.Session;
import ai.backend.client.admin.AgentInfo;
import ai.backend.client.kernel.CreateKernelRequest;
import ai.backend.client.kernel.ExecuteRequest;
import ai.backend.client.kernel.Kernel;
import ai.backend.local.agent.AcceleratorsTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A machine whose nvidia-smi reports GPUs: the agent reports them as cuda.device and hands whole devices to
 * sessions through CUDA_VISIBLE_DEVICES. There is no GPU here, so nvidia-smi is a script answering as the real one.
 */
class GpuAgentTest {
    private static String visibleDevices(Kernel k) {
        return k.execute(ExecuteRequest.query("echo \"[$CUDA_VISIBLE_DEVICES]\"")).stdout().strip();
    }

    @Test
    void gpusAreReportedAndHandedOutAsWholeDevices(@TempDir Path dir) throws Exception {
        String nvidiaSmi = AcceleratorsTest.fakeNvidiaSmi(dir, 2).toString();
        try (TestServer server = TestServer.start(cfg -> cfg.withNvidiaSmi(nvidiaSmi));
             Session admin = new Session(server.adminConfig()); Session user = new Session(server.userConfig())) {
            assertThat(user.fetch(Request.get("/etcd/resource-slots").build()).text())
                    .isEqualTo("{\"cpu\": \"count\", \"mem\": \"bytes\", \"cuda.device\": \"count\"}");
            AgentInfo agent = admin.agents().info("local");
            assertThat(agent.availableSlots()).contains("\"cuda.device\": \"2\"");
            assertThat(admin.agents().info("local", java.util.List.of("id", "gpu_slots")).raw().path("gpu_slots").asDouble())
                    .isEqualTo(2.0);

            Kernel first = user.kernels().getOrCreate(CreateKernelRequest.builder("bash").clientToken("gpu-a")
                    .resource("cuda.device", "1").build());
            Kernel second = user.kernels().getOrCreate(CreateKernelRequest.builder("bash").clientToken("gpu-b")
                    .resource("cuda.device", "1").build());
            Kernel none = user.kernels().getOrCreate(CreateKernelRequest.builder("bash").clientToken("gpu-none")
                    .environ(java.util.Map.of("CUDA_VISIBLE_DEVICES", "0,1")).build());
            server.recordSessionPids();
            assertThat(visibleDevices(first)).isEqualTo("[0]");
            assertThat(visibleDevices(second)).isEqualTo("[1]");
            assertThat(visibleDevices(none)).as("a session without GPUs sees none, whatever its environ says").isEqualTo("[]");
            assertThat(admin.agents().info("local").occupiedSlots()).contains("\"cuda.device\": \"2\"");
            assertThat(user.resources().checkPresets().scalingGroupRemaining()).containsEntry("cuda.device", "0");

            assertThatThrownBy(() -> user.kernels().getOrCreate(CreateKernelRequest.builder("bash").clientToken("gpu-c")
                    .resource("cuda.device", "1").build())).isInstanceOfSatisfying(BackendAPIError.class,
                    e -> assertThat(e.status()).isEqualTo(503));
            assertThatThrownBy(() -> user.kernels().getOrCreate(CreateKernelRequest.builder("bash").clientToken("gpu-d")
                    .resource("cuda.device", "0.5").build())).isInstanceOfSatisfying(BackendAPIError.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.getMessage()).contains("whole devices only");
                    });
            assertThat(user.computeSessions().listAll("RUNNING", null)).hasSize(3);

            first.destroy();
            Kernel again = user.kernels().getOrCreate(CreateKernelRequest.builder("bash").clientToken("gpu-e")
                    .resource("cuda.device", "1").build());
            server.recordSessionPids();
            assertThat(visibleDevices(again)).as("the freed device is given again").isEqualTo("[0]");
            again.restart();
            assertThat(visibleDevices(again)).as("a restart keeps the device").isEqualTo("[0]");
        }
    }

    @Test
    void withoutGpusTheSlotIsUnknown() {
        try (TestServer server = TestServer.start(cfg -> cfg.withNvidiaSmi(""));
             Session user = new Session(server.userConfig())) {
            assertThat(user.fetch(Request.get("/etcd/resource-slots").build()).text())
                    .isEqualTo("{\"cpu\": \"count\", \"mem\": \"bytes\"}");
            assertThatThrownBy(() -> user.kernels().getOrCreate(CreateKernelRequest.builder("bash")
                    .resource("cuda.device", "1").build())).isInstanceOfSatisfying(BackendAPIError.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.getMessage()).contains("Unknown requested resource slot: cuda.device");
                    });
            assertThat(server.server().sessionPids()).isEmpty();
        }
    }
}
