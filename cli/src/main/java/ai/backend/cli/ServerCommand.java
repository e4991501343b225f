package ai.backend.cli;

import ai.backend.local.LocalServerConfig;
import ai.backend.local.ServerFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code backend.ai server}: runs the local server in the foreground; {@code stop}, {@code env}, {@code status}. */
@Command(name = "server", mixinStandardHelpOptions = true,
        subcommands = {ServerCommand.Stop.class, ServerCommand.Env.class, ServerCommand.Status.class})
final class ServerCommand implements Callable<Integer> {
    @Option(names = "--host", defaultValue = LocalServerConfig.DEFAULT_HOST, description = "The address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8081", description = "The port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "The data directory (default: $BACKEND_LOCAL_DATA_DIR or ~/.backend.ai/local).")
    Path dataDir;

    @Option(names = "--flush-window", paramLabel = "MILLIS", defaultValue = "2000",
            description = "How long a REST execute call collects output before answering 'continued' (default: ${DEFAULT-VALUE}).")
    long flushWindowMillis;

    @Option(names = "--exec-timeout", paramLabel = "SECONDS", defaultValue = "0",
            description = "End runs that take longer with exec-timeout, unless the session sets its own (default: 0, no limit).")
    double execTimeoutSeconds;

    @Option(names = "--max-session-upload-bytes", paramLabel = "BYTES", defaultValue = "1048576",
            description = "Each file uploaded to a session must be smaller (default: ${DEFAULT-VALUE}, the manager's).")
    long maxUploadBytes;

    @Option(names = "--max-session-download-bytes", paramLabel = "BYTES", defaultValue = "1048576",
            description = "The archive of each path downloaded from a session must fit (default: ${DEFAULT-VALUE}).")
    long maxArchiveBytes;

    @Option(names = "--python", paramLabel = "INTERPRETER",
            description = "The Python of python sessions and their app services (default: python3 on PATH).")
    String python;

    @Option(names = "--nvidia-smi", paramLabel = "COMMAND",
            description = "Asked for the machine's GPUs, given to sessions as cuda.device (default: nvidia-smi on PATH; '' for none).")
    String nvidiaSmi;

    @Override
    public Integer call() {
        Path dir = dataDir == null ? LocalServerConfig.defaultDataDir() : dataDir;
        ai.backend.local.SessionFileLimits defaults = ai.backend.local.SessionFileLimits.defaults();
        LocalServerConfig config = LocalServerConfig.defaults(dir).withHost(host).withPort(port)
                .withFlushWindow(Duration.ofMillis(flushWindowMillis))
                .withExecTimeout(Duration.ofMillis(Math.round(execTimeoutSeconds * 1000)))
                .withFileLimits(new ai.backend.local.SessionFileLimits(defaults.maxUploadFiles(), maxUploadBytes,
                        defaults.maxDownloadFiles(), maxArchiveBytes))
                .withNvidiaSmi(nvidiaSmi)
                .withPython(python);
        return ServerRunner.runForeground(config);
    }

    static Path dir(Path option) {
        return option == null ? LocalServerConfig.defaultDataDir() : option;
    }

    /** {@code backend.ai server stop}. */
    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the local server of the data directory.")
    static final class Stop implements Callable<Integer> {
        @Option(names = "--data-dir", paramLabel = "DIR", description = "The data directory.")
        Path dataDir;

        @Override
        public Integer call() throws InterruptedException {
            Pretty pretty = Pretty.stderr(false);
            Path dir = dir(dataDir);
            Optional<ServerFiles.State> state = ServerFiles.readState(dir);
            Optional<ProcessHandle> process = state.flatMap(s -> ProcessHandle.of(s.pid())).filter(ProcessHandle::isAlive);
            if (process.isEmpty()) {
                pretty.info("No local server is running for " + dir + ".");
                return 0;
            }
            pretty.waiting("Stopping the local server (pid " + process.get().pid() + ")...");
            process.get().destroy();
            try {
                process.get().onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                process.get().destroyForcibly();
                process.get().onExit().join();
            }
            pretty.done("Stopped the local server (pid " + process.get().pid() + ").");
            return 0;
        }
    }

    /** {@code backend.ai server env}: export lines for shells and other clients. */
    @Command(name = "env", mixinStandardHelpOptions = true,
            description = {"Print the local server's endpoint and a keypair as shell export lines:",
                    "  eval \"$(backend.ai server env)\"",
                    "Starts the server in the background if it is not running. On a terminal the secret key is masked",
                    "unless --show-secret is given."})
    static final class Env implements Callable<Integer> {
        @Option(names = "--data-dir", paramLabel = "DIR", description = "The data directory.")
        Path dataDir;

        @Option(names = "--admin", description = "Print the admin keypair instead of the user keypair.")
        boolean admin;

        @Option(names = "--show-secret", description = "Print the secret key even when the output is a terminal.")
        boolean showSecret;

        @Override
        public Integer call() {
            Pretty pretty = Pretty.stderr(false);
            Path dir = dir(dataDir);
            ServerFiles.State state = LocalDefault.ensureRunning(dir, pretty);
            ServerFiles.Credentials c = ServerFiles.readCredentials(dir, admin).orElseThrow(() ->
                    new IllegalStateException("The local server's keypairs are missing from " + dir));
            boolean mask = System.console() != null && !showSecret;
            String secret = mask ? ai.backend.client.APIConfig.maskSecret(c.secretKey()) : c.secretKey();
            System.out.println("export BACKEND_ENDPOINT=" + state.endpoint());
            System.out.println("export BACKEND_ACCESS_KEY=" + c.accessKey());
            System.out.println("export BACKEND_SECRET_KEY=" + secret);
            if (mask) {
                pretty.warn("The secret key is masked on a terminal; use eval \"$(backend.ai server env)\" or --show-secret.");
            }
            return 0;
        }
    }

    /** {@code backend.ai server status}. */
    @Command(name = "status", mixinStandardHelpOptions = true, description = "Tell whether the local server is running.")
    static final class Status implements Callable<Integer> {
        @Option(names = "--data-dir", paramLabel = "DIR", description = "The data directory.")
        Path dataDir;

        @Override
        public Integer call() {
            Path dir = dir(dataDir);
            Optional<ServerFiles.State> state = LocalDefault.running(dir);
            if (state.isEmpty()) {
                System.out.println("not running (data directory " + dir + ")");
                return 3;
            }
            System.out.println("running at " + state.get().endpoint() + " (pid " + state.get().pid() + ", data directory " + dir + ")");
            return 0;
        }
    }
}
