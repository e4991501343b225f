package ai.backend.cli;

import ai.backend.client.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The root command: {@code backend.ai [OPTIONS] COMMAND [ARGS]...}. */
@Command(name = "backend.ai", description = "Backend.AI command line interface.",
        mixinStandardHelpOptions = true, versionProvider = BackendAiCommand.VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        footer = {"", "With no BACKEND_ENDPOINT, BACKEND_ACCESS_KEY and BACKEND_SECRET_KEY set, commands use the local "
                + "server, started in the background on first use (see 'backend.ai server --help')."})
public final class BackendAiCommand implements Runnable {
    final GlobalOptions global = new GlobalOptions();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--skip-sslcert-validation", description = "Skip TLS certificate checks on all API requests.")
    void setSkipSslCertValidation(boolean skip) {
        global.skipSslCertValidation = skip;
    }

    @Option(names = "--profile", paramLabel = "NAME",
            description = "The connection profile to use (default: $BACKEND_PROFILE, else the profile file's default; 'local' is the local server).")
    void setProfile(String profile) {
        global.profile = profile;
    }

    @Option(names = "--debug", description = "Show stack traces of errors.")
    void setDebug(boolean debug) {
        global.debug = debug;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Prints {@code backend.ai, version X}. */
    static final class VersionProvider implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"backend.ai, version " + Version.CLIENT_VERSION + " (Java SDK, API " + Version.API_VERSION + ")"};
        }
    }
}
