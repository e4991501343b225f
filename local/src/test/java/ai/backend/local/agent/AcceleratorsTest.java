package ai.backend.local.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading the GPUs from {@code nvidia-smi}. This machine has no GPU, so the commands here are scripts that answer
 * as nvidia-smi 535 does (its CSV format, its failure when no driver is loaded).
 */
public class AcceleratorsTest {
    static Path script(Path dir, String name, String body) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /** A stand-in nvidia-smi with {@code count} GPUs that checks it was asked the query the agent relies on. */
    public static Path fakeNvidiaSmi(Path dir, int count) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < count; i++) {
            lines.append("echo '").append(i).append(", GPU-4b3c2a1f-000").append(i)
                    .append(", NVIDIA A100-SXM4-40GB, 40960'\n");
        }
        return script(dir, "nvidia-smi", "[ \"$1\" = '--query-gpu=index,uuid,name,memory.total' ] || exit 9\n"
                + "[ \"$2\" = '--format=csv,noheader,nounits' ] || exit 9\n" + lines);
    }

    @Test
    void parsesTheCsvOfNvidiaSmi() {
        var gpus = Accelerators.parse("0, GPU-aaaa, Tesla V100-SXM2-16GB, 16160\n1, GPU-bbbb, NVIDIA GeForce RTX 3090, [N/A]\n\n");
        assertThat(gpus).hasSize(2);
        assertThat(gpus.get(0)).isEqualTo(new Accelerators.Gpu(0, "GPU-aaaa", "Tesla V100-SXM2-16GB", 16160L << 20));
        assertThat(gpus.get(1).memoryBytes()).isZero();
        assertThat(gpus.get(1).name()).isEqualTo("NVIDIA GeForce RTX 3090");
        assertThat(Accelerators.parse("0, GPU-c, Name, with comma, 100").get(0).name()).isEqualTo("Name, with comma");
        assertThatThrownBy(() -> Accelerators.parse("No devices were found")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void probeReportsWhatTheCommandAnswers(@TempDir Path dir) throws Exception {
        assertThat(Accelerators.probe(fakeNvidiaSmi(dir, 2).toString())).extracting(Accelerators.Gpu::index).containsExactly(0, 1);
    }

    @Test
    void noCommandAFailingOneOrGarbageMeanNoGpus(@TempDir Path dir) throws Exception {
        assertThat(Accelerators.probe(dir.resolve("missing-nvidia-smi").toString())).isEmpty();
        assertThat(Accelerators.probe("")).isEmpty();
        assertThat(Accelerators.probe(script(dir, "no-driver", "echo 'NVIDIA-SMI has failed because it couldn'\"'\"'t"
                + " communicate with the NVIDIA driver.'; exit 9").toString())).isEmpty();
        assertThat(Accelerators.probe(script(dir, "garbage", "echo 'No devices were found'").toString())).isEmpty();
    }
}
