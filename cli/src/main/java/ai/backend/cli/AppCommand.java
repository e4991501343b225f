package ai.backend.cli;

import ai.backend.client.BackendError;
import ai.backend.client.Session;
import ai.backend.client.kernel.AppProxy;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code backend.ai app SESSID APP}: a local TCP port forwarded to an app service of a session (19.03 §3.15),
 * until SIGINT or SIGTERM. Unlike 19.03, a port in use is a one-line error (exit 1), and each refused connection
 * is reported on stderr besides the 503 answer the local client gets.
 */
@Command(name = "app", mixinStandardHelpOptions = true)
final class AppCommand implements Callable<Integer> {
    @ParentCommand
    BackendAiCommand root;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SESSID", description = "The session ID.")
    String sessionId;

    @Parameters(index = "1", paramLabel = "APP", description = "The app service of the session, e.g. jupyter.")
    String app;

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "The local address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = {"-p", "--port"}, defaultValue = "8080", paramLabel = "PORT",
            description = "The local port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() {
        if (port < 0 || port > 65535) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "The port must be between 0 and 65535.");
        }
        Pretty pretty = Pretty.stderr(false);
        Session session = new Session(Connection.resolve(root.global, pretty, false));
        AppProxy proxy;
        try {
            proxy = session.kernels().of(sessionId).proxyApp(app, new InetSocketAddress(bind, port),
                    (BackendError e) -> ErrorPrinter.print(pretty, e, root.global.debug, "A connection to \"" + app + "\" failed: "));
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
        UntilSignalled running = UntilSignalled.onSignal("app-proxy-shutdown", () -> {
            pretty.info("Shutting down....");
            proxy.close();
            session.close();
            pretty.info("The local proxy to \"" + app + "\" has terminated.");
        });
        pretty.info("A local proxy to the application \"" + app + "\" provided by the session \"" + sessionId
                + "\" is available at: http://" + bind + ":" + proxy.localAddress().getPort());
        return running.await();
    }
}
