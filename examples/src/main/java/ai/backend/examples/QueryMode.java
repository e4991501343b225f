package ai.backend.examples;

import ai.backend.client.APIConfig;
import ai.backend.client.Session;
import ai.backend.client.kernel.CreateKernelRequest;
import ai.backend.client.kernel.ExecuteRequest;
import ai.backend.client.kernel.ExecutionResult;
import ai.backend.client.kernel.Kernel;
import java.io.PrintStream;

/**
 * Query mode: run snippets in one session, keeping interpreter state between them, following the
 * continue loop until each run finishes. Configure with BACKEND_ENDPOINT / _ACCESS_KEY / _SECRET_KEY.
 */
public final class QueryMode {
    private QueryMode() {
    }

    public static void main(String[] args) {
        run(APIConfig.fromEnvironment(), System.out);
    }

    public static void run(APIConfig config, PrintStream out) {
        try (Session session = new Session(config)) {
            Kernel kernel = session.kernels().getOrCreate(CreateKernelRequest.builder("python:3.6-ubuntu18.04").build());
            try {
                for (String code : new String[] {"a = 1\nb = 2", "print(a + b)", "print('hello, ' * 3)"}) {
                    ExecutionResult result = kernel.execute(ExecuteRequest.query(code));
                    while (true) {
                        out.print(result.stdout());
                        System.err.print(result.stderr());
                        if (result.isFinished()) {
                            break;
                        }
                        result = kernel.execute(ExecuteRequest.continueRun(result.runId()));
                    }
                }
            } finally {
                kernel.destroy();
            }
        }
    }
}
