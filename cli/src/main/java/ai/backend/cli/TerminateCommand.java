package ai.backend.cli;

import ai.backend.client.BackendAPIError;
import ai.backend.client.BackendError;
import ai.backend.client.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code backend.ai terminate SESSID...} (aliases {@code rm}, {@code kill}). */
@Command(name = "terminate", aliases = {"rm", "kill"}, mixinStandardHelpOptions = true)
final class TerminateCommand implements Callable<Integer> {
    @ParentCommand
    BackendAiCommand root;

    @Parameters(paramLabel = "SESSID", arity = "1..*", description = "The sessions to terminate.")
    List<String> sessionIds = new ArrayList<>();

    @Option(names = {"-o", "--owner", "--owner-access-key"}, paramLabel = "ACCESS_KEY",
            description = "The owner of the sessions (admins only).")
    String owner;

    @Option(names = {"-s", "--stats"}, description = "Show resource usage statistics of the last terminated session.")
    boolean stats;

    @Override
    public Integer call() {
        Pretty pretty = Pretty.stderr(false);
        try (Session s = new Session(Connection.resolve(root.global, pretty, owner != null))) {
            pretty.waiting("Terminating the session(s)...");
            ai.backend.client.kernel.ContainerStats last = null;
            for (String id : sessionIds) {
                try {
                    last = (owner == null ? s.kernels().of(id) : s.kernels().of(id, owner)).destroy();
                } catch (BackendError e) {
                    ErrorPrinter.print(pretty, e, root.global.debug, "");
                    if (e instanceof BackendAPIError && ((BackendAPIError) e).status() == 404) {
                        pretty.info("If you are an admin, use \"-o\" / \"--owner\" option to terminate other user's session.");
                    }
                    return 1;
                }
            }
            pretty.done("Done.");
            if (stats) {
                if (last == null) {
                    pretty.warn("Statistics is not available.");
                } else {
                    StatsTable.format(last.raw(), java.util.Set.of()).forEach(System.out::println);
                    System.out.flush();
                }
            }
            return 0;
        }
    }
}
