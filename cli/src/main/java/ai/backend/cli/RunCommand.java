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

    @Option(names = "--rm", description = "Terminate the session after running.")
    boolean remove;

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
        if (files.isEmpty() && code == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "You should provide the command-line code snippet using \"-c\" option if run without files.");
        }
        if (!files.isEmpty()) {
            Pretty.stderr(false).fail("Running files (batch mode) is not available in this version yet; use -c.");
            return 1;
        }
        return new RunAction(this).execute();
    }
}
