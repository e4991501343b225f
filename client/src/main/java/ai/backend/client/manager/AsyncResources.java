package ai.backend.client.manager;

import ai.backend.client.Request;
import ai.backend.client.internal.HttpEngine;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The Resource family for an {@code AsyncSession}: the calls of {@link Resources}, without blocking. Futures
 * complete on an SDK thread or fail with {@link ai.backend.client.BackendAPIError} or
 * {@link ai.backend.client.BackendClientError}; cancelling one abandons the wait, not the request.
 */
public final class AsyncResources {
    private final HttpEngine engine;

    public AsyncResources(HttpEngine engine) {
        this.engine = engine;
    }

    public CompletableFuture<List<ResourcePreset>> list() {
        return engine.sendAsync(Request.get("/resource/presets").build())
                .thenApply(r -> Resources.parsePresets(r.json().path("presets")));
    }

    public CompletableFuture<PresetCheck> checkPresets() {
        return engine.sendAsync(Request.post("/resource/check-presets").build()).thenApply(r -> Resources.parseCheck(r.json()));
    }
}
