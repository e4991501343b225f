package ai.backend.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a local server: where it listens, where it keeps its state, and its timing.
 *
 * @param host          the address to bind; {@code 127.0.0.1} by default
 * @param port          the port; 0 picks a free one
 * @param dataDir       the directory holding the database, credentials, session directories and logs
 * @param flushWindow   how long a REST execute call collects output before answering {@code continued}
 * @param startTimeout  how long session creation waits for a runner to start
 * @param python        the Python interpreter for python sessions (a path or a name on PATH)
 * @param execTimeout   the execution timeout of sessions that set none ({@code config.execTimeout}); zero: none
 * @param fileLimits    limits on session file uploads and downloads
 * @param nvidiaSmi     the {@code nvidia-smi} command asked for the machine's GPUs (a path or a name on PATH); null
 *                      for {@code nvidia-smi}, empty to report no accelerators
 */
public record LocalServerConfig(String host, int port, Path dataDir, Duration flushWindow, Duration startTimeout,
                                String python, Duration execTimeout, SessionFileLimits fileLimits, String nvidiaSmi) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8081;
    public static final Duration DEFAULT_FLUSH_WINDOW = Duration.ofSeconds(2);

    public LocalServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(flushWindow, "flushWindow");
        Objects.requireNonNull(startTimeout, "startTimeout");
        execTimeout = execTimeout == null ? Duration.ZERO : execTimeout;
        fileLimits = fileLimits == null ? SessionFileLimits.defaults() : fileLimits;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("The port must be between 0 and 65535, not " + port);
        }
    }

    /** The defaults: 127.0.0.1:8081, the given data directory, a 2 s flush window, python3 from PATH. */
    public static LocalServerConfig defaults(Path dataDir) {
        return new LocalServerConfig(DEFAULT_HOST, DEFAULT_PORT, dataDir, DEFAULT_FLUSH_WINDOW, Duration.ofSeconds(30), null,
                Duration.ZERO, SessionFileLimits.defaults(), null);
    }

    /** The default data directory: {@code $BACKEND_LOCAL_DATA_DIR}, else {@code $HOME/.backend.ai/local}. */
    public static Path defaultDataDir() {
        String override = System.getenv("BACKEND_LOCAL_DATA_DIR");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String home = System.getenv("HOME");
        return Path.of(home == null || home.isBlank() ? System.getProperty("user.home") : home, ".backend.ai", "local");
    }

    public LocalServerConfig withPort(int newPort) {
        return new LocalServerConfig(host, newPort, dataDir, flushWindow, startTimeout, python, execTimeout, fileLimits, nvidiaSmi);
    }

    public LocalServerConfig withHost(String newHost) {
        return new LocalServerConfig(newHost, port, dataDir, flushWindow, startTimeout, python, execTimeout, fileLimits, nvidiaSmi);
    }

    public LocalServerConfig withExecTimeout(Duration timeout) {
        return new LocalServerConfig(host, port, dataDir, flushWindow, startTimeout, python, timeout, fileLimits, nvidiaSmi);
    }

    public LocalServerConfig withPython(String interpreter) {
        return new LocalServerConfig(host, port, dataDir, flushWindow, startTimeout, interpreter, execTimeout, fileLimits, nvidiaSmi);
    }

    public LocalServerConfig withFileLimits(SessionFileLimits limits) {
        return new LocalServerConfig(host, port, dataDir, flushWindow, startTimeout, python, execTimeout, limits, nvidiaSmi);
    }

    public LocalServerConfig withNvidiaSmi(String command) {
        return new LocalServerConfig(host, port, dataDir, flushWindow, startTimeout, python, execTimeout, fileLimits, command);
    }

    public LocalServerConfig withFlushWindow(Duration window) {
        return new LocalServerConfig(host, port, dataDir, window, startTimeout, python, execTimeout, fileLimits, nvidiaSmi);
    }
}
