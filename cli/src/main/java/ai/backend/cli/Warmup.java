package ai.backend.cli;

import ai.backend.client.APIConfig;
import ai.backend.client.Request;
import ai.backend.client.internal.HttpEngine;
import ai.backend.client.internal.Json;
import ai.backend.client.kernel.ExecutionResult;
import java.io.OutputStream;
import java.io.PrintStream;
import picocli.CommandLine;

/**
 * Loads the classes that common commands use, without any network or file access, so that the launcher
 * can record them in a class-data sharing archive ({@code -XX:ArchiveClassesAtExit}).
 */
public final class Warmup {
    private Warmup() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream devNull = new PrintStream(OutputStream.nullOutputStream());
        CommandLine cli = Main.commandLine(new BackendAiCommand(), null, true);
        cli.usage(devNull);
        for (CommandLine sub : cli.getSubcommands().values()) {
            sub.usage(devNull);
        }
        cli.parseArgs("run", "-c", "print(1)", "--rm", "-t", "warm", "python");
        APIConfig config = APIConfig.builder().endpoint("http://127.0.0.1:9").accessKey("AKIAWARMUP").secretKey("warmup-secret").build();
        try (HttpEngine engine = new HttpEngine(config)) {
            engine.signedHeaders(Request.post("/kernel/create").jsonBody(java.util.Map.of("lang", "python")).build(), false);
        }
        ExecutionResult.fromJson(Json.parse("{\"runId\": \"x\", \"status\": \"finished\", \"exitCode\": 0, "
                + "\"options\": null, \"files\": [], \"console\": [[\"stdout\", \"1\\n\"]]}"));
        Pretty.stderr(true).info("warm");
        Connection.usesLocalServer(System::getenv);
        PrintStream out = System.out;
        PrintStream err = System.err;
        System.setOut(devNull);
        System.setErr(devNull);
        try {
            Main.run("config");
            Main.run("run", "--help");
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
