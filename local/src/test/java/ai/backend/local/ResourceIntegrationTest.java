package ai.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.backend.client.BackendAPIError;
import ai.backend.client.Session;
import ai.backend.client.kernel.CreateKernelRequest;
import ai.backend.client.kernel.ExecutionResult;
import ai.backend.client.kernel.Kernel;
import ai.backend.local.store.Database;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Resource slots, policy quotas and memory enforcement (protocol §3.2.1). */
class ResourceIntegrationTest {
    private TestServer server;
    private Session user;
    private final List<Kernel> created = new ArrayList<>();

    @BeforeEach
    void start() {
        server = TestServer.start();
        user = new Session(server.userConfig());
    }

    @AfterEach
    void stop() {
        for (Kernel k : created) {
            try {
                k.destroy();
            } catch (BackendAPIError alreadyGone) {
                // destroyed by the test
            }
        }
        user.close();
        server.close();
    }

    private Kernel create(String token, String... resources) {
        CreateKernelRequest.Builder b = CreateKernelRequest.builder("python").clientToken(token);
        for (String r : resources) {
            b.resource(r.substring(0, r.indexOf('=')), r.substring(r.indexOf('=') + 1));
        }
        Kernel k = user.kernels().getOrCreate(b.build());
        created.add(k);
        server.recordSessionPids();
        return k;
    }

    private static void assertRefused(Runnable call, int status, String type, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(BackendAPIError.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.typeName()).isEqualTo(type);
            assertThat(e.message()).isEqualTo(message);
        });
    }

    @Test
    void requestsAreCheckedAgainstTheImageLimits() {
        assertRefused(() -> create("small", "mem=1m"), 400, "invalid-api-params",
                "Your resource request is smaller than the minimum required by the image. (cpu=0.01 mem=256m)");
        assertRefused(() -> create("large", "cpu=100000"), 400, "invalid-api-params",
                "Your resource request is larger than the maximum allowed by the image. ("
                        + server.server().agent().capacity() + ")");
        assertRefused(() -> create("badval", "mem=lots"), 400, "invalid-api-params", "Invalid resource value: mem=lots");
        Kernel ok = create("fits", "cpu=1", "mem=512m");
        assertThat(ok.ref().created()).isTrue();
        assertThat(server.server().agent().sessions()).hasSize(1);
    }

    @Test
    void theMachinesCapacityIsTheLimit() {
        int cpus = Runtime.getRuntime().availableProcessors();
        assertThat(server.server().agent().capacity().get("cpu").intValue()).isEqualTo(cpus);
        long memBytes = server.server().agent().capacity().get("mem").longValue();
        assertRefused(() -> create("toomuch", "mem=" + (memBytes + (1L << 30))), 400, "invalid-api-params",
                "Your resource request is larger than the maximum allowed by the image. ("
                        + server.server().agent().capacity() + ")");
        create("allcpus", "cpu=" + (cpus - 0.5));
        assertRefused(() -> create("onemore", "cpu=1"), 503, "instance-not-available", null);
        assertThat(create("small-one").ref().created()).as("the default slot, 0.01 CPU, still fits").isTrue();
    }

    @Test
    void maxConcurrentSessionsGives412() throws Exception {
        Database db = server.server().database();
        db.updateResourcePolicy(new Database.ResourcePolicy("default", "UNLIMITED", "{}", 2));
        create("conc-1");
        create("conc-2");
        assertRefused(() -> create("conc-3"), 412, "quota-exceeded", null);
        assertThat(create("conc-1").ref().created()).as("reusing a session is not a new one").isFalse();
        assertThat(server.server().agent().sessions()).hasSize(2);
    }

    @Test
    void thePolicyTotalIsEnforced() throws Exception {
        server.server().database().updateResourcePolicy(new Database.ResourcePolicy("default", "UNLIMITED",
                "{\"mem\": \"1g\"}", 10));
        create("quota-1", "mem=768m");
        assertRefused(() -> create("quota-2", "mem=512m"), 400, "invalid-api-params",
                "Your resource quota is exceeded. (cpu=Infinity mem=1g)");
        server.server().database().updateResourcePolicy(new Database.ResourcePolicy("default", "LIMITED", "{\"mem\": \"8g\"}", 10));
        assertRefused(() -> create("quota-3"), 400, "invalid-api-params", "Your resource quota is exceeded. (cpu=0 mem=8g)");
    }

    @Test
    void theMemorySlotIsEnforcedOnTheSessionsProcesses() {
        Kernel k = create("oomtest", "mem=256m");
        StringBuilder err = new StringBuilder();
        ExecutionResult last = k.run("x = b'x' * (700 * 1024 * 1024)\nprint('survived')", r -> err.append(r.stderr()));
        assertThat(last.stdout()).doesNotContain("survived");
        assertThat(err.toString()).contains("more than its memory slot (mem=256m)");
    }
}
