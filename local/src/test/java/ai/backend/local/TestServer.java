package ai.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import ai.backend.client.APIConfig;
import ai.backend.local.store.Keypair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A real local server on a free loopback port with a fresh data directory, for integration tests.
 * {@link #close()} stops it and checks that no session process outlived it.
 */
public final class TestServer implements AutoCloseable {
    private final LocalServer server;
    private final Path dataDir;
    private final List<Long> seenPids = new ArrayList<>();

    private TestServer(LocalServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    public static TestServer start() {
        return start(Duration.ofSeconds(2));
    }

    public static TestServer start(Duration flushWindow) {
        return start(cfg -> cfg.withFlushWindow(flushWindow));
    }

    /** A server on a free port and a fresh data directory, its configuration changed by {@code tweak}. */
    public static TestServer start(java.util.function.UnaryOperator<LocalServerConfig> tweak) {
        try {
            Path dir = Files.createTempDirectory("backendai-test-");
            LocalServerConfig cfg = tweak.apply(LocalServerConfig.defaults(dir).withPort(0));
            return new TestServer(LocalServer.start(cfg), dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public LocalServer server() {
        return server;
    }

    public String endpoint() {
        return server.endpoint();
    }

    public APIConfig config(Keypair k) {
        return APIConfig.builder().endpoint(endpoint()).accessKey(k.accessKey()).secretKey(k.secretKey()).build();
    }

    public APIConfig userConfig() {
        return config(server.userKeypair());
    }

    public APIConfig adminConfig() {
        return config(server.adminKeypair());
    }

    /** Remembers the current session PIDs, so that {@link #close()} can check they all ended. */
    public List<Long> recordSessionPids() {
        List<Long> pids = server.sessionPids();
        seenPids.addAll(pids);
        return pids;
    }

    public static boolean isAlive(long pid) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        return p.isPresent() && p.get().isAlive();
    }

    @Override
    public void close() {
        recordSessionPids();
        server.close();
        for (long pid : seenPids) {
            assertThat(isAlive(pid)).as("session process %d outlived the server", pid).isFalse();
        }
        ai.backend.local.agent.AgentTestAccess.deleteTree(dataDir);
    }
}
