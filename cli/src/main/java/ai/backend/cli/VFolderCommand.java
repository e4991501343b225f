package ai.backend.cli;

import ai.backend.client.Session;
import ai.backend.client.TransferListener;
import ai.backend.client.vfolder.Invitation;
import ai.backend.client.vfolder.VFolderHosts;
import ai.backend.client.vfolder.VFolderInfo;
import ai.backend.client.vfolder.VFolders;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code backend.ai vfolder ...}: virtual folders. Every failure exits 1 (19.03 exited 0 on several). */
@Command(name = "vfolder", mixinStandardHelpOptions = true, description = "Provides virtual folder operations.",
        subcommands = {VFolderCommand.ListFolders.class, VFolderCommand.ListHosts.class, VFolderCommand.Create.class,
                VFolderCommand.Delete.class, VFolderCommand.Rename.class, VFolderCommand.Info.class,
                VFolderCommand.Upload.class, VFolderCommand.Download.class, VFolderCommand.Mkdir.class,
                VFolderCommand.Rm.class, VFolderCommand.Ls.class, VFolderCommand.Cp.class, VFolderCommand.Invite.class,
                VFolderCommand.Invitations.class})
final class VFolderCommand implements Runnable {
    @ParentCommand
    BackendAiCommand root;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The base of every vfolder subcommand: the session it talks through. */
    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        VFolderCommand parent;

        final Pretty pretty = Pretty.stderr(false);

        Session session() {
            return new Session(Connection.resolve(parent.root.global, pretty, false));
        }

        @Override
        public Integer call() throws Exception {
            try (Session s = session()) {
                return run(s.vfolders());
            }
        }

        abstract int run(VFolders v) throws Exception;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists your virtual folders.")
    static final class ListFolders extends Sub {
        @Option(names = "--output", defaultValue = "table", paramLabel = "FORMAT", description = "table (default) or json.")
        String output;

        @Override
        int run(VFolders v) {
            List<VFolderInfo> list = v.list();
            if (output.equals("json")) {
                var array = ai.backend.client.internal.Json.MAPPER.createArrayNode();
                list.forEach(f -> array.add(f.raw()));
                System.out.println(array.toPrettyString());
                return 0;
            }
            if (list.isEmpty()) {
                pretty.info("There is no virtual folders created yet.");
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            list.forEach(f -> rows.add(List.of(f.name(), f.id(), f.isOwner() ? "True" : "False", f.permission())));
            Tables.simple(List.of("Name", "ID", "Owner", "Permission"), rows).forEach(System.out::println);
            return 0;
        }
    }

    @Command(name = "list-hosts", mixinStandardHelpOptions = true, description = "Lists the hosts where you can create folders.")
    static final class ListHosts extends Sub {
        @Override
        int run(VFolders v) {
            VFolderHosts hosts = v.listHosts();
            System.out.println("Default vfolder host: " + hosts.defaultHost());
            System.out.println("Usable hosts: " + String.join(", ", hosts.allowed()));
            return 0;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a virtual folder.")
    static final class Create extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", arity = "0..1", paramLabel = "HOST", description = "The host (default: the server's default host).")
        String host;

        @Override
        int run(VFolders v) {
            v.create(name, host);
            pretty.info("Virtual folder \"" + name + "\" is created.");
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes a virtual folder and its files.")
    static final class Delete extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        int run(VFolders v) {
            v.delete(name);
            pretty.done("Deleted.");
            return 0;
        }
    }

    @Command(name = "rename", mixinStandardHelpOptions = true, description = "Renames a virtual folder.")
    static final class Rename extends Sub {
        @Parameters(index = "0", paramLabel = "OLD_NAME")
        String oldName;

        @Parameters(index = "1", paramLabel = "NEW_NAME")
        String newName;

        @Override
        int run(VFolders v) {
            v.rename(oldName, newName);
            pretty.done("Renamed.");
            return 0;
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Shows a virtual folder.")
    static final class Info extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        int run(VFolders v) {
            VFolderInfo f = v.info(name);
            System.out.println("Virtual folder \"" + f.name() + "\" (ID: " + f.id() + ")");
            System.out.println("- Owner: " + (f.isOwner() ? "True" : "False"));
            System.out.println("- Permission: " + f.permission());
            System.out.println("- Number of files: " + f.numFiles());
            return 0;
        }
    }

    @Command(name = "upload", mixinStandardHelpOptions = true, description = "Uploads files (relative to the current directory).")
    static final class Upload extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILES")
        List<Path> files = new ArrayList<>();

        @Option(names = {"-q", "--quiet"}, description = "Hide the progress bar.")
        boolean quiet;

        @Override
        int run(VFolders v) {
            TransferListener bar = Progress.create("Uploading", quiet);
            v.upload(name, files, Path.of(""), bar);
            Progress.finish(bar);
            pretty.done("Done.");
            return 0;
        }
    }

    @Command(name = "download", mixinStandardHelpOptions = true, description = "Downloads files into a directory.")
    static final class Download extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILES")
        List<String> files = new ArrayList<>();

        @Option(names = {"-d", "--dest"}, paramLabel = "PATH", defaultValue = ".", description = "Where to save (default: the current directory).")
        Path dest;

        @Option(names = {"-q", "--quiet"}, description = "Hide the progress bar.")
        boolean quiet;

        @Override
        int run(VFolders v) {
            TransferListener bar = Progress.create("Downloading", quiet);
            v.download(name, files, dest, bar);
            Progress.finish(bar);
            pretty.done("Done.");
            return 0;
        }
    }

    @Command(name = "mkdir", mixinStandardHelpOptions = true, description = "Creates a directory (and its parents).")
    static final class Mkdir extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "PATH")
        String path;

        @Override
        int run(VFolders v) {
            v.mkdir(name, path);
            pretty.done("Done.");
            return 0;
        }
    }

    @Command(name = "rm", aliases = "delete-file", mixinStandardHelpOptions = true, description = "Deletes files.")
    static final class Rm extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILENAMES")
        List<String> files = new ArrayList<>();

        @Option(names = {"-r", "--recursive"}, description = "Delete directories and their contents.")
        boolean recursive;

        @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
        boolean yes;

        @Override
        int run(VFolders v) throws IOException {
            if (!yes) {
                System.out.print("> Are you sure? (y/n): ");
                System.out.flush();
                String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (answer == null || !answer.trim().toLowerCase(Locale.ROOT).startsWith("y")) {
                    pretty.warn("Cancelled; nothing was deleted.");
                    return 1;
                }
            }
            v.deleteFiles(name, files, recursive);
            pretty.done("Done.");
            return 0;
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "Lists the files of a directory of a folder.")
    static final class Ls extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", arity = "0..1", defaultValue = ".", paramLabel = "PATH")
        String path;

        @Option(names = "--output", defaultValue = "table", paramLabel = "FORMAT", description = "table (default) or json.")
        String output;

        @Override
        int run(VFolders v) {
            pretty.waiting("Retrieving list of files in \"" + path + "\"...");
            var entries = v.listFiles(name, path);
            pretty.done("Retrieved.");
            SessionFileCommands.printEntries(entries, output);
            return 0;
        }
    }

    @Command(name = "cp", mixinStandardHelpOptions = true,
            description = {"Copies files between the local machine and folders: a folder side is written NAME:PATH.",
                    "e.g. vfolder cp data.csv mydata:input/  or  vfolder cp mydata:out/result.txt ."})
    static final class Cp extends Sub {
        @Parameters(index = "0", paramLabel = "SOURCE")
        String source;

        @Parameters(index = "1", paramLabel = "DEST")
        String dest;

        @Override
        int run(VFolders v) throws IOException {
            int s = source.indexOf(':');
            int d = dest.indexOf(':');
            if ((s > 0) == (d > 0)) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "Exactly one of SOURCE and DEST must be a folder path (NAME:PATH).");
            }
            if (d > 0) { // upload: the file goes to PATH inside the folder
                String folder = dest.substring(0, d);
                String target = dest.substring(d + 1);
                Path file = Path.of(source);
                Path staging = Files.createTempDirectory("vfolder-cp-");
                try {
                    String rel = target.isEmpty() || target.endsWith("/") ? target + file.getFileName() : target;
                    Path staged = staging.resolve(rel).normalize();
                    if (!staged.startsWith(staging)) {
                        throw new IllegalArgumentException("Invalid folder path: " + target);
                    }
                    Files.createDirectories(staged.getParent());
                    Files.createSymbolicLink(staged, file.toAbsolutePath());
                    v.upload(folder, List.of(staged), staging, TransferListener.NONE);
                } finally {
                    try (var walk = Files.walk(staging)) {
                        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            } else { // download into a directory
                v.download(source.substring(0, s), List.of(source.substring(s + 1)), Path.of(dest), TransferListener.NONE);
            }
            pretty.done("Done.");
            return 0;
        }
    }

    @Command(name = "invite", mixinStandardHelpOptions = true, description = "Invites users to share a folder.")
    static final class Invite extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "EMAILS")
        List<String> emails = new ArrayList<>();

        @Option(names = {"-p", "--perm"}, defaultValue = "rw", paramLabel = "PERMISSION", description = "ro, rw (default) or wd.")
        String perm;

        @Override
        int run(VFolders v) {
            if (!List.of("ro", "rw", "wd").contains(perm)) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "Invalid permission: " + perm);
            }
            List<String> invited = v.invite(name, perm, emails);
            if (invited.isEmpty()) {
                pretty.warn("No users found. Invitation was not sent.");
            } else {
                System.out.println("Invitation sent to:");
                invited.forEach(i -> System.out.println("\t- " + i));
            }
            return 0;
        }
    }

    @Command(name = "invitations", mixinStandardHelpOptions = true,
            description = "Lists your invitations and accepts or rejects one (interactively, or with --accept/--reject).")
    static final class Invitations extends Sub {
        @Option(names = "--accept", paramLabel = "ID", description = "Accept this invitation without asking.")
        String accept;

        @Option(names = "--reject", paramLabel = "ID", description = "Reject this invitation without asking.")
        String reject;

        @Option(names = "--output", defaultValue = "table", paramLabel = "FORMAT", description = "table (default) or json.")
        String output;

        @Override
        int run(VFolders v) throws IOException {
            String accessKey = Connection.resolve(parent.root.global, pretty, false).accessKey();
            if (accept != null) {
                v.acceptInvitation(accept, accessKey);
                pretty.done("You can now access the virtual folder of invitation " + accept + ".");
                return 0;
            }
            if (reject != null) {
                v.deleteInvitation(reject);
                pretty.done("Invitation " + reject + " is rejected.");
                return 0;
            }
            List<Invitation> list = v.invitations();
            if (output.equals("json")) {
                var array = ai.backend.client.internal.Json.MAPPER.createArrayNode();
                list.forEach(i -> array.add(i.raw()));
                System.out.println(array.toPrettyString());
                return 0;
            }
            if (list.isEmpty()) {
                System.out.println("No invitations.");
                return 0;
            }
            System.out.println("List of invitations (inviter, vfolder id, permission):");
            for (int i = 0; i < list.size(); i++) {
                Invitation inv = list.get(i);
                String perm = inv.permission().equals("rw") ? "read-write" : inv.permission().equals("ro") ? "read-only" : inv.permission();
                System.out.println("[" + (i + 1) + "] " + inv.inviter() + ", " + inv.vfolderId() + ", " + perm);
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            System.out.print("Choose invitation number to manage: ");
            System.out.flush();
            String number = in.readLine();
            int n;
            try {
                n = Integer.parseInt(number == null ? "" : number.trim());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > list.size()) {
                pretty.warn("No such invitation; nothing was done.");
                return 1;
            }
            System.out.print("Choose action. (a)ccept, (r)eject, (c)ancel: ");
            System.out.flush();
            String action = in.readLine();
            Invitation chosen = list.get(n - 1);
            if (action != null && action.trim().toLowerCase(Locale.ROOT).startsWith("a")) {
                v.acceptInvitation(chosen.id(), accessKey);
                System.out.println("You can now access vfolder " + chosen.vfolderId());
            } else if (action != null && action.trim().toLowerCase(Locale.ROOT).startsWith("r")) {
                v.deleteInvitation(chosen.id());
                System.out.println("vfolder invitation rejected: " + chosen.id());
            } else {
                pretty.warn("Cancelled; nothing was done.");
                return 1;
            }
            return 0;
        }
    }
}
