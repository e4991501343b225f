package ai.backend.examples;

import ai.backend.client.APIConfig;
import ai.backend.client.AsyncSession;
import ai.backend.client.kernel.CreateKernelRequest;
import ai.backend.client.kernel.ExecutionResult;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Async streaming: three sessions run concurrently from one AsyncSession, each streaming its output over a
 * WebSocket to a callback; the example waits for all three to finish.
 */
public final class AsyncStreaming {
    private AsyncStreaming() {
    }

    public static void main(String[] args) {
        run(APIConfig.fromEnvironment(), System.out);
    }

    public static void run(APIConfig config, PrintStream out) {
        try (AsyncSession session = new AsyncSession(config)) {
            List<CompletableFuture<String>> runs = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                int n = i;
                StringBuilder collected = new StringBuilder();
                runs.add(session.kernels().getOrCreate(CreateKernelRequest.builder("python").build())
                        .thenCompose(kernel -> kernel.stream(
                                "import time\nfor i in range(3):\n    print(" + n + " * 10 + i, flush=True)\n    time.sleep(0.1)",
                                Duration.ofSeconds(30), (ExecutionResult r) -> collected.append(r.stdout()))
                                .thenCompose(stream -> stream.completion())
                                .thenCompose(last -> kernel.destroy())
                                .thenApply(stats -> "session " + n + ": " + collected.toString().replace("\n", " ").trim())));
            }
            for (CompletableFuture<String> run : runs) {
                out.println(run.join());
            }
        }
    }
}
