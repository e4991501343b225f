package ai.backend.local.api;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-keypair rolling window of the manager (protocol §1.3): at most {@code rate_limit} requests in
 * 900 seconds. Thread-safe.
 */
final class RateLimiter {
    static final int WINDOW_SECONDS = 900;
    private final Map<String, ArrayDeque<Long>> hits = new ConcurrentHashMap<>();

    /**
     * Counts a request and returns how many remain in the window.
     *
     * @throws Problem 429 when the limit is exceeded
     */
    int hit(String accessKey, int limit) {
        ArrayDeque<Long> q = hits.computeIfAbsent(accessKey, k -> new ArrayDeque<>());
        long now = System.nanoTime();
        long windowStart = now - WINDOW_SECONDS * 1_000_000_000L;
        synchronized (q) {
            while (!q.isEmpty() && q.peekFirst() < windowStart) {
                q.pollFirst();
            }
            q.addLast(now);
            if (q.size() > limit) {
                throw Problem.rateLimitExceeded();
            }
            return limit - q.size();
        }
    }
}
