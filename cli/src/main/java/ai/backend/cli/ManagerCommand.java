package ai.backend.cli;

import ai.backend.client.Session;
import ai.backend.client.manager.ManagerStatus;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code backend.ai manager status|freeze|unfreeze}. Freezing and unfreezing need an admin keypair. */
@Command(name = "manager", mixinStandardHelpOptions = true, description = "Provides manager status and administration.",
        subcommands = {ManagerCommand.Status.class, ManagerCommand.Freeze.class, ManagerCommand.Unfreeze.class})
final class ManagerCommand implements Runnable {
    @ParentCommand
    BackendAiCommand root;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Shows the manager's status.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        ManagerCommand parent;

        @Option(names = "--output", defaultValue = "table", paramLabel = "FORMAT", description = "table (default) or json.")
        String output;

        @Override
        public Integer call() {
            try (Session s = new Session(Connection.resolve(parent.root.global, Pretty.stderr(false), false))) {
                ManagerStatus st = s.manager().status();
                if (output.equals("json")) {
                    System.out.println(st.raw().toPrettyString());
                } else {
                    Tables.simple(List.of("Status", "Active Sessions"),
                            List.of(List.of(st.status(), Integer.toString(st.activeSessions())))).forEach(System.out::println);
                }
                return 0;
            }
        }
    }

    @Command(name = "freeze", mixinStandardHelpOptions = true,
            description = "Freezes the manager: no new sessions (admins). With --wait, waits until no session runs.")
    static final class Freeze implements Callable<Integer> {
        @ParentCommand
        ManagerCommand parent;

        @Option(names = "--wait", description = "Wait until every session has ended.")
        boolean waitForSessions;

        @Option(names = "--force-kill", description = "End every session now.")
        boolean forceKill;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            if (waitForSessions && forceKill) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "You cannot use both --wait and --force-kill options at the same time.");
            }
            Pretty pretty = Pretty.stderr(false);
            try (Session s = new Session(Connection.resolve(parent.root.global, pretty, true))) {
                if (forceKill) {
                    pretty.waiting("Killing all sessions...");
                }
                s.manager().freeze(forceKill);
                if (forceKill) {
                    pretty.done("All sessions are killed.");
                }
                if (waitForSessions) {
                    for (int left = s.manager().status().activeSessions(); left > 0; left = s.manager().status().activeSessions()) {
                        pretty.waiting("Waiting for all sessions terminated... (" + left + " left)");
                        Thread.sleep(3000);
                    }
                    pretty.done("All sessions are terminated.");
                }
                pretty.done("Manager is successfully frozen.");
                return 0;
            }
        }
    }

    @Command(name = "unfreeze", mixinStandardHelpOptions = true, description = "Unfreezes the manager (admins).")
    static final class Unfreeze implements Callable<Integer> {
        @ParentCommand
        ManagerCommand parent;

        @Override
        public Integer call() {
            Pretty pretty = Pretty.stderr(false);
            try (Session s = new Session(Connection.resolve(parent.root.global, pretty, true))) {
                s.manager().unfreeze();
                pretty.done("Manager is successfully unfrozen.");
                return 0;
            }
        }
    }
}
