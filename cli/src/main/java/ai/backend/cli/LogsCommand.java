package ai.backend.cli;

import ai.backend.client.Session;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code backend.ai logs SESSID}: prints the session's logs. */
@Command(name = "logs", mixinStandardHelpOptions = true)
final class LogsCommand implements Callable<Integer> {
    @ParentCommand
    BackendAiCommand root;

    @Parameters(index = "0", paramLabel = "SESSID", description = "The session ID.")
    String sessionId;

    @Option(names = {"-o", "--owner", "--owner-access-key"}, paramLabel = "ACCESS_KEY",
            description = "The owner of the session (admins only).")
    String owner;

    @Override
    public Integer call() {
        Pretty pretty = Pretty.stderr(false);
        try (Session s = new Session(Connection.resolve(root.global, pretty, owner != null))) {
            pretty.waiting("Retrieving container logs...");
            String logs = (owner == null ? s.kernels().of(sessionId) : s.kernels().of(sessionId, owner)).logs();
            pretty.clearWait();
            System.out.print(logs);
            System.out.flush();
            pretty.done("End of logs.");
            return 0;
        }
    }
}
