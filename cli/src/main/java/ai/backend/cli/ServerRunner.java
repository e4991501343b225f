package ai.backend.cli;

import ai.backend.local.LocalServer;
import ai.backend.local.LocalServerConfig;

/** Runs a local server in this process until SIGTERM or Ctrl-C, then stops it cleanly. */
final class ServerRunner {
    private ServerRunner() {
    }

    static int runForeground(LocalServerConfig config) {
        Pretty pretty = Pretty.stderr(false);
        LocalServer server;
        try {
            server = LocalServer.start(config);
        } catch (RuntimeException e) {
            pretty.fail("Cannot start the local server: " + e.getMessage());
            return 1;
        }
        UntilSignalled running = UntilSignalled.onSignal("local-server-shutdown", () -> {
            server.close();
        });
        System.out.println("Backend.AI local server " + ai.backend.client.Version.CLIENT_VERSION + " listening on "
                + server.endpoint());
        System.out.println("Data directory: " + server.dataDir());
        System.out.println("Keypairs: " + server.credentialsFile() + (server.isFirstStart() ? " (created now)" : "")
                + " — admin " + server.adminKeypair().accessKey() + ", user " + server.userKeypair().accessKey());
        System.out.println("Use it from a shell: eval \"$(backend.ai server env" + (config.dataDir().equals(
                LocalServerConfig.defaultDataDir()) ? "" : " --data-dir " + config.dataDir()) + ")\"");
        System.out.flush();
        return running.await();
    }
}
