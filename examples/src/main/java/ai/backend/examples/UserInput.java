package ai.backend.examples;

import ai.backend.client.APIConfig;
import ai.backend.client.Session;
import ai.backend.client.kernel.CreateKernelRequest;
import ai.backend.client.kernel.ExecutionListener;
import ai.backend.client.kernel.ExecutionResult;
import ai.backend.client.kernel.Kernel;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.List;

/** Handling user input: the program calls input(); each prompt is answered from a list of lines. */
public final class UserInput {
    private UserInput() {
    }

    public static void main(String[] args) {
        run(APIConfig.fromEnvironment(), System.out, List.of(args.length > 0 ? args[0] : "Lablup", "42"));
    }

    public static void run(APIConfig config, PrintStream out, List<String> answers) {
        Iterator<String> lines = answers.iterator();
        try (Session session = new Session(config)) {
            Kernel kernel = session.kernels().getOrCreate(CreateKernelRequest.builder("python").build());
            try {
                kernel.run("name = input('What is your name? ')\nage = int(input('How old are you? '))\n"
                        + "print(f'Hello, {name}! Next year you will be {age + 1}.')", new ExecutionListener() {
                            @Override
                            public void onResult(ExecutionResult result) {
                                out.print(result.stdout());
                            }

                            @Override
                            public String onInputRequested(ExecutionResult result) {
                                String line = lines.next();
                                out.println(line);
                                return line;
                            }
                        });
            } finally {
                kernel.destroy();
            }
        }
    }
}
