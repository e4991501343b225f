package ai.backend.local.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Enforces the memory slot of every session as an out-of-memory killer would: a few times a second it
 * sums the resident memory of each session's process tree, and when a tree exceeds its slot it kills the
 * largest process of that tree (SIGKILL), after telling the session why. {@link #close()} stops it.
 */
final class MemoryWatchdog implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(MemoryWatchdog.class.getName());
    static final long PERIOD_MS = 250;

    private final Supplier<List<LocalKernel>> sessions;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "memory-watchdog");
        t.setDaemon(true);
        return t;
    });

    MemoryWatchdog(Supplier<List<LocalKernel>> sessions) {
        this.sessions = sessions;
        timer.scheduleWithFixedDelay(this::check, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    private void check() {
        try {
            List<LocalKernel> live = sessions.get();
            if (live.isEmpty()) {
                return;
            }
            Map<Long, List<Long>> children = new HashMap<>();
            ProcessHandle.allProcesses().forEach(p -> p.parent().ifPresent(parent ->
                    children.computeIfAbsent(parent.pid(), k -> new ArrayList<>()).add(p.pid())));
            for (LocalKernel kernel : live) {
                long limit = kernel.memoryLimitBytes();
                if (limit <= 0 || !kernel.isAlive()) {
                    continue;
                }
                List<Long> tree = new ArrayList<>();
                collect(kernel.pid(), children, tree);
                long total = 0;
                long biggestPid = -1;
                long biggestRss = -1;
                for (long pid : tree) {
                    long rss = rssBytes(pid);
                    total += rss;
                    if (rss > biggestRss) {
                        biggestRss = rss;
                        biggestPid = pid;
                    }
                }
                if (total > limit && biggestPid > 0) {
                    kernel.memoryExceeded(biggestPid, total);
                    ProcessHandle.of(biggestPid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "memory check failed", e);
        }
    }

    private static void collect(long pid, Map<Long, List<Long>> children, List<Long> out) {
        out.add(pid);
        for (long child : children.getOrDefault(pid, List.of())) {
            collect(child, children, out);
        }
    }

    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    String v = line.substring(6).trim();
                    return Long.parseLong(v.substring(0, v.indexOf(' '))) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
