package ai.backend.local.agent;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs Python sessions with the machine's {@code python3} and the bundled runner script. */
public final class PythonRuntime implements Runtime {
    public static final String RUNNER_RESOURCE = "/ai/backend/local/runtime/python_runner.py";
    public static final String RUNNER_FILE = "python_runner.py";

    private final String executable;

    /** @param executable a path or a command name looked up on {@code PATH} */
    public PythonRuntime(String executable) {
        this.executable = executable;
    }

    /** The first of {@code python3} and {@code python} found on {@code PATH}, or {@code python3}. */
    public static PythonRuntime fromPath() {
        for (String name : new String[] {"python3", "python"}) {
            if (findOnPath(name) != null) {
                return new PythonRuntime(name);
            }
        }
        return new PythonRuntime("python3");
    }

    static Path findOnPath(String name) {
        if (name.contains(File.separator)) {
            Path p = Path.of(name);
            return Files.isExecutable(p) ? p : null;
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    @Override
    public String name() {
        return "python";
    }

    @Override
    public List<String> command(Path runnerDir) {
        return List.of(executable, "-u", runnerDir.resolve(RUNNER_FILE).toString());
    }

    @Override
    public boolean isAvailable() {
        return findOnPath(executable) != null;
    }
}
