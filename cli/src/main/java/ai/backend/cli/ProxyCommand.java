package ai.backend.cli;

import ai.backend.client.APIConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code backend.ai proxy}: runs {@link ApiProxy} in the foreground until SIGINT or SIGTERM, then stops it
 * cleanly. Exit status 1 when it cannot listen (for example, the port is in use).
 */
@Command(name = "proxy", mixinStandardHelpOptions = true)
final class ProxyCommand implements Callable<Integer> {
    @ParentCommand
    BackendAiCommand root;

    @Option(names = "--bind", paramLabel = "TEXT", defaultValue = "localhost",
            description = "The address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = {"-p", "--port"}, paramLabel = "INTEGER", defaultValue = "8084",
            description = "The port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() {
        Pretty pretty = Pretty.stderr(false);
        APIConfig config = Connection.resolve(root.global, pretty, false);
        quietServerLogs();
        ApiProxy proxy;
        try {
            proxy = ApiProxy.start(config, bind, port, System.err);
        } catch (IllegalStateException e) {
            pretty.fail(e.getMessage());
            return 1;
        }
        UntilSignalled running = UntilSignalled.onSignal("api-proxy-shutdown", () -> {
            proxy.close();
        });
        System.out.println("======== Running on " + proxy.url() + " ========");
        System.out.println("(Press CTRL+C to quit)");
        System.out.flush();
        return running.await();
    }

    /**
     * Keeps Javalin's start-up and failure logs (the proxy reports those itself) and Jetty's routine warnings
     * off the terminal, unless configured otherwise.
     */
    private static void quietServerLogs() {
        String[][] levels = {{"io.javalin", "off"}, {"org.eclipse.jetty", "error"}};
        for (String[] level : levels) {
            String key = "org.slf4j.simpleLogger.log." + level[0];
            if (System.getProperty(key) == null) {
                System.setProperty(key, level[1]);
            }
        }
    }
}
