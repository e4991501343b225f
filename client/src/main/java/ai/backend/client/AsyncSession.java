package ai.backend.client;

import ai.backend.client.admin.AsyncAdmin;
import ai.backend.client.admin.AsyncAgents;
import ai.backend.client.admin.AsyncComputeSessions;
import ai.backend.client.admin.AsyncImages;
import ai.backend.client.admin.AsyncKeyPairs;
import ai.backend.client.admin.AsyncResourcePolicies;
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
    private final AsyncAdmin admin;

    public AsyncSession(APIConfig config) {
        super(config);
        this.kernels = new AsyncKernels(engine());
        this.vfolders = new ai.backend.client.vfolder.AsyncVFolders(engine());
        this.admin = new AsyncAdmin(engine());
    }

    /** Raw GraphQL against the admin API (Python's {@code Admin}), with a typed variant. */
    public AsyncAdmin admin() {
        return admin;
    }

    /** Keypairs (Python's {@code KeyPair}). */
    public AsyncKeyPairs keyPairs() {
        return new AsyncKeyPairs(admin);
    }

    /** Keypair resource policies (Python's {@code ResourcePolicy}). */
    public AsyncResourcePolicies resourcePolicies() {
        return new AsyncResourcePolicies(admin);
    }

    /** Agents, with paging (Python's {@code Agent}). */
    public AsyncAgents agents() {
        return new AsyncAgents(admin);
    }

    /** Images and their aliases (Python's {@code Image}). */
    public AsyncImages images() {
        return new AsyncImages(admin);
    }

    /** Compute sessions as the admin API lists them, with paging. */
    public AsyncComputeSessions computeSessions() {
        return new AsyncComputeSessions(admin);
    }

    /** Resource presets and what the caller can still allocate (Python's {@code Resource}). */
    public ai.backend.client.manager.AsyncResources resources() {
        return new ai.backend.client.manager.AsyncResources(engine());
    }

    /** The manager's status, freeze and unfreeze (Python's {@code Manager}). */
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
