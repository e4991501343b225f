package ai.backend.client.manager;

import ai.backend.client.internal.HttpEngine;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The Manager family of an {@code AsyncSession}: the calls of {@link Manager}, without blocking. Futures fail with
 * {@link ai.backend.client.BackendAPIError} or {@link ai.backend.client.BackendClientError}; cancelling one
 * abandons the wait, not the request.
 */
public final class AsyncManager {
    private final Manager blocking;
    private final HttpEngine engine;

    public AsyncManager(HttpEngine engine) {
        this.engine = engine;
        this.blocking = new Manager(engine);
    }

    private <T> CompletableFuture<T> async(Supplier<T> call) {
        return CompletableFuture.supplyAsync(call, engine.executor());
    }

    public CompletableFuture<ManagerStatus> status() {
        return async(blocking::status);
    }

    public CompletableFuture<Void> freeze(boolean forceKill) {
        return async(() -> {
            blocking.freeze(forceKill);
            return null;
        });
    }

    public CompletableFuture<Void> unfreeze() {
        return async(() -> {
            blocking.unfreeze();
            return null;
        });
    }
}
