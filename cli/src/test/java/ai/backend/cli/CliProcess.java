package ai.backend.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the built CLI as a separate process with a controlled environment and a temporary HOME. */
final class CliProcess {
    record Result(int exitCode, String stdout, String stderr) {
    }

    static Path projectDir() {
        String dir = System.getProperty("backendai.project.dir");
        if (dir != null) {
            return Path.of(dir);
        }
        return Path.of("").toAbsolutePath().getParent();
    }

    /** The environment of a fresh user: PATH and JAVA_HOME only, and the given HOME. */
    static Map<String, String> cleanEnv(Path home) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv("PATH"));
        if (System.getenv("JAVA_HOME") != null) {
            env.put("JAVA_HOME", System.getenv("JAVA_HOME"));
        }
        env.put("HOME", home.toString());
        env.put("NO_COLOR", "1");
        return env;
    }

    /** Runs {@code bin/backend.ai args...}; fails the test if it takes over {@code timeoutSeconds}. */
    static Result run(Map<String, String> env, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        return runWithInput(env, timeoutSeconds, null, args);
    }

    /** Like {@link #run}, with {@code input} (or nothing, when null) on standard input. */
    static Result runWithInput(Map<String, String> env, long timeoutSeconds, String input, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(projectDir().resolve("bin/backend.ai").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(projectDir().toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Path out = Files.createTempFile("cli-out", ".txt");
        Path err = Files.createTempFile("cli-err", ".txt");
        try {
            Path in = Files.createTempFile("cli-in", ".txt");
            Files.writeString(in, input == null ? "" : input);
            in.toFile().deleteOnExit();
            pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(in.toFile()));
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("backend.ai " + String.join(" ", args) + " did not finish in " + timeoutSeconds
                        + " s; stderr: " + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
