package ai.backend.client.kernel;

import ai.backend.client.internal.HttpEngine;
import java.util.concurrent.CompletableFuture;

/**
 * A handle to one compute session, for non-blocking calls. Futures complete on an SDK thread; they fail
 * with {@link ai.backend.client.BackendAPIError} or {@link ai.backend.client.BackendClientError}.
 * Cancelling a future abandons waiting for the answer; the server may still carry the call out.
 */
public final class AsyncKernel {
    private final HttpEngine engine;
    private final SessionRef ref;
    private final String id;
    private final String ownerAccessKey;

    AsyncKernel(HttpEngine engine, SessionRef ref) {
        this.engine = engine;
        this.ref = ref;
        this.id = ref.id();
        this.ownerAccessKey = ref.ownerAccessKey();
    }

    /** The session this handle refers to. */
    public SessionRef ref() {
        return ref;
    }

    /** The session ID (the client session token). */
    public String id() {
        return id;
    }

    /** Sends one execute call; see {@link Kernel#execute}. */
    public CompletableFuture<ExecutionResult> execute(ExecuteRequest request) {
        return engine.sendAsync(KernelCalls.execute(id, ownerAccessKey, request)).thenApply(KernelCalls::parseExecute);
    }

    /**
     * Runs code in query mode over a WebSocket. {@code onResult} is called for every result in order, on
     * an SDK thread; the returned future completes once connected, and the stream's
     * {@link ExecutionStream#completion()} with the terminal result.
     */
    public CompletableFuture<ExecutionStream> stream(String code, java.time.Duration idleTimeout,
                                                     java.util.function.Consumer<ExecutionResult> onResult) {
        return ExecutionStream.open(engine, ref, "query", code, null, idleTimeout, java.util.Objects.requireNonNull(onResult));
    }

    /**
     * Forwards a local TCP address to the app service {@code app} of this session (one of its service ports, e.g.
     * {@code jupyter}): see {@link AppProxy}. Returns once listening; close the proxy to stop it. Connection
     * errors (an unknown app, a service that cannot start) go to {@code onError} (may be null) on an SDK thread.
     *
     * @throws ai.backend.client.BackendClientError when {@code bind} cannot be listened on
     */
    public AppProxy proxyApp(String app, java.net.InetSocketAddress bind,
                             java.util.function.Consumer<ai.backend.client.BackendError> onError) {
        return AppProxy.start(engine, ref, app, bind, onError);
    }

    /** Opens a terminal; see {@link Kernel#terminal}. */
    public CompletableFuture<TerminalStream> terminal(java.util.function.Consumer<byte[]> onOutput) {
        return TerminalStream.open(engine, ref, onOutput);
    }

    /** Runs a batch job over a WebSocket; see {@link #stream}. */
    public CompletableFuture<ExecutionStream> streamBatch(BatchOptions options, java.time.Duration idleTimeout,
                                                          java.util.function.Consumer<ExecutionResult> onResult) {
        return ExecutionStream.open(engine, ref, "batch", "", options, idleTimeout, java.util.Objects.requireNonNull(onResult));
    }

    /** See {@link Kernel#info()}. */
    public CompletableFuture<KernelInfo> info() {
        return engine.sendAsync(KernelCalls.info(id, ownerAccessKey)).thenApply(r -> KernelInfo.fromJson(r.json()));
    }

    /** See {@link Kernel#restart()}. */
    public CompletableFuture<Void> restart() {
        return engine.sendAsync(KernelCalls.restart(id, ownerAccessKey)).thenApply(r -> null);
    }

    /** See {@link Kernel#interrupt()}. */
    public CompletableFuture<Void> interrupt() {
        return engine.sendAsync(KernelCalls.interrupt(id, ownerAccessKey)).thenApply(r -> null);
    }

    /** See {@link Kernel#logs()}. */
    public CompletableFuture<String> logs() {
        return engine.sendAsync(KernelCalls.logs(id, ownerAccessKey)).thenApply(KernelCalls::parseLogs);
    }

    /** See {@link Kernel#complete(String)}. */
    public CompletableFuture<java.util.List<String>> complete(String code) {
        return engine.sendAsync(KernelCalls.complete(id, ownerAccessKey, code, 0, 0, "", ""))
                .thenApply(KernelCalls::parseCompletions)
                .exceptionally(e -> {
                    Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                    if (cause instanceof ai.backend.client.BackendAPIError
                            && KernelCalls.isBrokenCompletion((ai.backend.client.BackendAPIError) cause)) {
                        return java.util.List.of();
                    }
                    throw e instanceof RuntimeException ? (RuntimeException) e : new java.util.concurrent.CompletionException(e);
                });
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
