package ai.backend.client;

import ai.backend.client.kernel.AsyncKernels;
import java.util.concurrent.CompletableFuture;

/**
 * A non-blocking connection to a Backend.AI server: every call returns a {@link CompletableFuture}
 * that completes on an SDK thread, or fails with {@link BackendAPIError} / {@link BackendClientError}
 * (a missed read timeout included). Cancelling a future abandons waiting; the server may still act.
 *
 * <p>{@link #close()} releases the session's threads; pending futures may then never complete, so wait
 * for them first. Closing does not destroy compute sessions on the server.
 */
public final class AsyncSession extends BaseSession {
    private final AsyncKernels kernels;
    private final ai.backend.client.vfolder.AsyncVFolders vfolders;

    public AsyncSession(APIConfig config) {
        super(config);
        this.kernels = new AsyncKernels(engine());
        this.vfolders = new ai.backend.client.vfolder.AsyncVFolders(engine());
    }

    /** Raw GraphQL against the admin API. */
    public ai.backend.client.admin.AsyncAdmin admin() {
        return new ai.backend.client.admin.AsyncAdmin(engine());
    }

    /** The manager status and resource preset functions. */
    public ai.backend.client.manager.AsyncManager manager() {
        return new ai.backend.client.manager.AsyncManager(engine());
    }

    /** The virtual folder functions. */
    public ai.backend.client.vfolder.AsyncVFolders vfolders() {
        return vfolders;
    }

    public static AsyncSession fromEnvironment() {
        return new AsyncSession(APIConfig.fromEnvironment());
    }

    /** Sends a low-level request. */
    public CompletableFuture<Response> fetch(Request request) {
        return engine().sendAsync(request);
    }

    /** {@code GET /}. */
    public CompletableFuture<ServerInfo> hello() {
        return engine().sendAsync(Request.get("/").build()).thenApply(r -> ServerInfo.fromJson(r.json()));
    }

    public AsyncKernels kernels() {
        return kernels;
    }
}
