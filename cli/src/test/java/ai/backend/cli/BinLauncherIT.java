package ai.backend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.backend.local.ServerFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the built {@code bin/backend.ai} as a user would, with a temporary HOME and nothing configured, so
 * that it starts and uses the local server; the server is stopped afterwards and nothing may be left.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class BinLauncherIT {
    private static Path home;
    private static Map<String, String> env;

    @BeforeAll
    static void freshHome() throws Exception {
        home = Files.createTempDirectory("backendai-home-");
        env = CliProcess.cleanEnv(home);
    }

    @AfterAll
    static void stopServer() throws Exception {
        Path dataDir = home.resolve(".backend.ai/local");
        String pidText = Files.exists(dataDir.resolve("server.properties"))
                ? Files.readString(dataDir.resolve("server.properties")) : "";
        CliProcess.Result stop = CliProcess.run(env, 60, "server", "stop");   // first, whatever else fails
        Optional<ServerFiles.State> state = pidText.isEmpty() ? Optional.empty() : parseState(pidText);
        assertThat(stop.exitCode()).isZero();
        if (state.isPresent()) {
            Optional<ProcessHandle> server = ProcessHandle.of(state.get().pid());
            assertThat(server.map(ProcessHandle::isAlive).orElse(false)).as("server process still alive").isFalse();
        }
        assertThat(runnerProcessesUnder(dataDir)).as("session processes left behind").isEmpty();
        CliProcess.deleteTree(home);
    }

    private static Optional<ServerFiles.State> parseState(String properties) throws java.io.IOException {
        java.util.Properties p = new java.util.Properties();
        p.load(new java.io.StringReader(properties));
        return p.getProperty("pid") == null ? Optional.empty()
                : Optional.of(new ServerFiles.State(Long.parseLong(p.getProperty("pid")), p.getProperty("endpoint")));
    }

    static List<ProcessHandle> runnerProcessesUnder(Path dataDir) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(dataDir.toString())).orElse(false))
                .toList();
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void runPrintsHelloWorldAgainstTheLocalServer() throws Exception {
        CliProcess.Result r = CliProcess.run(env, 180, "run", "--rm", "-c", "print(\"hello world\")", "python");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("hello world\n");
        assertThat(r.stderr()).contains("Started the local Backend.AI server at http://127.0.0.1:");
        assertThat(r.stderr()).contains("[0] Execution finished. (exit code = 0)").contains("Cleaned up the session.");

        // a second call reuses the running server and says nothing about starting it
        CliProcess.Result again = CliProcess.run(env, 60, "run", "-q", "--rm", "-c", "print(6 * 7)", "python");
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(again.stdout()).isEqualTo("42\n");
        assertThat(again.stderr()).isEmpty();
    }

    @Test
    void sessionsLiveOnBetweenCalls() throws Exception {
        CliProcess.Result start = CliProcess.run(env, 120, "start", "-t", "shared01", "python");
        assertThat(start.exitCode()).as(start.stderr()).isZero();
        assertThat(start.stderr()).contains("Session ID shared01 is created and ready.");
        assertThat(CliProcess.run(env, 60, "run", "-q", "-t", "shared01", "-c", "counter = 41", "python").exitCode()).isZero();
        CliProcess.Result read = CliProcess.run(env, 60, "run", "-t", "shared01", "-c", "print(counter + 1)", "python");
        assertThat(read.stdout()).isEqualTo("42\n");
        assertThat(read.stderr()).contains("Reusing session shared01...");
        CliProcess.Result ps = CliProcess.run(env, 60, "ps");
        assertThat(ps.exitCode()).as(ps.stderr()).isZero();
        List<String> table = ps.stdout().lines().toList();
        assertThat(table.get(0)).startsWith("Session ID").contains("Image").contains("Occupied Resource")
                .contains("Max Used Memory (MiB)").endsWith("CPU Using (%)");
        assertThat(table.get(1)).matches("[- ]+");
        assertThat(table.subList(2, table.size())).anySatisfy(row -> assertThat(row).startsWith("shared01").contains("RUNNING"));
        assertThat(CliProcess.run(env, 60, "ps", "--id-only").stdout().lines()).contains("shared01");
        assertThat(CliProcess.run(env, 60, "admin", "sessions", "--id-only").stdout().lines()).contains("shared01");
        CliProcess.Result detail = CliProcess.run(env, 60, "admin", "session", "shared01");
        assertThat(detail.exitCode()).as(detail.stderr()).isZero();
        assertThat(detail.stdout()).startsWith("Session detail:\n---------------\nSession ID: shared01\n").contains("Status: RUNNING");
        CliProcess.Result noSuch = CliProcess.run(env, 60, "admin", "session", "nosuch");
        assertThat(noSuch.exitCode()).isEqualTo(1);
        assertThat(noSuch.stderr()).contains("There is no such running compute session.");
        String json = CliProcess.run(env, 60, "ps", "--output", "json").stdout();
        var items = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        assertThat(items.isArray()).isTrue();
        assertThat(items.findValuesAsText("sess_id")).contains("shared01");
        CliProcess.Result rm = CliProcess.run(env, 60, "rm", "shared01");
        assertThat(rm.exitCode()).as(rm.stderr()).isZero();
        assertThat(CliProcess.run(env, 60, "ps", "--id-only").stdout().lines()).doesNotContain("shared01");
        CliProcess.Result gone = CliProcess.run(env, 60, "rm", "shared01");
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.stderr()).contains("404").contains("No such kernel.");
    }

    @Test
    void runUploadsFilesAndRunsThemInBatchModeWithStatistics() throws Exception {
        Path src = Files.createTempDirectory("run-files-");
        Files.writeString(src.resolve("main.py"), "import helper\nprint(helper.VALUE)\n");
        Files.writeString(src.resolve("helper.py"), "VALUE = 'from an uploaded module'\n");
        CliProcess.Result r = CliProcess.run(env, 120, "run", "--rm", "-s", "--basedir", src.toString(), "python",
                src.resolve("main.py").toString(), src.resolve("helper.py").toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).contains("[0] Uploading done.").contains("[0] Clean finished. (exit code = 0)")
                .contains("[0] Build finished. (exit code = 0)").contains("[0] Execution finished. (exit code = 0)")
                .contains("[0] Statistics:");
        assertThat(r.stdout()).startsWith("from an uploaded module\n").contains("cpu_used_msec").contains("mem_max_bytes")
                .doesNotContain("precpu_used");
        CliProcess.Result outside = CliProcess.run(env, 30, "run", "--basedir", src.toString(), "python", "/etc/hostname");
        assertThat(outside.exitCode()).isEqualTo(2);
        assertThat(outside.stderr()).contains("is outside of the base directory");
        CliProcess.deleteTree(src);
    }

    @Test
    void rangeExpressionsRunOneSessionPerCaseAtMostMaxParallelAtATime() throws Exception {
        Path src = Files.createTempDirectory("run-ranges-");
        Files.writeString(src.resolve("main.py"), "import os, sys, time\nstart = time.time()\ntime.sleep(0.6)\n"
                + "print(os.environ['MODE'], sys.argv[1], start, time.time())\n");
        CliProcess.Result r = CliProcess.run(env, 180, "run", "--rm", "--basedir", src.toString(), "-t", "ranges",
                "-e", "MODE=$m", "--env-range", "m=case:fast,slow", "--exec", "python main.py $n",
                "--exec-range", "n=range:1,3", "--max-parallel", "2", "python", src.resolve("main.py").toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout().lines()).containsExactly(
                "env = 'MODE=fast', build = '*', exec = 'python main.py 1'",
                "env = 'MODE=fast', build = '*', exec = 'python main.py 2'",
                "env = 'MODE=slow', build = '*', exec = 'python main.py 1'",
                "env = 'MODE=slow', build = '*', exec = 'python main.py 2'");
        assertThat(r.stderr()).contains("Running multiple sessions for the following combinations:")
                .contains("client-logs directory.");
        Path logs = home.resolve(".cache/backend.ai/client-logs");
        List<double[]> spans = new java.util.ArrayList<>();
        String[] expected = {"fast 1", "fast 2", "slow 1", "slow 2"};
        for (int i = 0; i < 4; i++) {
            String out = Files.readString(logs.resolve("ranges-" + i + ".stdout.log"));
            assertThat(out).startsWith(expected[i] + " ");
            String[] f = out.trim().split(" ");
            spans.add(new double[] {Double.parseDouble(f[2]), Double.parseDouble(f[3])});
            assertThat(Files.readString(logs.resolve("ranges-" + i + ".stderr.log"))).contains("[" + i + "] Execution finished. (exit code = 0)");
        }
        for (double[] span : spans) {
            double t = span[0] + 0.3;
            long running = spans.stream().filter(o -> o[0] <= t && t <= o[1]).count();
            assertThat(running).as("runs at once").isLessThanOrEqualTo(2);
        }
        CliProcess.Result bad = CliProcess.run(env, 30, "run", "-e", "A=$undefined", "-c", "1", "python");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).contains("Unknown variable $undefined");
        CliProcess.Result badRange = CliProcess.run(env, 30, "run", "--env-range", "x=grid:1", "-c", "1", "python");
        assertThat(badRange.exitCode()).isEqualTo(2);
        assertThat(badRange.stderr()).contains("Unrecognized range expression type 'grid'");
        CliProcess.deleteTree(src);
    }

    @Test
    void terminalModeConnectsStandardInputToAShellInTheSession() throws Exception {
        CliProcess.Result r = CliProcess.runWithInput(env, 120, "echo \"term-$((6 * 7))\"\nexit\n", "run", "--rm", "--terminal", "python");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("term-42");
        assertThat(r.stderr()).contains("Cleaned up the session.");
        CliProcess.Result bad = CliProcess.run(env, 30, "run", "--terminal", "--env-range", "x=case:a,b", "python");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).contains("You cannot run multiple cases with terminal.");
    }

    @Test
    void sessionFilesAreUploadedListedAndDownloadedByteExact() throws Exception {
        Path dir = Files.createTempDirectory("session-files-");
        Files.writeString(dir.resolve("crlf.txt"), "one\r\ntwo\r\n");
        Files.createDirectories(dir.resolve("sub"));
        byte[] binary = new byte[100_000];
        new java.util.Random(3).nextBytes(binary);
        Files.write(dir.resolve("sub/data.bin"), binary);
        assertThat(CliProcess.run(env, 120, "start", "-t", "filesess", "python").exitCode()).isZero();
        try {
            ProcessBuilder pb = new ProcessBuilder(CliProcess.projectDir().resolve("bin/backend.ai").toString(), "upload",
                    "filesess", "crlf.txt", "sub").directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            String upOut = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(upOut).isZero();
            assertThat(upOut).contains("Uploaded.");
            CliProcess.Result ls = CliProcess.run(env, 60, "ls", "filesess");
            assertThat(ls.exitCode()).as(ls.stderr()).isZero();
            assertThat(ls.stdout().lines().findFirst().orElse("")).startsWith("file name").contains("size").contains("modified");
            assertThat(ls.stdout()).contains("crlf.txt").contains("sub");
            Path dest = Files.createTempDirectory("session-dest-");
            CliProcess.Result down = CliProcess.run(env, 60, "download", "filesess", "crlf.txt", "sub/data.bin",
                    "--dest", dest.toString());
            assertThat(down.exitCode()).as(down.stderr()).isZero();
            assertThat(Files.readString(dest.resolve("crlf.txt"))).isEqualTo("one\r\ntwo\r\n");
            assertThat(Files.readAllBytes(dest.resolve("data.bin"))).isEqualTo(binary);
            CliProcess.Result missing = CliProcess.run(env, 60, "download", "filesess", "nope.txt", "--dest", dest.toString());
            assertThat(missing.exitCode()).isEqualTo(1);
            assertThat(missing.stderr()).contains("Could not found the file");
            CliProcess.deleteTree(dest);
        } finally {
            CliProcess.run(env, 60, "rm", "filesess");
            CliProcess.deleteTree(dir);
        }
    }

    @Test
    void managerStatusFreezeAndUnfreeze() throws Exception {
        CliProcess.Result status = CliProcess.run(env, 60, "manager", "status");
        assertThat(status.exitCode()).as(status.stderr()).isZero();
        assertThat(status.stdout().lines().toList()).hasSize(3);
        assertThat(status.stdout()).startsWith("Status   Active Sessions\n-------  ---------------\nrunning ");
        CliProcess.Result both = CliProcess.run(env, 60, "manager", "freeze", "--wait", "--force-kill");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.stderr()).contains("You cannot use both --wait and --force-kill options at the same time.");
        CliProcess.Result freeze = CliProcess.run(env, 60, "manager", "freeze");
        assertThat(freeze.exitCode()).as(freeze.stderr()).isZero();
        assertThat(freeze.stderr()).contains("Manager is successfully frozen.");
        try {
            CliProcess.Result refused = CliProcess.run(env, 60, "run", "--rm", "-c", "1", "python");
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.stderr()).contains("503").contains("frozen");
        } finally {
            CliProcess.Result unfreeze = CliProcess.run(env, 60, "manager", "unfreeze");
            assertThat(unfreeze.exitCode()).as(unfreeze.stderr()).isZero();
            assertThat(unfreeze.stderr()).contains("Manager is successfully unfrozen.");
        }
    }

    @Test
    void remoteFailuresGiveANonZeroExitCode() throws Exception {
        CliProcess.Result r = CliProcess.run(env, 60, "run", "-q", "--rm", "-c", "import sys; sys.exit(3)", "python");
        assertThat(r.exitCode()).isEqualTo(3);
        CliProcess.Result bad = CliProcess.run(env, 60, "run", "--rm", "-c", "1", "nosuchimage");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.stderr()).contains("BackendAPIError: 400 Bad Request")
                .contains("Unknown image reference: nosuchimage").doesNotContain("at ai.backend");
    }

    @Test
    void envPrintsExportLinesThatWork() throws Exception {
        CliProcess.Result r = CliProcess.run(env, 120, "server", "env");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("export BACKEND_ENDPOINT=http://127.0.0.1:");
        assertThat(lines.get(1)).matches("export BACKEND_ACCESS_KEY=AKIA[A-Z2-7]{16}");
        assertThat(lines.get(2)).matches("export BACKEND_SECRET_KEY=[A-Za-z0-9_-]{40}");
        Map<String, String> configured = new java.util.LinkedHashMap<>(CliProcess.cleanEnv(Files.createTempDirectory("other-home-")));
        for (String line : lines) {
            String kv = line.substring("export ".length());
            configured.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        // with the exported variables, another HOME reaches the same server as a configured cluster
        CliProcess.Result run = CliProcess.run(configured, 60, "run", "-q", "--rm", "-c", "print('via env')", "python");
        assertThat(run.stdout()).isEqualTo("via env\n");
        CliProcess.Result config = CliProcess.run(configured, 30, "config");
        String secret = configured.get("BACKEND_SECRET_KEY");
        assertThat(config.stdout()).contains("API endpoint: " + configured.get("BACKEND_ENDPOINT") + "\n")
                .contains("Secret key: \"" + secret.substring(0, 6) + "*".repeat(24) + secret.substring(30) + "\"")
                .doesNotContain(secret);
    }
}
