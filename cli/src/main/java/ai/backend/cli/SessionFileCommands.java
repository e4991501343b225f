package ai.backend.cli;

import ai.backend.client.Session;
import ai.backend.client.kernel.Kernel;
import ai.backend.client.vfolder.FileEntry;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code upload}, {@code download} and {@code ls}: the files of a session. */
final class SessionFileCommands {
    private SessionFileCommands() {
    }

    /** {@code backend.ai upload SESSID FILES...}: files relative to the current directory. */
    @Command(name = "upload", mixinStandardHelpOptions = true)
    static final class Upload implements Callable<Integer> {
        @ParentCommand
        BackendAiCommand root;

        @Parameters(index = "0", paramLabel = "SESSID", description = "The session ID.")
        String sessionId;

        @Parameters(index = "1..*", paramLabel = "FILES", description = "Files (relative to the current directory).")
        List<Path> files = new ArrayList<>();

        @Option(names = {"-q", "--quiet"}, description = "Hide the status lines and the progress bar.")
        boolean quiet;

        @Override
        public Integer call() {
            if (files.isEmpty()) {
                return 0;
            }
            Pretty pretty = Pretty.stderr(quiet);
            try (Session s = new Session(Connection.resolve(root.global, pretty, false))) {
                pretty.waiting("Uploading files...");
                Kernel k = s.kernels().of(sessionId);
                ai.backend.client.TransferListener bar = Progress.create("Uploading", quiet);
                k.upload(ai.backend.client.vfolder.VFolders.expand(files, Path.of("").toAbsolutePath()), Path.of(""), bar);
                Progress.finish(bar);
                pretty.done("Uploaded.");
                return 0;
            }
        }
    }

    /** {@code backend.ai download SESSID FILES... [--dest PATH]}. */
    @Command(name = "download", mixinStandardHelpOptions = true)
    static final class Download implements Callable<Integer> {
        @ParentCommand
        BackendAiCommand root;

        @Parameters(index = "0", paramLabel = "SESSID", description = "The session ID.")
        String sessionId;

        @Parameters(index = "1..*", paramLabel = "FILES", description = "Paths in the session (relative to /home/work).")
        List<String> files = new ArrayList<>();

        @Option(names = "--dest", paramLabel = "PATH", defaultValue = ".", description = "Where to save (default: the current directory).")
        Path dest;

        @Override
        public Integer call() {
            if (files.isEmpty()) {
                return 0;
            }
            Pretty pretty = Pretty.stderr(false);
            try (Session s = new Session(Connection.resolve(root.global, pretty, false))) {
                pretty.waiting("Downloading file(s) from " + sessionId + "...");
                s.kernels().of(sessionId).download(files, dest);
                pretty.done("Downloaded to " + dest.toAbsolutePath().normalize() + ".");
                return 0;
            }
        }
    }

    /** {@code backend.ai ls SESSID [PATH]}. */
    @Command(name = "ls", mixinStandardHelpOptions = true)
    static final class Ls implements Callable<Integer> {
        @ParentCommand
        BackendAiCommand root;

        @Parameters(index = "0", paramLabel = "SESSID", description = "The session ID.")
        String sessionId;

        @Parameters(index = "1", arity = "0..1", paramLabel = "PATH", defaultValue = "/home/work", description = "A directory (default: /home/work).")
        String path;

        @Option(names = "--output", defaultValue = "table", paramLabel = "FORMAT", description = "table (default) or json.")
        String output;

        @Override
        public Integer call() {
            Pretty pretty = Pretty.stderr(false);
            try (Session s = new Session(Connection.resolve(root.global, pretty, false))) {
                pretty.waiting("Retrieving list of files in \"" + path + "\"...");
                List<FileEntry> entries = s.kernels().of(sessionId).listFiles(path);
                pretty.done("Retrieved.");
                printEntries(entries, output);
                return 0;
            }
        }
    }

    private static final DateTimeFormatter MODIFIED = DateTimeFormatter.ofPattern("MMM dd yyyy HH:mm:ss", Locale.ENGLISH);

    /** The 19.03 file table (file name, size, modified, mode) or the JSON list. */
    static void printEntries(List<FileEntry> entries, String output) {
        if (output.equals("json")) {
            var array = ai.backend.client.internal.Json.MAPPER.createArrayNode();
            entries.forEach(e -> array.add(e.raw()));
            System.out.println(array.toPrettyString());
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (FileEntry e : entries) {
            String modified = "";
            try {
                double t = Double.parseDouble(e.mtime());
                modified = MODIFIED.format(Instant.ofEpochMilli((long) (t * 1000)).atZone(ZoneId.systemDefault()));
            } catch (RuntimeException ignored) {
                modified = e.mtime() == null ? "" : e.mtime();
            }
            rows.add(List.of(e.filename(), Long.toString(e.size()), modified, e.mode()));
        }
        Tables.simple(List.of("file name", "size", "modified", "mode"), rows).forEach(System.out::println);
    }
}
