package ai.backend.cli;

import ai.backend.client.APIConfig;
import ai.backend.client.BackendError;
import ai.backend.client.Session;
import ai.backend.client.kernel.BatchOptions;
import ai.backend.client.kernel.ConsoleRecord;
import ai.backend.client.kernel.ContainerStats;
import ai.backend.client.kernel.CreateKernelRequest;
import ai.backend.client.kernel.ExecutionListener;
import ai.backend.client.kernel.ExecutionResult;
import ai.backend.client.kernel.ExecutionStream;
import ai.backend.client.kernel.Kernel;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.ParameterException;

/**
 * What {@code run} does once its arguments are valid: build the cases of the range expressions, then for
 * each create or reuse a session, upload files, execute to the end over the stream (or REST on a legacy
 * server), and clean up. One case prints to the terminal; several run at most {@code --max-parallel} at a
 * time and write per-case logs to {@code ~/.cache/backend.ai/client-logs}.
 */
final class RunAction {
    /** How long the stream may stay silent; the server sends a frame every 0.2 s while a run is alive. */
    private static final Duration STREAM_IDLE_TIMEOUT = Duration.ofSeconds(120);
    private static final Set<String> RUN_DROPPED_STATS = Set.of("precpu_used", "precpu_system_used", "cpu_system_used");

    private final RunCommand cmd;
    private final Pretty pretty;
    private BufferedReader stdin;

    RunAction(RunCommand cmd) {
        this.cmd = cmd;
        this.pretty = Pretty.stderr(cmd.quiet);
    }

    static String randomPrefix() {
        byte[] b = new byte[5];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** How one case ended. */
    private record Outcome(int exitCode, boolean failed) {
    }

    int execute() {
        List<RangeExpressions.Case> cases;
        try {
            cases = RangeExpressions.cases(SessionOptions.pairs(cmd.session.envs, "--env", cmd.spec.commandLine()),
                    cmd.build, cmd.exec, cmd.envRanges, cmd.buildRanges, cmd.execRanges);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cmd.spec.commandLine(), e.getMessage());
        }
        boolean multi = cases.size() > 1;
        if (multi && cmd.maxParallel <= 0) {
            throw new ParameterException(cmd.spec.commandLine(), "The number maximum parallel sessions must be a positive integer.");
        }
        String prefix = cmd.session.sessionId == null ? randomPrefix() : cmd.session.sessionId;
        List<CreateKernelRequest> requests = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            String token = multi ? prefix + "-" + i : prefix;
            requests.add(cmd.session.toRequest(cmd.image, token, cmd.spec.commandLine(), cases.get(i).env()));
        }
        APIConfig config = Connection.resolve(cmd.root.global, pretty, false);
        try (Session session = new Session(config)) {
            boolean legacy = session.hello().isLegacy();
            pretty.info("Session token prefix: " + prefix);
            if (!multi) {
                Outcome o = runCase(session, legacy, 0, requests.get(0), cases.get(0), System.out, System.err, true);
                return o.failed() ? Math.max(1, o.exitCode()) : o.exitCode();
            }
            return runAll(session, legacy, cases, requests);
        }
    }

    private int runAll(Session session, boolean legacy, List<RangeExpressions.Case> cases, List<CreateKernelRequest> requests) {
        pretty.info("Running multiple sessions for the following combinations:");
        for (RangeExpressions.Case c : cases) {
            List<String> env = new ArrayList<>();
            c.env().forEach((k, v) -> env.add(k + "=" + v));
            System.out.println("env = '" + String.join(" ", env) + "', build = '" + c.build() + "', exec = '" + c.exec() + "'");
        }
        System.out.flush();
        Path logDir = Path.of(System.getenv().getOrDefault("HOME", System.getProperty("user.home")), ".cache", "backend.ai", "client-logs");
        new Pretty(System.err, pretty.isTerminal(), false).info("Check out the stdout/stderr logs stored in " + logDir + " directory.");
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(cmd.maxParallel, cases.size()));
        try {
            Files.createDirectories(logDir);
            List<Future<Outcome>> futures = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    String id = requests.get(index).clientToken();
                    try (PrintStream out = new PrintStream(Files.newOutputStream(logDir.resolve(id + ".stdout.log")), true, StandardCharsets.UTF_8);
                         PrintStream err = new PrintStream(Files.newOutputStream(logDir.resolve(id + ".stderr.log")), true, StandardCharsets.UTF_8)) {
                        return runCase(session, legacy, index, requests.get(index), cases.get(index), out, err, false);
                    }
                }));
            }
            boolean failed = false;
            int firstNonZero = 0;
            for (Future<Outcome> f : futures) {
                Outcome o = f.get();
                failed |= o.failed();
                if (firstNonZero == 0 && o.exitCode() != 0) {
                    firstNonZero = o.exitCode();
                }
            }
            if (failed) {
                pretty.fail("There were failed cases!");
                return 1;
            }
            return firstNonZero;
        } catch (IOException e) {
            pretty.fail("Cannot write the logs in " + logDir + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (java.util.concurrent.ExecutionException e) {
            ErrorPrinter.print(pretty, e.getCause(), cmd.root.global.debug, "");
            return 1;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Creates or reuses the case's session, runs it, cleans up; prints status lines through {@link #pretty}. */
    private Outcome runCase(Session session, boolean legacy, int i, CreateKernelRequest request, RangeExpressions.Case c,
                            PrintStream out, PrintStream err, boolean interactive) {
        String tag = "[" + i + "] ";
        Kernel kernel;
        try {
            kernel = session.kernels().getOrCreate(request);
        } catch (BackendError e) {
            ErrorPrinter.print(pretty, e, cmd.root.global.debug, tag);
            return new Outcome(1, true);
        }
        pretty.done(kernel.ref().created() ? tag + "Session " + kernel.id() + " is ready."
                : tag + "Reusing session " + kernel.id() + "...");
        int exitCode = 0;
        boolean failed = false;
        try {
            if (!cmd.files.isEmpty()) {
                if (interactive) {
                    pretty.waiting(tag + "Uploading source files...");
                }
                Path base = (cmd.basedir == null ? Path.of("") : cmd.basedir).toAbsolutePath();
                kernel.upload(cmd.files.stream().map(Path::of).toList(), base);
                pretty.done(tag + "Uploading done.");
            }
            Printer printer = new Printer(out, err, interactive);
            if (cmd.terminal) {
                exitCode = TerminalBridge.attach(kernel);
                return finish(kernel, tag, exitCode, exitCode != 0);
            }
            ExecutionResult last = legacy && cmd.files.isEmpty() ? kernel.run(cmd.code, printer)
                    : streamRun(kernel, c, printer, tag, err, interactive);
            exitCode = last.exitCode() == null ? 0 : last.exitCode();
            String finished = tag + (last.status().wireName().equals("exec-timeout") ? "Execution timed out."
                    : "Execution finished. (exit code = " + exitCode + ")");
            pretty.done(finished);
            if (!interactive) {
                err.println(finished);
            }
            if (last.status().wireName().equals("exec-timeout")) {
                exitCode = 1;
                failed = true;
            }
        } catch (BackendError | IllegalArgumentException e) {
            ErrorPrinter.print(pretty, e, cmd.root.global.debug, tag);
            exitCode = 1;
            failed = true;
        }
        return finish(kernel, tag, exitCode, failed);
    }

    /** Destroys the session when {@code --rm} asks, printing its statistics with {@code -s}. */
    private Outcome finish(Kernel kernel, String tag, int exitCode, boolean failed) {
        if (cmd.remove) {
            pretty.waiting(tag + "Cleaning up the session...");
            try {
                ContainerStats stats = kernel.destroy();
                pretty.done(tag + "Cleaned up the session.");
                if (cmd.stats) {
                    if (stats == null) {
                        pretty.warn(tag + "Statistics: unavailable.");
                    } else {
                        pretty.info(tag + "Statistics:");
                        synchronized (System.out) {
                            StatsTable.format(stats.raw(), RUN_DROPPED_STATS).forEach(System.out::println);
                            System.out.flush();
                        }
                    }
                }
            } catch (BackendError e) {
                ErrorPrinter.print(pretty, e, cmd.root.global.debug, tag);
                failed = true;
            }
        }
        return new Outcome(exitCode, failed);
    }

    /** Runs the code (or the batch of uploaded files) over the execute stream; returns the last result. */
    private ExecutionResult streamRun(Kernel kernel, RangeExpressions.Case c, Printer printer, String tag, PrintStream err,
                                      boolean interactive) {
        ExecutionResult last = null;
        try (ExecutionStream stream = cmd.files.isEmpty()
                ? kernel.stream(cmd.code, STREAM_IDLE_TIMEOUT)
                : kernel.streamBatch(new BatchOptions(cmd.clean, c.build(), c.exec()), STREAM_IDLE_TIMEOUT)) {
            for (ExecutionResult r = stream.next(); r != null; r = stream.next()) {
                printer.onResult(r);
                last = r;
                switch (r.status()) {
                    case WAITING_INPUT:
                        stream.sendInput(printer.onInputRequested(r));
                        break;
                    case CLEAN_FINISHED:
                    case BUILD_FINISHED:
                        String step = tag + (r.status().wireName().startsWith("clean") ? "Clean" : "Build")
                                + " finished. (exit code = " + r.exitCode() + ")";
                        pretty.done(step);
                        if (!interactive) {
                            err.println(step);
                        }
                        break;
                    default:
                        break;
                }
            }
        }
        if (last == null || !last.isFinished()) {
            throw new ai.backend.client.BackendClientError("The execution stream ended before the run finished.");
        }
        return last;
    }

    /** Prints console records as 19.03 does and reads input for prompts. */
    private final class Printer implements ExecutionListener {
        private final PrintStream out;
        private final PrintStream err;
        private final boolean interactive;

        Printer(PrintStream out, PrintStream err, boolean interactive) {
            this.out = out;
            this.err = err;
            this.interactive = interactive;
        }

        @Override
        public void onResult(ExecutionResult result) {
            for (ConsoleRecord record : result.console()) {
                if (record instanceof ConsoleRecord.Stdout) {
                    out.print(((ConsoleRecord.Stdout) record).text());
                    out.flush();
                } else if (record instanceof ConsoleRecord.Stderr) {
                    err.print(((ConsoleRecord.Stderr) record).text());
                    err.flush();
                } else {
                    String content = record instanceof ConsoleRecord.Media
                            ? ((ConsoleRecord.Media) record).mimeType() + ": " + ((ConsoleRecord.Media) record).contentAsString()
                            : record instanceof ConsoleRecord.Html ? ((ConsoleRecord.Html) record).html()
                            : record instanceof ConsoleRecord.Log ? ((ConsoleRecord.Log) record).text()
                            : String.valueOf(((ConsoleRecord.Other) record).data());
                    out.println("----- output record (type: " + record.type() + ") -----");
                    out.println(content);
                    out.println("----- end of record -----");
                    out.flush();
                }
            }
            if (!result.files().isEmpty()) {
                out.println("--- generated files ---");
                result.files().forEach(f -> out.println(f.name() + ": " + f.url()));
                out.println("--- end of generated files ---");
                out.flush();
            }
        }

        @Override
        public String onInputRequested(ExecutionResult result) {
            if (!interactive) {
                err.println("[backend.ai] the program asked for input, which a multi-session run cannot give; sent an empty line.");
                return "";
            }
            Console console = System.console();
            if (console != null) {
                if (result.isPasswordPrompt()) {
                    char[] pw = console.readPassword();
                    return pw == null ? "" : new String(pw);
                }
                String line = console.readLine();
                return line == null ? "" : line;
            }
            try {
                if (stdin == null) {
                    stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                }
                String line = stdin.readLine();
                return line == null ? "" : line;
            } catch (IOException e) {
                return "";
            }
        }
    }
}
