package ai.backend.client;

import ai.backend.client.kernel.Kernels;

/**
 * A blocking connection to a Backend.AI server, the entry point of the SDK. Thread-safe: share one per
 * configuration. Calls block up to the configured connect timeout plus read timeout.
 *
 * <pre>{@code
 * try (Session session = new Session(APIConfig.fromEnvironment())) {
 *     Kernel kernel = session.kernels().getOrCreate(CreateKernelRequest.builder("python").build());
 *     System.out.print(kernel.execute(ExecuteRequest.query("print(1)")).stdout());
 *     kernel.destroy();
 * }
 * }</pre>
 *
 * <p>{@link #close()} releases the session's threads; calls made after it fail with
 * {@link BackendClientError}. Closing does not destroy compute sessions on the server.
 */
public final class Session extends BaseSession {
    private final Kernels kernels;
    private final ai.backend.client.vfolder.VFolders vfolders;
    private final ai.backend.client.manager.Manager manager;
    private final ai.backend.client.admin.Admin admin;

    public Session(APIConfig config) {
        super(config);
        this.kernels = new Kernels(engine());
        this.vfolders = new ai.backend.client.vfolder.VFolders(engine());
        this.manager = new ai.backend.client.manager.Manager(engine());
        this.admin = new ai.backend.client.admin.Admin(engine());
    }

    /** The typed admin functions: keypairs, resource policies, agents, images. */
    public ai.backend.client.admin.AdminFunctions adminFunctions() {
        return new ai.backend.client.admin.AdminFunctions(admin);
    }

    /** Raw GraphQL against the admin API. */
    public ai.backend.client.admin.Admin admin() {
        return admin;
    }

    /** The manager status and resource preset functions. */
    public ai.backend.client.manager.Manager manager() {
        return manager;
    }

    /** The virtual folder functions. */
    public ai.backend.client.vfolder.VFolders vfolders() {
        return vfolders;
    }

    /** A session configured from the environment ({@link APIConfig#fromEnvironment()}). */
    public static Session fromEnvironment() {
        return new Session(APIConfig.fromEnvironment());
    }

    /** Sends a low-level request; non-2xx answers throw {@link BackendAPIError}. */
    public Response fetch(Request request) {
        return engine().send(request);
    }

    /** {@code GET /}: the server's API and manager versions. */
    public ServerInfo hello() {
        return ServerInfo.fromJson(engine().send(Request.get("/").build()).json());
    }

    /** The compute-session (kernel) functions. */
    public Kernels kernels() {
        return kernels;
    }
}
