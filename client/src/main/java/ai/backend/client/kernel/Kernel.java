package ai.backend.client.kernel;

import ai.backend.client.internal.HttpEngine;
import java.util.List;

/**
 * A handle to one compute session, for blocking calls. Obtained from {@link Kernels#getOrCreate} or
 * {@link Kernels#of}. Thread-safe; holds no resources of its own, so there is nothing to close.
 *
 * <p>Every call blocks up to the session's connect plus read timeout and throws
 * {@link ai.backend.client.BackendAPIError} for error answers and {@link ai.backend.client.BackendClientError}
 * for connection failures and timeouts.
 */
public final class Kernel {
    private final HttpEngine engine;
    private final SessionRef ref;
    private final String id;
    private final String ownerAccessKey;

    Kernel(HttpEngine engine, SessionRef ref) {
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

    /**
     * Sends one execute call and returns the output collected so far (the server waits up to about 2 s).
     * Loop on the status as protocol §4.5 says, or use {@link #run}.
     */
    public ExecutionResult execute(ExecuteRequest request) {
        return KernelCalls.parseExecute(engine.send(KernelCalls.execute(id, ownerAccessKey, request)));
    }

    /**
     * Runs code in query mode to the end: continues while output is coming and answers input prompts
     * with {@code input}. Each result is passed to {@code listener} as it arrives.
     *
     * @return the last (terminal) result
     */
    public ExecutionResult run(String code, ExecutionListener listener) {
        ExecutionResult result = execute(ExecuteRequest.query(code));
        while (true) {
            listener.onResult(result);
            switch (result.status()) {
                case FINISHED:
                case EXEC_TIMEOUT:
                    return result;
                case WAITING_INPUT:
                    result = execute(ExecuteRequest.input(result.runId(), listener.onInputRequested(result)));
                    break;
                default:
                    result = execute(ExecuteRequest.continueRun(result.runId()));
                    break;
            }
        }
    }

    /**
     * Runs code in query mode over a WebSocket and returns the stream of its results, once connected.
     * No frame for {@code idleTimeout} (zero: no limit) while not waiting for input fails the stream.
     */
    public ExecutionStream stream(String code, java.time.Duration idleTimeout) {
        return join(ExecutionStream.open(engine, ref, "query", code, null, idleTimeout, null));
    }

    /** Runs a batch job (clean, build, exec steps) over a WebSocket; see {@link #stream(String, java.time.Duration)}. */
    public ExecutionStream streamBatch(BatchOptions options, java.time.Duration idleTimeout) {
        return join(ExecutionStream.open(engine, ref, "batch", "", options, idleTimeout, null));
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

    /**
     * Opens a terminal (a shell on a pseudo-terminal in the session's working directory); its output goes to
     * {@code onOutput} on an SDK thread.
     */
    public TerminalStream terminal(java.util.function.Consumer<byte[]> onOutput) {
        return join(TerminalStream.open(engine, ref, onOutput));
    }

    private static <T> T join(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw e;
        }
    }

    /**
     * Uploads files into the session's working directory, each under its path relative to {@code baseDir},
     * streamed from disk (protocol §3.2.9; the manager accepts at most 20 files below 1 MiB each).
     *
     * @throws IllegalArgumentException when a file is not inside {@code baseDir}
     * @throws ai.backend.client.BackendClientError when a file cannot be read
     */
    public void upload(List<java.nio.file.Path> files, java.nio.file.Path baseDir) {
        upload(files, baseDir, ai.backend.client.TransferListener.NONE);
    }

    /** Like {@link #upload(List, java.nio.file.Path)}, reporting progress to {@code listener}. */
    public void upload(List<java.nio.file.Path> files, java.nio.file.Path baseDir, ai.backend.client.TransferListener listener) {
        java.nio.file.Path base = baseDir.toAbsolutePath().normalize();
        ai.backend.client.internal.MultipartBody body = new ai.backend.client.internal.MultipartBody();
        for (java.nio.file.Path f : files) {
            java.nio.file.Path abs = f.toAbsolutePath().normalize();
            if (!abs.startsWith(base) || abs.equals(base)) {
                throw new IllegalArgumentException("File \"" + f + "\" is outside of the base directory \"" + base + "\".");
            }
            String name = base.relativize(abs).toString().replace(java.io.File.separatorChar, '/');
            try {
                body.addFile("src", name, abs, listener);
            } catch (java.io.FileNotFoundException e) {
                throw new ai.backend.client.BackendClientError("Cannot read " + f + ": " + e.getMessage(), e);
            }
        }
        engine.sendMultipart(ai.backend.client.Request.post(KernelCalls.path(id, "/upload"))
                .queryParam("owner_access_key", ownerAccessKey).build(), body);
    }

    /**
     * Downloads files or directories of the session (relative to its working directory, or under
     * {@code /home/work}) into {@code destDir}; each arrives as a tar archive (protocol §3.2.10) that is
     * extracted as it streams in. The manager allows at most 5 paths, each archive below 1 MiB.
     *
     * @return the files written
     */
    public List<java.nio.file.Path> download(List<String> files, java.nio.file.Path destDir) {
        var response = engine.sendForStream(ai.backend.client.Request.get(KernelCalls.path(id, "/download"))
                .queryParam("owner_access_key", ownerAccessKey).jsonBody(java.util.Map.of("files", files)).build());
        String boundary = ai.backend.client.internal.MultipartMixedReader.boundary(
                response.headers().firstValue("Content-Type").orElse(""));
        if (boundary == null) {
            throw new ai.backend.client.BackendClientError("The download is not a multipart body");
        }
        List<java.nio.file.Path> written = new java.util.ArrayList<>();
        try (java.io.InputStream body = response.body()) {
            java.nio.file.Files.createDirectories(destDir);
            var reader = new ai.backend.client.internal.MultipartMixedReader(body, boundary);
            for (var part = reader.next(); part != null; part = reader.next()) {
                written.addAll(ai.backend.client.internal.TarExtractor.extract(part.content(), destDir));
            }
        } catch (java.io.IOException e) {
            throw new ai.backend.client.BackendClientError("The download failed: " + e.getMessage(), e, true);
        }
        return written;
    }

    /**
     * The entries of a directory of the session ({@code "."} or {@code /home/work} for its working directory).
     *
     * @throws ai.backend.client.BackendClientError with the server's {@code errors} when the path is not found
     */
    public List<ai.backend.client.vfolder.FileEntry> listFiles(String path) {
        var json = engine.send(ai.backend.client.Request.get(KernelCalls.path(id, "/files"))
                .queryParam("owner_access_key", ownerAccessKey).jsonBody(java.util.Map.of("path", path)).build()).json();
        String errors = json.path("errors").asText("");
        if (!errors.isEmpty()) {
            throw new ai.backend.client.BackendClientError(errors + ": " + path);
        }
        return ai.backend.client.vfolder.VFolders.parseFiles(json);
    }

    /** The session's image, age, query count and memory figures (protocol §3.2.2). */
    public KernelInfo info() {
        return KernelInfo.fromJson(engine.send(KernelCalls.info(id, ownerAccessKey)).json());
    }

    /** Restarts the session's processes; files in its working directory are kept. */
    public void restart() {
        engine.send(KernelCalls.restart(id, ownerAccessKey));
    }

    /** Interrupts the current run (SIGINT), best effort. */
    public void interrupt() {
        engine.send(KernelCalls.interrupt(id, ownerAccessKey));
    }

    /** The session's logs (its console output). */
    public String logs() {
        return KernelCalls.parseLogs(engine.send(KernelCalls.logs(id, ownerAccessKey)));
    }

    /**
     * Completions for {@code code}, the text before the cursor. The 19.03.5 manager always answers 500
     * {@code internal-server-error} here, which gives an empty list, as does an answer without a list.
     */
    public List<String> complete(String code) {
        try {
            return KernelCalls.parseCompletions(engine.send(KernelCalls.complete(id, ownerAccessKey, code, 0, 0, "", "")));
        } catch (ai.backend.client.BackendAPIError e) {
            if (KernelCalls.isBrokenCompletion(e)) {
                return List.of();
            }
            throw e;
        }
    }

    /**
     * Destroys the session and its processes.
     *
     * @return the session's final resource statistics, or null when the server has none
     */
    public ContainerStats destroy() {
        return KernelCalls.parseDestroy(engine.send(KernelCalls.destroy(id, ownerAccessKey)));
    }

    @Override
    public String toString() {
        return "Kernel[" + id + "]";
    }
}
