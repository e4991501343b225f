package ai.backend.local;

import ai.backend.local.agent.Agent;
import ai.backend.local.agent.ImageRegistry;
import ai.backend.local.agent.PythonRuntime;
import ai.backend.local.api.Authenticator;
import ai.backend.local.api.KernelApi;
import ai.backend.local.api.Routes;
import ai.backend.local.api.StreamApi;
import ai.backend.local.graphql.GraphQLApi;
import ai.backend.local.store.Database;
import ai.backend.local.store.Keypair;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

/**
 * A running Backend.AI-compatible server for one machine: the manager's API over HTTP on top of an
 * agent that runs compute sessions as local processes, with its state in {@code dataDir}.
 *
 * <p>{@link #close()} stops accepting requests, destroys every session and its processes, and releases
 * the data directory. Only one server may use a data directory at a time.
 */
public final class LocalServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LocalServer.class.getName());

    private final LocalServerConfig config;
    private final Database db;
    private final Agent agent;
    private final Javalin app;
    private final StreamApi streams;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Keypair admin;
    private final Keypair user;
    private final boolean firstStart;
    private volatile boolean closed;

    private LocalServer(LocalServerConfig config, Database db, Agent agent, Javalin app, StreamApi streams,
                        FileChannel lockChannel,
                        FileLock lock, Keypair admin, Keypair user, boolean firstStart) {
        this.config = config;
        this.db = db;
        this.agent = agent;
        this.app = app;
        this.streams = streams;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.admin = admin;
        this.user = user;
        this.firstStart = firstStart;
    }

    /**
     * Starts a server and returns once it accepts requests.
     *
     * @throws IllegalStateException when another server uses the data directory or the port is taken
     */
    public static LocalServer start(LocalServerConfig config) {
        Path dataDir = config.dataDir().toAbsolutePath();
        FileChannel channel = null;
        FileLock lock = null;
        Database db = null;
        Agent agent = null;
        try {
            Files.createDirectories(dataDir);
            channel = FileChannel.open(dataDir.resolve("server.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = channel.tryLock();
            if (lock == null) {
                throw new IllegalStateException("Another local server is using the data directory " + dataDir
                        + " (stop it with 'backend.ai server stop').");
            }
            db = Database.open(dataDir.resolve("state.db"));
            int stale = db.terminateStaleKernels();
            if (stale > 0) {
                LOG.log(System.Logger.Level.INFO, "marked {0} sessions of an earlier run as terminated", stale);
            }
            boolean first = db.keypairs().isEmpty();
            if (first) {
                db.insertKeypair(Keypair.generate("admin@localhost", true));
                db.insertKeypair(Keypair.generate("user@localhost", false));
            }
            Keypair admin = db.keypairs().stream().filter(Keypair::admin).findFirst().orElseThrow();
            Keypair user = db.keypairs().stream().filter(k -> !k.admin()).findFirst().orElse(admin);
            ServerFiles.writeCredentials(dataDir, new ServerFiles.Credentials(admin.accessKey(), admin.secretKey()),
                    new ServerFiles.Credentials(user.accessKey(), user.secretKey()));

            PythonRuntime python = config.python() == null ? PythonRuntime.fromPath() : new PythonRuntime(config.python());
            agent = new Agent(dataDir, db, config.startTimeout(), ai.backend.local.agent.Accelerators.probe(config.nvidiaSmi()));
            KernelApi kernels = new KernelApi(agent, new ImageRegistry(db, python, agent.capacity()), config.flushWindow(), config.execTimeout(),
                    config.fileLimits());
            Authenticator authenticator = new Authenticator(db, Clock.systemUTC());
            StreamApi streams = new StreamApi(agent, authenticator);
            GraphQLApi graphql = new GraphQLApi(db, agent);
            ai.backend.local.vfolder.VFolderApi vfolders = new ai.backend.local.vfolder.VFolderApi(db, dataDir);
            ai.backend.local.api.ManagerApi manager = new ai.backend.local.api.ManagerApi(agent, db);
            Javalin app = Javalin.create(cfg -> Routes.install(cfg, authenticator, kernels, streams, graphql, vfolders,
                    manager));
            try {
                app.start(config.host(), config.port());
            } catch (RuntimeException e) {
                app.stop();
                throw new IllegalStateException("Cannot listen on " + config.host() + ":" + config.port()
                        + " (" + rootMessage(e) + ")", e);
            }
            LocalServer server = new LocalServer(config, db, agent, app, streams, channel, lock, admin, user, first);
            ServerFiles.writeState(dataDir, new ServerFiles.State(ProcessHandle.current().pid(), server.endpoint()));
            return server;
        } catch (IOException | SQLException | RuntimeException e) {
            if (agent != null) {
                agent.close();
            }
            closeQuietly(db);
            releaseQuietly(lock, channel);
            if (e instanceof IllegalStateException) {
                throw (IllegalStateException) e;
            }
            if (e instanceof IOException) {
                throw new UncheckedIOException("Cannot start the local server in " + dataDir + ": " + e.getMessage(),
                        (IOException) e);
            }
            throw new IllegalStateException("Cannot start the local server in " + dataDir + ": " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    public LocalServerConfig config() {
        return config;
    }

    /** The actual port (useful when the configuration asked for port 0). */
    public int port() {
        return app.port();
    }

    /** The endpoint URL clients should use, e.g. {@code http://127.0.0.1:8081}. */
    public String endpoint() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        if (host.equals("0.0.0.0")) {
            host = "127.0.0.1";
        }
        return "http://" + host + ":" + port();
    }

    public Keypair adminKeypair() {
        return admin;
    }

    public Keypair userKeypair() {
        return user;
    }

    /** Whether this start created the data directory's keypairs. */
    public boolean isFirstStart() {
        return firstStart;
    }

    public Path dataDir() {
        return config.dataDir().toAbsolutePath();
    }

    public Path credentialsFile() {
        return dataDir().resolve(ServerFiles.CREDENTIALS);
    }

    /** The state store, for tests and administration. */
    public Database database() {
        return db;
    }

    /** The agent running this server's sessions. */
    public Agent agent() {
        return agent;
    }

    /**
     * How many HTTP sessions the server holds in memory (diagnostics): the API uses none, so this stays 0 however
     * many WebSocket connections (which open one each in Javalin) came and went.
     */
    public int retainedHttpSessions() {
        int held = 0;
        for (var context : app.jettyServer().server().getDescendants(org.eclipse.jetty.ee10.servlet.ServletContextHandler.class)) {
            var sessions = context.getSessionHandler();
            if (sessions != null && sessions.getSessionCache() instanceof org.eclipse.jetty.session.DefaultSessionCache cache) {
                held += (int) cache.getSessionsCurrent();
            }
        }
        return held;
    }

    /** PIDs of every live session's runner, for tests that check nothing is left behind. */
    public List<Long> sessionPids() {
        return agent.sessions().stream().map(k -> k.pid()).toList();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            streams.close();
            app.stop();
        } finally {
            agent.close();
            closeQuietly(db);
            ServerFiles.deleteState(dataDir(), ProcessHandle.current().pid());
            releaseQuietly(lock, lockChannel);
        }
    }

    private static void closeQuietly(Database db) {
        if (db != null) {
            try {
                db.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }

    private static void releaseQuietly(FileLock lock, FileChannel channel) {
        try {
            if (lock != null) {
                lock.release();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
