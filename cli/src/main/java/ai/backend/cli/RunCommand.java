package ai.backend.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code backend.ai run LANG [FILES]...}: runs a code snippet in a session. */
@Command(name = "run", mixinStandardHelpOptions = true)
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    BackendAiCommand root;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "LANG", description = "The image name, with an optional :tag (e.g. python or python:3.11).")
    String image;

    @Parameters(index = "1..*", paramLabel = "FILES", arity = "0..*", description = "Files to upload and run in batch mode.")
    List<String> files = new ArrayList<>();

    @Option(names = {"-c", "--code"}, paramLabel = "CODE", description = "The code snippet, run in query mode.")
    String code;

    @Option(names = "--clean", paramLabel = "CMD", defaultValue = "*",
            description = "Batch mode: the command that cleans before building (default: ${DEFAULT-VALUE}, the image's rule).")
    String clean;

    @Option(names = "--build", paramLabel = "CMD",
            description = "Batch mode: the build command, a template for --build-range (default: *, make if there is a Makefile, ...).")
    String build;

    @Option(names = "--exec", paramLabel = "CMD",
            description = "Batch mode: the command that runs the program, a template for --exec-range (default: *, python main.py, ...).")
    String exec;

    @Option(names = "--basedir", paramLabel = "PATH",
            description = "The base directory of the uploaded files (default: the current directory).")
    java.nio.file.Path basedir;

    @Option(names = "--terminal", description = "Connect this terminal to a shell in the session (interactive; ends when the shell exits).")
    boolean terminal;

    @Option(names = "--rm", description = "Terminate the session after running.")
    boolean remove;

    @Option(names = "--env-range", paramLabel = "RANGE_EXPR",
            description = "A variable for -e templates: NAME=case:a,b | NAME=range:start,stop[,step] | NAME=linspace:start,stop,num (repeatable).")
    List<String> envRanges = new ArrayList<>();

    @Option(names = "--build-range", paramLabel = "RANGE_EXPR", description = "A variable for the --build template (repeatable).")
    List<String> buildRanges = new ArrayList<>();

    @Option(names = "--exec-range", paramLabel = "RANGE_EXPR", description = "A variable for the --exec template (repeatable).")
    List<String> execRanges = new ArrayList<>();

    @Option(names = "--max-parallel", paramLabel = "NUM", defaultValue = "2",
            description = "How many sessions run at once when the ranges make several cases (default: ${DEFAULT-VALUE}).")
    int maxParallel;

    @Option(names = {"-s", "--stats"}, description = "Show resource usage statistics after terminating the session (with --rm).")
    boolean stats;

    @Option(names = {"-q", "--quiet"}, description = "Hide status lines; show only the program's output.")
    boolean quiet;

    @Mixin
    SessionOptions session = new SessionOptions();

    @Override
    public Integer call() {
        if (!files.isEmpty() && code != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "You can run only either source files or command-line code snippet.");
        }
        if (terminal) {
            if (!files.isEmpty() || code != null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--terminal runs an interactive shell; it takes no code or files.");
            }
            if (!envRanges.isEmpty() || !buildRanges.isEmpty() || !execRanges.isEmpty()) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "You cannot run multiple cases with terminal.");
            }
            return new RunAction(this).execute();
        }
        if (files.isEmpty() && code == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "You should provide the command-line code snippet using \"-c\" option if run without files.");
        }
        java.nio.file.Path base = (basedir == null ? java.nio.file.Path.of("") : basedir).toAbsolutePath().normalize();
        for (String f : files) {
            java.nio.file.Path p = java.nio.file.Path.of(f).toAbsolutePath().normalize();
            if (!java.nio.file.Files.isRegularFile(p)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "No such file: " + f);
            }
            if (!p.startsWith(base)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "File \"" + f + "\" is outside of the base directory \"" + base + "\".");
            }
        }
        return new RunAction(this).execute();
    }
}
