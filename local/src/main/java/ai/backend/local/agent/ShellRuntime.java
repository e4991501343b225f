package ai.backend.local.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs shell sessions: the bundled runner in shell mode, which runs each query with {@code <shell> -c}. */
public final class ShellRuntime implements Runtime {
    private final PythonRuntime python;
    private final String shell;

    public ShellRuntime(PythonRuntime python, String shell) {
        this.python = python;
        this.shell = shell;
    }

    /** The shell's path. */
    public String shell() {
        return shell;
    }

    @Override
    public String name() {
        return Path.of(shell).getFileName().toString();
    }

    @Override
    public List<String> command(Path runnerDir) {
        List<String> cmd = new java.util.ArrayList<>(python.command(runnerDir));
        cmd.add("--shell");
        cmd.add(shell);
        return cmd;
    }

    @Override
    public boolean isAvailable() {
        return python.isAvailable() && Files.isExecutable(Path.of(shell));
    }
}
