package ai.backend.examples;

import ai.backend.client.APIConfig;
import ai.backend.client.Session;
import ai.backend.client.kernel.BatchOptions;
import ai.backend.client.kernel.CreateKernelRequest;
import ai.backend.client.kernel.ExecuteRequest;
import ai.backend.client.kernel.ExecutionResult;
import ai.backend.client.kernel.Kernel;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Batch mode with upload: writes a small program and a build step to a directory, uploads them, and runs
 * the batch steps (clean, build, exec), printing each step's end and the program's output.
 */
public final class BatchMode {
    private BatchMode() {
    }

    public static void main(String[] args) throws IOException {
        run(APIConfig.fromEnvironment(), System.out, Files.createTempDirectory("batch-example"));
    }

    public static void run(APIConfig config, PrintStream out, Path workDir) {
        try {
            Files.writeString(workDir.resolve("main.py"), "import greeting\nprint(greeting.text())\n");
            Files.writeString(workDir.resolve("greeting.py.in"), "def text():\n    return 'built and run in batch mode'\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Session session = new Session(config)) {
            Kernel kernel = session.kernels().getOrCreate(CreateKernelRequest.builder("python").build());
            try {
                kernel.upload(List.of(workDir.resolve("main.py"), workDir.resolve("greeting.py.in")), workDir);
                ExecutionResult r = kernel.execute(ExecuteRequest.batch(
                        new BatchOptions(null, "cp greeting.py.in greeting.py", "python main.py")));
                while (true) {
                    out.print(r.stdout());
                    System.err.print(r.stderr());
                    switch (r.status()) {
                        case CLEAN_FINISHED:
                        case BUILD_FINISHED:
                            out.println("[" + r.status().wireName() + ", exit code " + r.exitCode() + "]");
                            break;
                        default:
                            break;
                    }
                    if (r.isFinished()) {
                        out.println("[finished, exit code " + r.exitCode() + "]");
                        break;
                    }
                    r = kernel.execute(ExecuteRequest.continueRun(r.runId()));
                }
            } finally {
                kernel.destroy();
            }
        }
    }
}
