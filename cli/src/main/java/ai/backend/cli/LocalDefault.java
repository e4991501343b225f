package ai.backend.cli;

import ai.backend.local.LocalServerConfig;
import ai.backend.local.ServerFiles;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The CLI's embedded default: the local server in the default data directory, started in the background
 * when it is not running. Uses only the small state files, so it loads no server classes itself.
 */
public final class LocalDefault {
    private static final long START_TIMEOUT_MS = 60_000;

    private LocalDefault() {
    }

    public static Path dataDir() {
        return LocalServerConfig.defaultDataDir();
    }

    /** The running server of {@code dataDir}, if its process is alive and its port answers. */
    public static Optional<ServerFiles.State> running(Path dataDir) {
        Optional<ServerFiles.State> state = ServerFiles.readState(dataDir);
        if (state.isEmpty() || !ProcessHandle.of(state.get().pid()).map(ProcessHandle::isAlive).orElse(false)) {
            return Optional.empty();
        }
        return answers(state.get().endpoint()) ? state : Optional.empty();
    }

    private static boolean answers(String endpoint) {
        java.net.URI uri = java.net.URI.create(endpoint);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Returns the running server of {@code dataDir}, starting one in the background (and saying so in one
     * line through {@code pretty}) when there is none.
     *
     * @throws IllegalStateException when the server does not come up within a minute
     */
    public static ServerFiles.State ensureRunning(Path dataDir, Pretty pretty) {
        Optional<ServerFiles.State> state = running(dataDir);
        if (state.isPresent()) {
            return state.get();
        }
        Process child = startBackground(dataDir);
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            state = running(dataDir);
            if (state.isPresent()) {
                pretty.info("Started the local Backend.AI server at " + state.get().endpoint() + " (data in "
                        + dataDir + "; stop it with 'backend.ai server stop').");
                return state.get();
            }
            if (!child.isAlive() && child.exitValue() != 0 && running(dataDir).isEmpty()) {
                throw new IllegalStateException("The local server could not start (exit status " + child.exitValue()
                        + "); see " + dataDir.resolve("server.log"));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while starting the local server", e);
            }
        }
        throw new IllegalStateException("The local server did not start within " + START_TIMEOUT_MS / 1000
                + " s; see " + dataDir.resolve("server.log"));
    }

    private static Process startBackground(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            String java = ProcessHandle.current().info().command().orElse(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString());
            List<String> cmd = new ArrayList<>();
            if (new File("/usr/bin/setsid").canExecute()) {
                cmd.add("/usr/bin/setsid");
            }
            cmd.add(java);
            cmd.add("-XX:+UseSerialGC");
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(Main.class.getName());
            cmd.add("server");
            cmd.add("--data-dir");
            cmd.add(dataDir.toString());
            cmd.add("--port");
            cmd.add(Integer.toString(freePortPreferring(LocalServerConfig.DEFAULT_PORT)));
            File log = dataDir.resolve("server.log").toFile();
            return new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the local server: " + e.getMessage(), e);
        }
    }

    /** {@code preferred} when it is free on the loopback address, else any free port. */
    static int freePortPreferring(int preferred) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", preferred));
            return preferred;
        } catch (IOException taken) {
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException e) {
                return preferred;
            }
        }
    }
}
