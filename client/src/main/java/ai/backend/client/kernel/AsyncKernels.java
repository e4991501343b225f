package ai.backend.client.kernel;

import ai.backend.client.internal.HttpEngine;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The kernel functions of an {@code AsyncSession}: {@code session.kernels()}. */
public final class AsyncKernels {
    private final HttpEngine engine;

    public AsyncKernels(HttpEngine engine) {
        this.engine = engine;
    }

    /** Creates or reuses a session; see {@link Kernels#getOrCreate}. */
    public CompletableFuture<AsyncKernel> getOrCreate(CreateKernelRequest request) {
        return engine.sendAsync(KernelCalls.create(request, engine.config()))
                .thenApply(r -> KernelCalls.parseCreate(r, request.clientToken()))
                .thenApply(c -> new AsyncKernel(engine, new SessionRef(c.id(), null, c.created(), c.servicePorts())));
    }

    public AsyncKernel of(String sessionId) {
        return new AsyncKernel(engine, new SessionRef(sessionId, null, true, List.of()));
    }

    public AsyncKernel of(String sessionId, String ownerAccessKey) {
        return new AsyncKernel(engine, new SessionRef(sessionId, ownerAccessKey, true, List.of()));
    }
}
