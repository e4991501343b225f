package ai.backend.local.agent;

import java.nio.file.Path;
import java.util.List;

/**
 * How sessions of an image are run on this machine: the command that starts the session's runner
 * process. Every runtime speaks the runner protocol of {@code python_runner.py}.
 */
public interface Runtime {
    /** The runtime's name, e.g. {@code python}. */
    String name();

    /** The command line that starts a runner; {@code runnerDir} holds the extracted runner scripts. */
    List<String> command(Path runnerDir);

    /** Whether the interpreter this runtime needs exists on the machine. */
    boolean isAvailable();
}
