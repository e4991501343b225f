package ai.backend.cli;

/** Options of the root command that every subcommand sees. */
public final class GlobalOptions {
    boolean skipSslCertValidation;
    boolean debug;
    String profile;
}
