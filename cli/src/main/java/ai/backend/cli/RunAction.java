package ai.backend.cli;

import ai.backend.client.APIConfig;
import ai.backend.client.BackendError;
import ai.backend.client.Session;
import ai.backend.client.kernel.ConsoleRecord;
import ai.backend.client.kernel.CreateKernelRequest;
import ai.backend.client.kernel.ExecutionListener;
import ai.backend.client.kernel.ExecutionResult;
import ai.backend.client.kernel.Kernel;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

/** What {@code run} does once its arguments are valid: create or reuse, execute to the end, clean up. */
final class RunAction {
    private final RunCommand cmd;
    private final Pretty pretty;
    private final PrintStream out = System.out;
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

    int execute() {
        String token = cmd.session.sessionId == null ? randomPrefix() : cmd.session.sessionId;
        CreateKernelRequest request = cmd.session.toRequest(cmd.image, token, cmd.spec.commandLine());
        APIConfig config = Connection.resolve(cmd.root.global, pretty, false);
        try (Session session = new Session(config)) {
            pretty.info("Session token prefix: " + token);
            Kernel kernel;
            try {
                kernel = session.kernels().getOrCreate(request);
            } catch (BackendError e) {
                ErrorPrinter.print(pretty, e, cmd.root.global.debug, "[0] ");
                return 1;
            }
            pretty.done(kernel.ref().created() ? "[0] Session " + kernel.id() + " is ready."
                    : "[0] Reusing session " + kernel.id() + "...");
            int exitCode;
            boolean failed = false;
            try {
                if (!cmd.files.isEmpty()) {
                    pretty.waiting("[0] Uploading source files...");
                    java.nio.file.Path base = (cmd.basedir == null ? java.nio.file.Path.of("") : cmd.basedir).toAbsolutePath();
                    kernel.upload(cmd.files.stream().map(java.nio.file.Path::of).toList(), base);
                    pretty.done("[0] Uploading done.");
                }
                ExecutionResult last = session.hello().isLegacy() && cmd.files.isEmpty()
                        ? kernel.run(cmd.code, new Printer()) : streamRun(kernel);
                exitCode = last.exitCode() == null ? 0 : last.exitCode();
                pretty.done("[0] Execution finished. (exit code = " + exitCode + ")");
            } catch (BackendError e) {
                ErrorPrinter.print(pretty, e, cmd.root.global.debug, "[0] ");
                exitCode = 1;
                failed = true;
            }
            if (cmd.remove) {
                pretty.waiting("[0] Cleaning up the session...");
                try {
                    ai.backend.client.kernel.ContainerStats stats = kernel.destroy();
                    pretty.done("[0] Cleaned up the session.");
                    if (cmd.stats) {
                        if (stats == null) {
                            pretty.warn("[0] Statistics: unavailable.");
                        } else {
                            pretty.info("[0] Statistics:");
                            StatsTable.format(stats.raw(), java.util.Set.of("precpu_used", "precpu_system_used",
                                    "cpu_system_used")).forEach(System.out::println);
                            System.out.flush();
                        }
                    }
                } catch (BackendError e) {
                    ErrorPrinter.print(pretty, e, cmd.root.global.debug, "[0] ");
                    failed = true;
                }
            }
            if (failed) {
                return exitCode == 0 ? 1 : exitCode;
            }
            return exitCode;
        }
    }

    /** How long the stream may stay silent; the server sends a frame every 0.2 s while a run is alive. */
    private static final java.time.Duration STREAM_IDLE_TIMEOUT = java.time.Duration.ofSeconds(120);

    /** Runs the code over the execute stream, printing results and answering prompts; returns the last result. */
    private ExecutionResult streamRun(Kernel kernel) {
        Printer printer = new Printer();
        ExecutionResult last = null;
        try (ai.backend.client.kernel.ExecutionStream stream = cmd.files.isEmpty()
                ? kernel.stream(cmd.code, STREAM_IDLE_TIMEOUT)
                : kernel.streamBatch(new ai.backend.client.kernel.BatchOptions(cmd.clean, cmd.build, cmd.exec), STREAM_IDLE_TIMEOUT)) {
            for (ExecutionResult r = stream.next(); r != null; r = stream.next()) {
                printer.onResult(r);
                last = r;
                switch (r.status()) {
                    case WAITING_INPUT:
                        stream.sendInput(printer.onInputRequested(r));
                        break;
                    case CLEAN_FINISHED:
                        pretty.done("[0] Clean finished. (exit code = " + r.exitCode() + ")");
                        break;
                    case BUILD_FINISHED:
                        pretty.done("[0] Build finished. (exit code = " + r.exitCode() + ")");
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
        @Override
        public void onResult(ExecutionResult result) {
            for (ConsoleRecord record : result.console()) {
                if (record instanceof ConsoleRecord.Stdout) {
                    out.print(((ConsoleRecord.Stdout) record).text());
                    out.flush();
                } else if (record instanceof ConsoleRecord.Stderr) {
                    System.err.print(((ConsoleRecord.Stderr) record).text());
                    System.err.flush();
                } else {
                    String content = record instanceof ConsoleRecord.Media
                            ? ((ConsoleRecord.Media) record).mimeType() + ": " + ((ConsoleRecord.Media) record).contentAsString()
                            : record instanceof ConsoleRecord.Html ? ((ConsoleRecord.Html) record).html()
                            : record instanceof ConsoleRecord.Log ? ((ConsoleRecord.Log) record).text()
                            : String.valueOf(((ConsoleRecord.Other) record).data());
                    out.println("----- output record (type: " + record.type() + ") -----");
                    out.println(content);
                    out.println("----- end of record -----");
                }
            }
            if (!result.files().isEmpty()) {
                out.println("--- generated files ---");
                result.files().forEach(f -> out.println(f.name() + ": " + f.url()));
                out.println("--- end of generated files ---");
            }
        }

        @Override
        public String onInputRequested(ExecutionResult result) {
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
