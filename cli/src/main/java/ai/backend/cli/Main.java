package ai.backend.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code backend.ai} command. Exit status: 0 on success, 1 on failure, 2 on usage errors, or the
 * remote program's own non-zero exit code for {@code run}.
 *
 * <p>Start-up is kept short by building the full picocli model only for the subcommand being run; the
 * others are registered as name-and-description stubs, which is all the root help needs.
 */
public final class Main {
    /** One subcommand: its names, its one-line description and its annotated class. */
    private record Entry(String name, String[] aliases, String[] description, Class<?> type) {
        boolean matches(String word) {
            if (name.equals(word)) {
                return true;
            }
            for (String alias : aliases) {
                if (alias.equals(word)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final String[] NONE = {};
    private static final Entry[] COMMANDS = {
        new Entry("config", NONE, lines("Shows the current configuration (no request is made; the secret key is masked)."),
                ConfigCommand.class),
        new Entry("run", NONE, lines("Run the given code snippet or files in a session.",
                "Depending on the session ID you give (default is random), it may reuse an existing session or create a new one."),
                RunCommand.class),
        new Entry("start", NONE, lines("Prepare and start a single compute session without executing codes."),
                StartCommand.class),
        new Entry("terminate", new String[] {"rm", "kill"}, lines("Terminate the given sessions."), TerminateCommand.class),
        new Entry("ps", NONE, lines("Lists the running sessions (admin sessions --status RUNNING)."), PsCommand.class),
        new Entry("upload", NONE, lines("Uploads files to a session."), SessionFileCommands.Upload.class),
        new Entry("download", NONE, lines("Downloads files from a session."), SessionFileCommands.Download.class),
        new Entry("ls", NONE, lines("Lists the files of a session."), SessionFileCommands.Ls.class),
        new Entry("vfolder", NONE, lines("Provides virtual folder operations."), VFolderCommand.class),
        new Entry("admin", NONE, lines("Provides the admin API access."), AdminCommand.class),
        new Entry("manager", NONE, lines("Provides manager status and administration."), ManagerCommand.class),
        new Entry("app", NONE, lines("Run a local proxy to a service provided by Backend.AI compute sessions.",
                "The type of proxy depends on the app definition: plain TCP or HTTP."), AppCommand.class),
        new Entry("logs", NONE, lines("Shows the output logs of a running container."), LogsCommand.class),
        new Entry("server", NONE, lines("Run the local Backend.AI server in the foreground (Ctrl-C stops it), or stop or locate it.",
                "It runs compute sessions as local processes and keeps its state in the data directory."),
                ServerCommand.class),
        new Entry("proxy", NONE, lines("Run a non-encrypted non-authorized API proxy server.", "Use this only for development and testing!"),
                ProxyCommand.class),
    };

    private static String[] lines(String... lines) {
        return lines;
    }

    private Main() {
    }

    public static void main(String[] args) {
        // Like Python 3.7+ (even in the POSIX locale), write UTF-8 whatever the locale says.
        System.setOut(new java.io.PrintStream(new java.io.BufferedOutputStream(
                new java.io.FileOutputStream(java.io.FileDescriptor.out), 1 << 16), false,
                java.nio.charset.StandardCharsets.UTF_8));
        System.setErr(new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true,
                java.nio.charset.StandardCharsets.UTF_8));
        int status = run(args);
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    /** Runs the CLI in this process and returns its exit status. */
    public static int run(String... args) {
        if (args.length == 0 || (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h")))) {
            if (printRenderedUsage()) {
                return 0;
            }
        }
        BackendAiCommand root = new BackendAiCommand();
        if (args.length == 1 && args[0].equals("config")) {
            // the most common call without options: no picocli model needed
            ConfigCommand config = new ConfigCommand();
            config.root = root;
            try {
                return config.call();
            } catch (RuntimeException e) {
                ErrorPrinter.print(e, false);
                return 1;
            }
        }
        CommandLine cli = commandLine(root, subcommandWord(args), false);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            ErrorPrinter.print(e, root.global.debug);
            return 1;
        });
        return cli.execute(args);
    }

    /**
     * The command line with the full model of {@code invoked} (or of every subcommand when {@code all})
     * and stubs for the others.
     */
    static CommandLine commandLine(BackendAiCommand root, String invoked, boolean all) {
        CommandLine cli = new CommandLine(root);
        for (Entry e : COMMANDS) {
            if (all || e.matches(invoked)) {
                CommandLine sub = new CommandLine(newInstance(e.type()));
                sub.getCommandSpec().usageMessage().description(e.description());
                cli.addSubcommand(e.name(), sub, e.aliases());
            } else {
                CommandSpec stub = CommandSpec.create().name(e.name()).aliases(e.aliases());
                stub.usageMessage().description(e.description()[0]);
                cli.addSubcommand(e.name(), stub);
            }
        }
        return cli;
    }

    /** Prints the usage text rendered at build time; false when it is missing (e.g. in an IDE build). */
    private static boolean printRenderedUsage() {
        try (java.io.InputStream in = Main.class.getResourceAsStream(HelpRenderer.RESOURCE)) {
            if (in == null) {
                return false;
            }
            System.out.write(in.readAllBytes());
            System.out.flush();
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The first argument that is not a root option: the subcommand's name (or null). */
    private static String subcommandWord(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--profile")) {
                i++; // the root options that take a value
            } else if (!args[i].startsWith("-")) {
                return args[i];
            }
        }
        return null;
    }

    private static Object newInstance(Class<?> type) {
        try {
            java.lang.reflect.Constructor<?> c = type.getDeclaredConstructor();
            c.setAccessible(true);
            return c.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot create the command " + type.getName(), e);
        }
    }
}
