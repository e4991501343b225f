package ai.backend.client;

import ai.backend.client.admin.Admin;
import ai.backend.client.admin.Agents;
import ai.backend.client.admin.ComputeSessions;
import ai.backend.client.admin.Images;
import ai.backend.client.admin.KeyPairs;
import ai.backend.client.admin.ResourcePolicies;
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
    private final Admin admin;

    public Session(APIConfig config) {
        super(config);
        this.kernels = new Kernels(engine());
        this.vfolders = new ai.backend.client.vfolder.VFolders(engine());
        this.manager = new ai.backend.client.manager.Manager(engine());
        this.admin = new Admin(engine());
    }

    /** Raw GraphQL against the admin API (Python's {@code Admin}), with a typed variant. */
    public Admin admin() {
        return admin;
    }

    /** Keypairs (Python's {@code KeyPair}). */
    public KeyPairs keyPairs() {
        return new KeyPairs(admin);
    }

    /** Keypair resource policies (Python's {@code ResourcePolicy}). */
    public ResourcePolicies resourcePolicies() {
        return new ResourcePolicies(admin);
    }

    /** Agents, with paging (Python's {@code Agent}). */
    public Agents agents() {
        return new Agents(admin);
    }

    /** Images and their aliases (Python's {@code Image}). */
    public Images images() {
        return new Images(admin);
    }

    /** Compute sessions as the admin API lists them, with paging. */
    public ComputeSessions computeSessions() {
        return new ComputeSessions(admin);
    }

    /** Resource presets and what the caller can still allocate (Python's {@code Resource}). */
    public ai.backend.client.manager.Resources resources() {
        return new ai.backend.client.manager.Resources(engine());
    }

    /** The manager's status, freeze and unfreeze (Python's {@code Manager}). */
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
