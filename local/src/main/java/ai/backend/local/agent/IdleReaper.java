package ai.backend.local.agent;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Enforces the {@code idle_timeout} of resource policies (seconds; 0 means none): once a second it terminates the
 * sessions unused for longer than their owner's policy allows. Use is any API call on the session, execution,
 * stream, terminal and app-proxy traffic; a session whose code is running (not waiting for input) is never idle.
 * The policy is read at every check, so a changed timeout applies at once. {@link #close()} stops it.
 */
final class IdleReaper implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(IdleReaper.class.getName());
    static final long PERIOD_MS = 1000;

    private final Agent agent;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "idle-reaper");
        t.setDaemon(true);
        return t;
    });

    IdleReaper(Agent agent) {
        this.agent = agent;
        timer.scheduleWithFixedDelay(this::check, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    private void check() {
        try {
            Map<String, Long> timeouts = new HashMap<>();
            for (LocalKernel kernel : agent.sessions()) {
                long seconds = timeouts.computeIfAbsent(kernel.accessKey(), this::timeoutOf);
                if (seconds > 0 && !kernel.isComputing() && kernel.idleFor().toMillis() > seconds * 1000) {
                    LOG.log(System.Logger.Level.INFO, "session {0} of {1} was idle for more than {2} s: terminating it",
                            kernel.sessionId(), kernel.accessKey(), seconds);
                    agent.destroy(kernel, "idle-timeout");
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "idle check failed", e);
        }
    }

    private long timeoutOf(String accessKey) {
        try {
            return agent.database().idleTimeoutSeconds(accessKey);
        } catch (SQLException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
