package ai.backend.client.kernel;

import ai.backend.client.internal.HttpEngine;
import java.util.List;

/** The kernel (compute session) functions of a blocking {@code Session}: {@code session.kernels()}. */
public final class Kernels {
    private final HttpEngine engine;

    public Kernels(HttpEngine engine) {
        this.engine = engine;
    }

    /**
     * Creates a session, or reuses the caller's live session with the same token and image
     * ({@code kernel.ref().created()} is then false). Blocks until the session is ready.
     */
    public Kernel getOrCreate(CreateKernelRequest request) {
        KernelCalls.Created c = KernelCalls.parseCreate(
                engine.send(KernelCalls.create(request, engine.config())), request.clientToken());
        return new Kernel(engine, new SessionRef(c.id(), null, c.created(), c.servicePorts()));
    }

    /** A handle to an existing session of the caller, without a request. */
    public Kernel of(String sessionId) {
        return new Kernel(engine, new SessionRef(sessionId, null, true, List.of()));
    }

    /** A handle to an existing session owned by {@code ownerAccessKey} (admins only). */
    public Kernel of(String sessionId, String ownerAccessKey) {
        return new Kernel(engine, new SessionRef(sessionId, ownerAccessKey, true, List.of()));
    }
}
