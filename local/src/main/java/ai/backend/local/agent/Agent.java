package ai.backend.local.agent;

import ai.backend.client.internal.Json;
import ai.backend.local.store.Database;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs compute sessions as local processes: creates them in their own working directories, finds them by
 * owner and name, and destroys them. Thread-safe. {@link #close()} destroys every live session.
 */
public final class Agent implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Agent.class.getName());

    private final Path sessionsDir;
    private final Path logsDir;
    private final Path runnerDir;
    private final Database db;
    private final Duration startTimeout;
    private final Map<String, LocalKernel> live = new ConcurrentHashMap<>();
    private final Object createLock = new Object();
    private final MemoryWatchdog memoryWatchdog = new MemoryWatchdog(this::sessions);
    private final IdleReaper idleReaper;
    private final List<Accelerators.Gpu> gpus;
    private final ResourceSlots capacity;

    public Agent(Path dataDir, Database db, Duration startTimeout) {
        this(dataDir, db, startTimeout, List.of());
    }

    /** An agent on the machine, with {@code gpus} (as {@link Accelerators#probe} found them) to hand out. */
    public Agent(Path dataDir, Database db, Duration startTimeout, List<Accelerators.Gpu> gpus) {
        this.gpus = List.copyOf(gpus);
        Map<String, java.math.BigDecimal> machine = new LinkedHashMap<>(machineCapacity().values());
        if (!gpus.isEmpty()) {
            machine.put(Accelerators.CUDA_SLOT, java.math.BigDecimal.valueOf(gpus.size()));
        }
        this.capacity = ResourceSlots.of(machine);
        this.sessionsDir = dataDir.resolve("sessions");
        this.logsDir = dataDir.resolve("logs");
        this.runnerDir = dataDir.resolve("runtime");
        this.db = db;
        this.startTimeout = startTimeout;
        try {
            Files.createDirectories(sessionsDir);
            Files.createDirectories(logsDir);
            Files.createDirectories(runnerDir);
            extract(PythonRuntime.RUNNER_RESOURCE, runnerDir.resolve(PythonRuntime.RUNNER_FILE));
            extract(PTY_BRIDGE_RESOURCE, runnerDir.resolve(PTY_BRIDGE_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the session directories under " + dataDir, e);
        }
        this.idleReaper = new IdleReaper(this);
    }

    /** How long an app service may take to open its port. */
    static final Duration SERVICE_START_TIMEOUT = Duration.ofSeconds(60);

    /**
     * The loopback port of the app service {@code service} of the session, starting it first when it is not
     * running: its command runs in the session's directory and environment, attached to the session (destroying
     * the session ends it), its output appended to {@code logs/<id>-<service>.log}; this waits until the port
     * accepts connections.
     *
     * @throws KernelFailure when it cannot start, exits, or does not open its port within 60 s (then it is killed)
     */
    public int startService(LocalKernel kernel, ServiceDef service) {
        return kernel.service(service.name(), () -> launchService(kernel, service));
    }

    private LocalKernel.RunningService launchService(LocalKernel kernel, ServiceDef service) {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        } catch (IOException e) {
            throw new KernelFailure("no free port: " + e.getMessage(), e);
        }
        String python = kernel.image().runtime().command(runnerDir).get(0);
        Path log = logsDir.resolve(kernel.id() + "-" + service.name().replaceAll("[^A-Za-z0-9_.-]", "_") + ".log");
        ProcessBuilder pb = new ProcessBuilder(service.commandLine(python, port)).directory(kernel.workDir().toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(kernel.environment());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new KernelFailure("cannot start " + service.command().get(0) + ": " + e.getMessage(), e);
        }
        kernel.attach(p);
        long deadline = System.nanoTime() + SERVICE_START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new KernelFailure("the " + service.name() + " service exited with code " + p.exitValue()
                        + lastLine(log), null);
            }
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 200);
                LOG.log(System.Logger.Level.INFO, "started the {0} service of session {1} on port {2}",
                        service.name(), kernel.sessionId(), port);
                return new LocalKernel.RunningService(p, port);
            } catch (IOException e) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    LocalKernel.kill(p);
                    throw new KernelFailure("interrupted while starting the " + service.name() + " service", ie);
                }
            }
        }
        LocalKernel.kill(p);
        throw new KernelFailure("the " + service.name() + " service did not open its port within "
                + SERVICE_START_TIMEOUT.toSeconds() + " s", null);
    }

    /** ": <the last line of the log>", or nothing. */
    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, java.nio.charset.StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return ": " + lines.get(i).strip();
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // no log to quote
        }
        return "";
    }

    static final String PTY_BRIDGE_RESOURCE = "/ai/backend/local/runtime/pty_bridge.py";
    static final String PTY_BRIDGE_FILE = "pty_bridge.py";

    /**
     * Starts a shell on a pseudo-terminal in the session's working directory and environment (see
     * {@code pty_bridge.py} for the framing of its stdin). The process is attached to the session, so
     * destroying the session ends it.
     *
     * @throws KernelFailure when it cannot start
     */
    public Process openTerminal(LocalKernel kernel) {
        List<String> cmd = new ArrayList<>();
        cmd.add(kernel.image().runtime().command(runnerDir).get(0));
        cmd.add("-u");
        cmd.add(runnerDir.resolve(PTY_BRIDGE_FILE).toString());
        String shell = kernel.image().runtime() instanceof ShellRuntime
                ? ((ShellRuntime) kernel.image().runtime()).shell()
                : Files.isExecutable(Path.of("/bin/bash")) ? "/bin/bash" : "/bin/sh";
        cmd.add(shell);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(kernel.workDir().toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(kernel.logFile().toFile()));
        pb.environment().clear();
        pb.environment().putAll(kernel.environment());
        pb.environment().put("TERM", "xterm-256color");
        try {
            Process p = pb.start();
            kernel.attach(p);
            return p;
        } catch (IOException e) {
            throw new KernelFailure("Cannot open a terminal: " + e.getMessage(), e);
        }
    }

    private static void extract(String resource, Path target) throws IOException {
        try (InputStream in = Agent.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("Missing bundled resource " + resource);
            }
            Path tmp = Files.createTempFile(target.getParent(), ".runner", ".tmp");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** The state store. */
    public Database database() {
        return db;
    }

    /** The server's data directory (the parent of the sessions' directories). */
    public Path dataDir() {
        return sessionsDir.getParent();
    }

    private static String key(String accessKey, String sessionId) {
        return accessKey + "\u0000" + sessionId;
    }

    /** The live session {@code sessionId} of {@code accessKey}. */
    public Optional<LocalKernel> find(String accessKey, String sessionId) {
        LocalKernel kernel = live.get(key(accessKey, sessionId));
        if (kernel != null) {
            kernel.touch(); // every API call on a session goes through here
        }
        return Optional.ofNullable(kernel);
    }

    /** Every live session. */
    public List<LocalKernel> sessions() {
        return new ArrayList<>(live.values());
    }

    /** What {@link #getOrCreate} did. */
    public record Creation(LocalKernel kernel, boolean created) {
    }

    /**
     * Returns the owner's live session of that name when its image matches, or starts a new one.
     *
     * @throws ImageMismatchException when the live session runs another image
     * @throws KernelFailure when the runner cannot start (nothing is left behind)
     */
    public Creation getOrCreate(String accessKey, String sessionId, Image image, String tag, Map<String, String> environ,
                                ResourceSlots slots) {
        return getOrCreate(accessKey, sessionId, image, tag, environ, slots, Map.of());
    }

    /**
     * As {@link #getOrCreate(String, String, Image, String, Map, ResourceSlots)}, and a new session gets each
     * of {@code mounts} (name to directory) in its working directory as a symbolic link of that name. The
     * links are never followed when the session's directory is deleted: the mounted files stay. A reused
     * session keeps its mounts.
     */
    public Creation getOrCreate(String accessKey, String sessionId, Image image, String tag, Map<String, String> environ,
                                ResourceSlots slots, Map<String, Path> mounts) {
        synchronized (createLock) {
            LocalKernel existing = live.get(key(accessKey, sessionId));
            if (existing != null && !existing.isAlive()) {
                destroy(existing, "runner-exited");
                existing = null;
            }
            if (existing != null) {
                if (!existing.image().canonicalName().equals(image.canonicalName())) {
                    throw new ImageMismatchException();
                }
                return new Creation(existing, false);
            }
            if (!image.runtime().isAvailable()) {
                throw new KernelFailure("The " + image.runtime().name() + " interpreter is not installed on this machine.", null);
            }
            List<Integer> devices = freeDevices(slots.get(Accelerators.CUDA_SLOT).intValue());
            Map<String, String> sessionEnviron = new LinkedHashMap<>(environ);
            if (!gpus.isEmpty()) {
                // set last, so that a session cannot see GPUs it was not given
                sessionEnviron.remove("CUDA_VISIBLE_DEVICES");
                sessionEnviron.put("CUDA_VISIBLE_DEVICES", devices.stream().map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(",")));
            }
            String id = UUID.randomUUID().toString();
            Path workDir = sessionsDir.resolve(id);
            try {
                Files.createDirectories(workDir);
            } catch (IOException e) {
                throw new KernelFailure("Cannot create the session directory " + workDir + ": " + e.getMessage(), e);
            }
            for (Map.Entry<String, Path> mount : mounts.entrySet()) {
                Path link = workDir.resolve(mount.getKey()).normalize();
                try {
                    if (!link.getParent().equals(workDir)) {
                        throw new IOException("invalid mount name");
                    }
                    Files.createSymbolicLink(link, mount.getValue().toAbsolutePath());
                } catch (IOException e) {
                    deleteTree(workDir);
                    throw new KernelFailure("Cannot mount " + mount.getKey() + " in the session directory: " + e.getMessage(), e);
                }
            }
            LocalKernel kernel;
            try {
                kernel = LocalKernel.start(id, sessionId, accessKey, image, tag, workDir, runnerDir,
                        logsDir.resolve(id + ".log"), environment(id, sessionId, workDir, sessionEnviron), startTimeout);
            } catch (RuntimeException e) {
                deleteTree(workDir);
                throw e;
            }
            try {
                db.insertKernel(new Database.KernelRow(id, sessionId, accessKey, image.canonicalName(), tag, "RUNNING",
                        OffsetDateTime.now(ZoneOffset.UTC).toString(), null), Json.pythonDumps(environ),
                        Json.pythonDumps(slots.toStrings()));
            } catch (SQLException e) {
                kernel.destroy();
                deleteTree(workDir);
                throw new KernelFailure("Cannot record the session: " + e.getMessage(), e);
            }
            kernel.slots(slots);
            kernel.cudaDevices(devices);
            live.put(key(accessKey, sessionId), kernel);
            LOG.log(System.Logger.Level.INFO, "started session {0} ({1}) for {2}", sessionId, image.canonicalName(), accessKey);
            return new Creation(kernel, true);
        }
    }

    /**
     * Restarts a session: ends its processes and starts a new runner with the same image and environment in
     * the same working directory, which keeps its files.
     *
     * @throws KernelFailure when the new runner cannot start (the session is then terminated)
     */
    public LocalKernel restart(LocalKernel old) {
        synchronized (createLock) {
            old.destroy();
            LocalKernel fresh;
            try {
                fresh = LocalKernel.start(old.id(), old.sessionId(), old.accessKey(), old.image(), old.tag(), old.workDir(),
                        runnerDir, old.logFile(), old.environment(), startTimeout);
            } catch (KernelFailure e) {
                destroy(old, "restart-failed");
                throw e;
            }
            fresh.slots(old.slots());
            fresh.cudaDevices(old.cudaDevices());
            fresh.execTimeout(old.execTimeout());
            live.put(key(old.accessKey(), old.sessionId()), fresh);
            return fresh;
        }
    }

    /** The session's log: the console output of its runs (up to 10 MiB) and runner diagnostics. */
    public String logs(LocalKernel kernel) {
        try {
            return Files.exists(kernel.logFile()) ? Files.readString(kernel.logFile(), java.nio.charset.StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static Map<String, String> environment(String id, String sessionId, Path workDir, Map<String, String> environ) {
        Map<String, String> env = new LinkedHashMap<>();
        String path = System.getenv("PATH");
        env.put("PATH", path == null ? "/usr/local/bin:/usr/bin:/bin" : path);
        env.put("HOME", workDir.toString());
        env.put("LANG", "C.UTF-8");
        env.put("SHELL", "/bin/sh");
        env.put("PYTHONUNBUFFERED", "1");
        env.put("PYTHONIOENCODING", "utf-8");
        env.put("MPLBACKEND", "Agg");
        env.put("BACKENDAI_SESSION_ID", sessionId);
        env.put("BACKENDAI_KERNEL_ID", id);
        env.putAll(environ);
        return env;
    }

    /**
     * Destroys a session: ends its processes, deletes its working directory and records it as terminated.
     *
     * @return the figures read just before the processes ended
     */
    public ProcessStats destroy(LocalKernel kernel, String reason) {
        live.remove(key(kernel.accessKey(), kernel.sessionId()), kernel);
        ProcessStats stats = kernel.destroy();
        deleteTree(kernel.workDir());
        try {
            db.terminateKernel(kernel.id(), reason, stats.cpuUsedMs(), stats.memMaxBytes(), stats.ioReadBytes(),
                    stats.ioWriteBytes());
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot record the end of session " + kernel.sessionId(), e);
        }
        return stats;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete " + dir, e);
        }
    }

    /** The machine's CPU count, physical memory and GPUs: what sessions may occupy in all. */
    public ResourceSlots capacity() {
        return capacity;
    }

    /** The GPUs sessions can be given; empty on a machine without (or without a working nvidia-smi). */
    public List<Accelerators.Gpu> gpus() {
        return gpus;
    }

    /** The slot types of this agent, in order: cpu, mem, and cuda.device when it has GPUs. */
    public List<String> slotTypes() {
        return gpus.isEmpty() ? List.of("cpu", "mem") : List.of("cpu", "mem", Accelerators.CUDA_SLOT);
    }

    /**
     * The GPU indices for a new session wanting {@code count}: the lowest not held by a live session.
     *
     * @throws KernelFailure when fewer are free (the capacity check raced with another creation)
     */
    private List<Integer> freeDevices(int count) {
        java.util.Set<Integer> held = new java.util.HashSet<>();
        for (LocalKernel k : sessions()) {
            held.addAll(k.cudaDevices());
        }
        List<Integer> picked = new java.util.ArrayList<>();
        for (Accelerators.Gpu gpu : gpus) {
            if (picked.size() < count && !held.contains(gpu.index())) {
                picked.add(gpu.index());
            }
        }
        if (picked.size() < count) {
            throw new KernelFailure("Only " + picked.size() + " of the " + count + " requested GPUs are free.", null);
        }
        return List.copyOf(picked);
    }

    /** The slots occupied by the live sessions of {@code accessKey}, or of everyone when it is null. */
    public ResourceSlots occupied(String accessKey) {
        ResourceSlots sum = ResourceSlots.of(Map.of());
        for (LocalKernel k : sessions()) {
            if (accessKey == null || k.accessKey().equals(accessKey)) {
                sum = sum.plus(k.slots());
            }
        }
        return sum;
    }

    /** The number of live sessions of {@code accessKey}. */
    public int count(String accessKey) {
        return (int) sessions().stream().filter(k -> k.accessKey().equals(accessKey)).count();
    }

    static ResourceSlots machineCapacity() {
        long memBytes = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    String v = line.substring(9).trim();
                    memBytes = Long.parseLong(v.substring(0, v.indexOf(' '))) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            memBytes = java.lang.Runtime.getRuntime().maxMemory();
        }
        Map<String, java.math.BigDecimal> m = new LinkedHashMap<>();
        m.put("cpu", java.math.BigDecimal.valueOf(java.lang.Runtime.getRuntime().availableProcessors()));
        m.put("mem", java.math.BigDecimal.valueOf(memBytes));
        return ResourceSlots.of(m);
    }

    /** Destroys every live session. */
    @Override
    public void close() {
        memoryWatchdog.close();
        idleReaper.close();
        for (LocalKernel kernel : sessions()) {
            destroy(kernel, "server-shutdown");
        }
    }
}
