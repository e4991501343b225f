package ai.backend.local.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the Python runner's own unit tests ({@code local/src/test/python}) with the machine's python3, so
 * that they are part of the one test command.
 */
class PythonRunnerSelfTest {
    @Test
    void pythonRunnerUnitTestsPass() throws Exception {
        Path module = Path.of("").toAbsolutePath();
        Process p = new ProcessBuilder("python3", "-m", "unittest", "discover", "-s", "src/test/python", "-v")
                .directory(module.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("python tests finished in time").isTrue();
        System.out.println(output);
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("OK").containsPattern("Ran \\d+ tests");
    }
}
