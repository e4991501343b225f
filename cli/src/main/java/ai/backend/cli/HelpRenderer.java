package ai.backend.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Renders the root command's usage text at build time into {@link #RESOURCE}, so that
 * {@code backend.ai --help} can print it without building the picocli model (a third of its start-up).
 * The text comes from picocli itself, so it always matches the commands.
 */
public final class HelpRenderer {
    /** The class-path resource holding the rendered root usage. */
    static final String RESOURCE = "root-usage.txt";

    private HelpRenderer() {
    }

    /** @param args the output directory (the build's classes directory) */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0], "ai", "backend", "cli");
        Files.createDirectories(dir);
        try (PrintStream out = new PrintStream(Files.newOutputStream(dir.resolve(RESOURCE)), false, StandardCharsets.UTF_8)) {
            Main.commandLine(new BackendAiCommand(), null, false).usage(out, picocli.CommandLine.Help.Ansi.OFF);
        }
    }
}
