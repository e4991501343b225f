package ai.backend.cli;

import java.util.concurrent.CountDownLatch;

/**
 * The foreground commands ({@code server}, {@code proxy}, {@code app}): they serve until SIGINT or SIGTERM, and
 * stop cleanly in the JVM's shutdown hook.
 */
final class UntilSignalled {
    private final CountDownLatch stopped = new CountDownLatch(1);

    private UntilSignalled() {
    }

    /** Registers {@code stop} to run on SIGINT or SIGTERM (in a shutdown hook thread named {@code name}). */
    static UntilSignalled onSignal(String name, Runnable stop) {
        UntilSignalled u = new UntilSignalled();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stop.run();
            } finally {
                u.stopped.countDown();
            }
        }, name));
        return u;
    }

    /** Blocks until the stop has run (or this thread is interrupted), then returns exit status 0. */
    int await() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
