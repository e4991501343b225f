package ai.backend.client.kernel;

import ai.backend.client.internal.HttpEngine;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A handle to one compute session, for non-blocking calls. Futures complete on an SDK thread; they fail
 * with {@link ai.backend.client.BackendAPIError} or {@link ai.backend.client.BackendClientError}.
 * Cancelling a future abandons waiting for the answer; the server may still carry the call out.
 */
public final class AsyncKernel {
    private final HttpEngine engine;
    private final String id;
    private final String ownerAccessKey;
    private final boolean created;
    private final List<ServicePort> servicePorts;

    AsyncKernel(HttpEngine engine, String id, String ownerAccessKey, boolean created, List<ServicePort> servicePorts) {
        this.engine = engine;
        this.id = id;
        this.ownerAccessKey = ownerAccessKey;
        this.created = created;
        this.servicePorts = List.copyOf(servicePorts);
    }

    public String id() {
        return id;
    }

    public String ownerAccessKey() {
        return ownerAccessKey;
    }

    public boolean created() {
        return created;
    }

    public List<ServicePort> servicePorts() {
        return servicePorts;
    }

    /** Sends one execute call; see {@link Kernel#execute}. */
    public CompletableFuture<ExecutionResult> execute(ExecuteRequest request) {
        return engine.sendAsync(KernelCalls.execute(id, ownerAccessKey, request)).thenApply(KernelCalls::parseExecute);
    }

    /** Destroys the session; completes with its statistics or null. */
    public CompletableFuture<ContainerStats> destroy() {
        return engine.sendAsync(KernelCalls.destroy(id, ownerAccessKey)).thenApply(KernelCalls::parseDestroy);
    }

    @Override
    public String toString() {
        return "AsyncKernel[" + id + "]";
    }
}
