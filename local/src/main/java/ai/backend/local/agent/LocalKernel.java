package ai.backend.local.agent;

import ai.backend.client.internal.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One compute session: a runner process in its own working directory, and the run it is executing.
 * Execute calls are serialized per session; a new run waits for the previous run to finish.
 *
 * <p>{@link #destroy()} ends the runner and every process it started, and is idempotent.
 */
public final class LocalKernel {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How long a new run waits behind an unfinished one before the call fails (the agent RPC timeout). */
    static final Duration RUN_QUEUE_TIMEOUT = Duration.ofSeconds(30);

    private final String id;
    private final String sessionId;
    private final String accessKey;
    private final Image image;
    private final Path workDir;
    private final Process process;
    private final OutputStream control;
    private final LinkedBlockingQueue<RunnerEvent> events = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<RunnerEvent> completions = new LinkedBlockingQueue<>();
    private final String tag;
    private final Map<String, String> environment;
    private final Path logFile;
    private final java.util.concurrent.atomic.AtomicLong queries = new java.util.concurrent.atomic.AtomicLong();
    private long loggedChars;
    private volatile ResourceSlots slots = ResourceSlots.of(Map.of());
    private volatile long lastActivityNanos = System.nanoTime();
    /** Whether the runner is executing code: set when a run starts, cleared when the runner reports its end or a prompt. */
    private volatile boolean runnerBusy;
    private volatile java.util.List<Integer> cudaDevices = java.util.List.of();
    private volatile Duration execTimeout = Duration.ZERO;
    private final List<Process> attached = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The most console text copied into the session's log file. */
    static final long MAX_LOG_CHARS = 10L * 1024 * 1024;
    private final ReentrantLock executeLock = new ReentrantLock(true);
    private final long createdAtNanos = System.nanoTime();
    private volatile Run current;
    private volatile boolean exited;
    private volatile ProcessStats lastStats = new ProcessStats(0, 0, 0, 0, 0);

    /** The state of one run. Guarded by {@code executeLock}. */
    private static final class Run {
        final String runId;
        Map<String, Long> outputBefore = Map.of();
        boolean finished;
        boolean waitingInput;
        boolean passwordPrompt;
        boolean timedOut;
        int exitCode;
        int stepExitCode;

        Run(String runId) {
            this.runId = runId;
        }
    }

    private LocalKernel(String id, String sessionId, String accessKey, Image image, Path workDir, Process process,
                        String tag, Map<String, String> environment, Path logFile) {
        this.tag = tag;
        this.environment = Map.copyOf(environment);
        this.logFile = logFile;
        this.id = id;
        this.sessionId = sessionId;
        this.accessKey = accessKey;
        this.image = image;
        this.workDir = workDir;
        this.process = process;
        this.control = process.getOutputStream();
    }

    /**
     * Starts the runner and waits until it reports ready.
     *
     * @throws KernelFailure when the runner does not start within {@code startTimeout}
     */
    static LocalKernel start(String id, String sessionId, String accessKey, Image image, String tag, Path workDir,
                             Path runnerDir, Path logFile, Map<String, String> environment, Duration startTimeout) {
        ProcessBuilder pb = new ProcessBuilder(image.runtime().command(runnerDir))
                .directory(workDir.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        pb.environment().clear();
        pb.environment().putAll(environment);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new KernelFailure("Cannot start the " + image.runtime().name() + " runtime: " + e.getMessage(), e);
        }
        LocalKernel kernel = new LocalKernel(id, sessionId, accessKey, image, workDir, process, tag, environment, logFile);
        Thread reader = new Thread(kernel::readEvents, "runner-" + sessionId);
        reader.setDaemon(true);
        reader.start();
        try {
            RunnerEvent first = kernel.events.poll(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (first == null || !first.kind().equals("ready")) {
                kernel.destroy();
                throw new KernelFailure("The " + image.runtime().name() + " runner did not start"
                        + (first == null ? " within " + startTimeout.toSeconds() + " s" : " (" + first.kind() + ")")
                        + "; see " + logFile, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kernel.destroy();
            throw new KernelFailure("Interrupted while starting the session", e);
        }
        return kernel;
    }

    private void readEvents() {
        // The runner writes one JSON object per line; read them as a stream of root values, which needs
        // no line splitting (a JSON string never holds a raw newline).
        try (com.fasterxml.jackson.core.JsonParser parser = Json.MAPPER.getFactory().createParser(process.getInputStream())) {
            while (true) {
                RunnerEvent event;
                try {
                    event = RunnerEvent.next(parser);
                } catch (com.fasterxml.jackson.core.JsonProcessingException bad) {
                    events.add(new RunnerEvent("stderr", "[runner] unreadable event: " + bad.getOriginalMessage() + "\n",
                            null, false, 0, null));
                    break;
                }
                if (event == null) {
                    break;
                }
                if (event.kind().equals("completions")) {
                    completions.add(event);
                    continue;
                }
                if (event.kind().equals("stdout") || event.kind().equals("stderr")) {
                    log(event.text());
                }
                switch (event.kind()) {
                    case "finished", "exec-timeout", "waiting-input" -> {
                        runnerBusy = false;
                        touch(); // idle time counts from the end of the computation
                    }
                    default -> { }
                }
                events.add(event);
            }
        } catch (IOException ignored) {
            // the runner is gone
        }
        int code;
        try {
            code = process.waitFor();
        } catch (InterruptedException e) {
            code = -1;
        }
        exited = true;
        events.add(RunnerEvent.exited(code));
    }

    public String id() {
        return id;
    }

    public String tag() {
        return tag;
    }

    /** The environment the runner was started with (for a restart). */
    Map<String, String> environment() {
        return environment;
    }

    Path logFile() {
        return logFile;
    }

    /** The indices of the GPUs given to the session (its {@code CUDA_VISIBLE_DEVICES}); empty for none. */
    public java.util.List<Integer> cudaDevices() {
        return cudaDevices;
    }

    void cudaDevices(java.util.List<Integer> devices) {
        this.cudaDevices = java.util.List.copyOf(devices);
    }

    /** The resource slots the session occupies. */
    public ResourceSlots slots() {
        return slots;
    }

    void slots(ResourceSlots occupied) {
        this.slots = occupied;
    }

    /** Records use of the session (an API call, a stream or terminal frame, app proxy traffic): it is not idle. */
    public void touch() {
        lastActivityNanos = System.nanoTime();
    }

    /** How long since the session was last used. */
    public Duration idleFor() {
        return Duration.ofNanos(System.nanoTime() - lastActivityNanos);
    }

    /**
     * Whether code is running now (not finished, not waiting for input), as the runner reports it, whether or not
     * a client collects the output: a computing session is never idle.
     */
    public boolean isComputing() {
        return runnerBusy && !exited;
    }

    /** The app services started in this session, by name: their process and loopback port. */
    private final Map<String, RunningService> services = new java.util.HashMap<>();

    /** A started app service. */
    record RunningService(Process process, int port) {
    }

    /**
     * The port of the running service {@code name}, starting it with {@code launch} when it is not running (or
     * has exited). Launches of one session are serialised.
     */
    int service(String name, java.util.function.Supplier<RunningService> launch) {
        synchronized (services) {
            RunningService running = services.get(name);
            if (running == null || !running.process().isAlive()) {
                running = launch.get();
                services.put(name, running);
            }
            return running.port();
        }
    }

    /** Attaches a process (a terminal) to the session: destroying the session ends it and its children. */
    void attach(Process p) {
        attached.add(p);
    }

    /** Ends an attached process and its children. */
    public static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The longest a run may take before it ends with {@code exec-timeout}; zero means no limit. */
    public Duration execTimeout() {
        return execTimeout;
    }

    public void execTimeout(Duration timeout) {
        this.execTimeout = timeout == null ? Duration.ZERO : timeout;
    }

    /** Adds the execution timeout, when there is one, to a run command. */
    private Map<String, Object> withTimeout(Map<String, Object> command) {
        if (!execTimeout.isZero()) {
            command.put("timeout", execTimeout.toMillis() / 1000.0);
        }
        return command;
    }

    /** The memory slot in bytes, or 0 for none. */
    long memoryLimitBytes() {
        java.math.BigDecimal mem = slots.get("mem");
        return mem.signum() <= 0 || ResourceSlots.isInfinite(mem) ? 0 : mem.longValue();
    }

    /** Called by the memory watchdog before it kills {@code pid}: the run's console says why. */
    void memoryExceeded(long pid, long usedBytes) {
        events.add(new RunnerEvent("stderr", "\n[backend.ai] The session used " + (usedBytes >> 20)
                + " MiB, more than its memory slot (mem=" + ResourceSlots.format("mem", slots.get("mem"))
                + "): process " + pid + " was killed. Create the session with a larger slot, e.g. -r mem=4g.\n",
                null, false, 0, null));
    }

    /** Counts a query against the session ({@code numQueriesExecuted}). */
    public void countQuery() {
        queries.incrementAndGet();
    }

    public long queryCount() {
        return queries.get();
    }

    /** Copies console text into the session's log file, up to {@link #MAX_LOG_CHARS}. Reader thread only. */
    private void log(String text) {
        if (loggedChars >= MAX_LOG_CHARS) {
            return;
        }
        loggedChars += text.length();
        try {
            java.nio.file.Files.writeString(logFile, text, StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            if (loggedChars >= MAX_LOG_CHARS) {
                java.nio.file.Files.writeString(logFile, "\n[log truncated at 10 MiB]\n", StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            loggedChars = MAX_LOG_CHARS;
        }
    }

    /**
     * Asks the interpreter for completions of {@code code} (the text before the cursor). Waits up to 2 s;
     * a runner that cannot complete (for example during a run) yields an empty list.
     */
    public List<String> complete(String code) {
        completions.clear();
        send(Map.of("op", "complete", "code", code));
        try {
            RunnerEvent e = completions.poll(2, TimeUnit.SECONDS);
            if (e == null || e.items() == null) {
                return List.of();
            }
            return e.items();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new KernelFailure("Interrupted", ie);
        }
    }

    public String sessionId() {
        return sessionId;
    }

    public String accessKey() {
        return accessKey;
    }

    public Image image() {
        return image;
    }

    public Path workDir() {
        return workDir;
    }

    public long pid() {
        return process.pid();
    }

    /** Milliseconds since the session started. */
    public double ageMillis() {
        return (System.nanoTime() - createdAtNanos) / 1e6;
    }

    public boolean isAlive() {
        return !exited && process.isAlive();
    }

    /** A new run ID: 32 hex characters, as the agent's runner assigns. */
    static String newRunId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * Starts a query run and collects its output for up to {@code flushWindow}.
     *
     * @param runId the caller's run ID, or null to have one assigned
     * @throws KernelFailure when an unfinished run does not end within 30 s, or the runner is gone
     */
    public ExecutionOutcome query(String runId, String code, Duration flushWindow) {
        touch();
        countQuery();
        Map<String, Object> command = new java.util.HashMap<>();
        command.put("op", "query");
        command.put("code", code);
        return startRun(runId, command, flushWindow);
    }

    /**
     * Starts a batch run (clean, build and exec steps; null skips a step, {@code *} picks the default) and
     * collects its output for up to {@code flushWindow}.
     */
    public ExecutionOutcome batch(String runId, String clean, String build, String exec, Duration flushWindow) {
        touch();
        Map<String, Object> command = new java.util.HashMap<>();
        command.put("op", "batch");
        command.put("clean", clean);
        command.put("build", build);
        command.put("exec", exec);
        return startRun(runId, command, flushWindow);
    }

    /** Waits for the previous run to finish, starts a new one with {@code command}, and collects its output. */
    private ExecutionOutcome startRun(String runId, Map<String, Object> command, Duration flushWindow) {
        lock();
        try {
            Run previous = current;
            if (previous != null && !previous.finished) {
                drainUntilFinished(previous, RUN_QUEUE_TIMEOUT);
            }
            Run run = new Run(runId == null ? newRunId() : runId);
            run.outputBefore = outputSnapshot();
            current = run;
            runnerBusy = true;
            send(withTimeout(command));
            return collect(run, flushWindow);
        } finally {
            executeLock.unlock();
        }
    }

    /**
     * Collects more output of run {@code runId}; a finished run answers {@code finished} again with no output.
     *
     * @throws UnknownRunException when {@code runId} is not this session's latest run
     */
    public ExecutionOutcome continueRun(String runId, Duration flushWindow) {
        touch();
        lock();
        try {
            Run run = requireRun(runId);
            if (run.finished) {
                return new ExecutionOutcome(run.runId, run.timedOut ? "exec-timeout" : "finished",
                        run.timedOut ? null : run.exitCode, false, List.of());
            }
            return collect(run, flushWindow);
        } finally {
            executeLock.unlock();
        }
    }

    /**
     * Answers the input prompt of run {@code runId} with one line, then collects output.
     *
     * @throws UnknownRunException when {@code runId} is not the latest run or it is not waiting for input
     */
    public ExecutionOutcome input(String runId, String line, Duration flushWindow) {
        touch();
        lock();
        try {
            Run run = requireRun(runId);
            if (!run.waitingInput) {
                throw new UnknownRunException("The run " + runId + " is not waiting for input.");
            }
            run.waitingInput = false;
            runnerBusy = true;
            send(Map.of("op", "input", "data", line));
            return collect(run, flushWindow);
        } finally {
            executeLock.unlock();
        }
    }

    private void lock() {
        try {
            if (!executeLock.tryLock(RUN_QUEUE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw KernelFailure.timeout();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelFailure("Interrupted", e);
        }
    }

    private Run requireRun(String runId) {
        Run run = current;
        if (run == null || !run.runId.equals(runId)) {
            throw new UnknownRunException("There is no run with the ID " + runId + " in this session.");
        }
        return run;
    }

    private void send(Map<String, ?> command) {
        if (!isAlive()) {
            throw new KernelFailure("The session's runner process has exited.", null);
        }
        try {
            synchronized (control) {
                control.write(Json.pythonDumpsBytes(command));
                control.write('\n');
                control.flush();
            }
        } catch (IOException e) {
            throw new KernelFailure("Cannot send to the session's runner: " + e.getMessage(), e);
        }
    }

    private void drainUntilFinished(Run run, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!run.finished) {
            if (run.waitingInput) {
                throw new KernelFailure("The previous run of this session waits for input; answer it or interrupt it first.", null);
            }
            long left = deadline - System.nanoTime();
            RunnerEvent e;
            try {
                e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new KernelFailure("Interrupted", ie);
            }
            if (e == null) {
                throw KernelFailure.timeout();
            }
            apply(run, e, new ExecutionOutcome.ConsoleBuilder());
        }
    }

    /**
     * Applies one event to the run and the console being collected.
     *
     * @return the status that ends the collection window ({@code waiting-input}, {@code clean-finished},
     *         {@code build-finished}, {@code finished}, {@code exec-timeout}), or null to go on collecting
     */
    private String apply(Run run, RunnerEvent e, ExecutionOutcome.ConsoleBuilder console) {
        switch (e.kind()) {
            case "stdout":
            case "stderr":
                console.text(e.kind(), e.text());
                return null;
            case "media":
                console.media(e.mime() == null ? "text/plain" : e.mime(), e.text());
                return null;
            case "html":
            case "log":
                console.other(e.kind(), e.text());
                return null;
            case "waiting-input":
                run.waitingInput = true;
                run.passwordPrompt = e.password();
                return "waiting-input";
            case "clean-finished":
            case "build-finished":
                run.stepExitCode = e.exitCode();
                return e.kind();
            case "finished":
                run.finished = true;
                run.exitCode = e.exitCode();
                return "finished";
            case "exec-timeout":
                run.finished = true;
                run.timedOut = true;
                return "exec-timeout";
            case "exited":
                events.add(e); // keep the end visible to later calls
                if (!run.finished) {
                    run.finished = true;
                    run.exitCode = e.exitCode() == 0 ? 130 : e.exitCode();
                    console.text("stderr", "The session's runner process has exited (status " + e.exitCode() + ").\n");
                }
                return "finished";
            default:
                return null;
        }
    }

    /** The most console characters one result carries; more output is left for the next call. */
    static final int MAX_RESULT_CHARS = 1 << 20;

    private ExecutionOutcome collect(Run run, Duration flushWindow) {
        ExecutionOutcome.ConsoleBuilder console = new ExecutionOutcome.ConsoleBuilder();
        long deadline = System.nanoTime() + flushWindow.toNanos();
        while (console.size() < MAX_RESULT_CHARS) {
            long left = deadline - System.nanoTime();
            RunnerEvent e;
            try {
                e = left <= 0 ? events.poll() : events.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new KernelFailure("Interrupted", ie);
            }
            if (e == null) {
                break;
            }
            if (e.kind().equals("exited") && run.finished) {
                events.add(e);
                return outcome(run, "finished", console);
            }
            String status = apply(run, e, console);
            if (status != null) {
                return outcome(run, status, console);
            }
        }
        return outcome(run, "continued", console);
    }

    /** The largest output file that is reported, as the agent skips larger ones. */
    static final long MAX_OUTPUT_FILE_BYTES = 100L * 1024 * 1024;

    /** Modification times of the files under {@code .output}, keyed by their relative path. */
    private Map<String, Long> outputSnapshot() {
        Path output = workDir.resolve(".output");
        Map<String, Long> snapshot = new java.util.HashMap<>();
        if (!java.nio.file.Files.isDirectory(output, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return snapshot;
        }
        try (var paths = java.nio.file.Files.walk(output)) {
            paths.filter(p -> java.nio.file.Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).forEach(p -> {
                try {
                    snapshot.put(output.relativize(p).toString(), java.nio.file.Files.getLastModifiedTime(p).toMillis()
                            * 31 + java.nio.file.Files.size(p));
                } catch (IOException ignored) {
                    // vanished meanwhile
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            return snapshot;
        }
        return snapshot;
    }

    /** Files created or changed under {@code .output} since the run started, skipping hidden and huge ones. */
    private List<ExecutionOutcome.OutputFile> newOutputFiles(Run run) {
        List<ExecutionOutcome.OutputFile> files = new java.util.ArrayList<>();
        Path output = workDir.resolve(".output");
        for (Map.Entry<String, Long> e : new java.util.TreeMap<>(outputSnapshot()).entrySet()) {
            Path file = output.resolve(e.getKey());
            boolean hidden = false;
            for (Path part : Path.of(e.getKey())) {
                hidden |= part.toString().startsWith(".");
            }
            long size;
            try {
                size = java.nio.file.Files.size(file);
            } catch (IOException ex) {
                continue;
            }
            if (!hidden && size <= MAX_OUTPUT_FILE_BYTES && !e.getValue().equals(run.outputBefore.get(e.getKey()))) {
                files.add(new ExecutionOutcome.OutputFile(e.getKey(), file.toUri().toString()));
            }
        }
        return files;
    }

    private ExecutionOutcome outcome(Run run, String status, ExecutionOutcome.ConsoleBuilder console) {
        Integer exitCode;
        switch (status) {
            case "finished":
                exitCode = run.exitCode;
                break;
            case "clean-finished":
            case "build-finished":
                exitCode = run.stepExitCode;
                break;
            default:
                exitCode = null;
        }
        List<ExecutionOutcome.OutputFile> files = status.equals("finished") || status.equals("exec-timeout")
                ? newOutputFiles(run) : List.of();
        return new ExecutionOutcome(run.runId, status, exitCode, status.equals("waiting-input") && run.passwordPrompt,
                console.build(), files);
    }

    /** Sends SIGINT to the runner, which interrupts the code it runs (or forwards it to a batch step). */
    public void interrupt() {
        if (isAlive()) {
            signal("-INT", process.pid());
        }
    }

    /** The latest resource figures of the session's process tree. */
    public ProcessStats stats() {
        if (process.isAlive()) {
            lastStats = ProcessStats.of(process.toHandle());
        }
        return lastStats;
    }

    /**
     * Ends the runner and all processes it started: asks it to exit, then kills the process group and
     * every descendant. Returns the figures read just before. Idempotent.
     */
    public ProcessStats destroy() {
        ProcessStats stats = stats();
        for (Process p : attached) {
            kill(p);
        }
        attached.clear();
        if (process.isAlive()) {
            List<ProcessHandle> descendants = process.descendants().toList();
            try {
                synchronized (control) {
                    control.write("{\"op\": \"exit\"}\n".getBytes(StandardCharsets.US_ASCII));
                    control.close();
                }
            } catch (IOException ignored) {
                // already closed
            }
            try {
                process.waitFor(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            killGroup(process.pid());
            descendants.forEach(ProcessHandle::destroyForcibly);
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return stats;
    }

    /** Kills the process group the runner leads (it calls setsid), catching children that left the tree. */
    private static void killGroup(long pgid) {
        signal("-KILL", -pgid);
    }

    /** Sends a signal with kill(1); a negative target is a process group. */
    private static void signal(String signal, long target) {
        try {
            Process kill = new ProcessBuilder("kill", signal, "--", Long.toString(target))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(2, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill command: the descendants are still destroyed one by one
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
