package ai.backend.bench;

import ai.backend.client.AsyncSession;
import ai.backend.client.Session;
import ai.backend.client.kernel.AsyncKernel;
import ai.backend.client.kernel.ConsoleRecord;
import ai.backend.client.kernel.CreateKernelRequest;
import ai.backend.client.kernel.ExecuteRequest;
import ai.backend.client.kernel.ExecutionResult;
import ai.backend.client.kernel.ExecutionStream;
import ai.backend.client.kernel.Kernel;
import ai.backend.local.LocalServer;
import ai.backend.local.LocalServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end execution benchmarks against an in-process local server on loopback: query round trip,
 * session creation, 50 concurrent sessions from one AsyncSession, and 100 MB of output through the
 * stream and the REST loop (checked byte for byte). Run with {@code bench/run-execution.sh [MEGABYTES [roundtrip|create|throughput|concurrent]]}.
 */
public final class ExecutionBench {
    private ExecutionBench() {
    }

    public static void main(String[] args) throws Exception {
        int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Path dir = Files.createTempDirectory("bench-");
        try (LocalServer server = LocalServer.start(LocalServerConfig.defaults(dir).withPort(0))) {
            var config = ai.backend.client.APIConfig.builder().endpoint(server.endpoint())
                    .accessKey(server.userKeypair().accessKey()).secretKey(server.userKeypair().secretKey()).build();
            String only = args.length > 1 ? args[1] : "all";
            try (Session session = new Session(config)) {
                if (only.equals("all") || only.equals("roundtrip")) {
                    roundTrip(session);
                }
                if (only.equals("all") || only.equals("create")) {
                    creation(session);
                }
                if (only.equals("all") || only.equals("throughput")) {
                    throughput(session, megabytes);
                }
            }
            if (only.equals("all") || only.equals("concurrent")) {
                try (AsyncSession async = new AsyncSession(config)) {
                    concurrent(async, 50);
                }
            }
        }
    }

    private static String percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2] / 1e6;
        double p99 = sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6;
        return String.format("median %.2f ms, p99 %.2f ms, min %.2f ms (n=%d)", median, p99, sorted[0] / 1e6, sorted.length);
    }

    static void roundTrip(Session session) {
        Kernel k = session.kernels().getOrCreate(CreateKernelRequest.builder("python").build());
        try {
            for (int i = 0; i < 200; i++) {
                k.execute(ExecuteRequest.query("print(1)"));
            }
            long[] samples = new long[1000];
            for (int i = 0; i < samples.length; i++) {
                long t = System.nanoTime();
                ExecutionResult r = k.execute(ExecuteRequest.query("print(1)"));
                samples[i] = System.nanoTime() - t;
                if (!r.stdout().equals("1\n")) {
                    throw new AssertionError("wrong output: " + r.stdout());
                }
            }
            System.out.println("query round trip of print(1) (REST, loopback): " + percentiles(samples));
        } finally {
            k.destroy();
        }
    }

    static void creation(Session session) {
        long[] samples = new long[30];
        for (int i = 0; i < samples.length; i++) {
            long t = System.nanoTime();
            Kernel k = session.kernels().getOrCreate(CreateKernelRequest.builder("python").build());
            samples[i] = System.nanoTime() - t;
            if (!k.ref().created()) {
                throw new AssertionError("not created");
            }
            k.destroy();
        }
        System.out.println("session creation (time to created): " + percentiles(samples));
    }

    static void throughput(Session session, int megabytes) throws Exception {
        int lines = megabytes * 10_000;                  // 100-byte lines: 99 characters and a newline
        String code = "import sys\nw = sys.stdout.write\nfor i in range(" + lines + "):\n    w('%099d\\n' % i)\n";
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < lines; i++) {
            expected.update(String.format("%099d\n", i).getBytes(StandardCharsets.US_ASCII));
        }
        String want = HexFormat.of().formatHex(expected.digest());
        long bytes = (long) lines * 99 + lines;
        Kernel k = session.kernels().getOrCreate(CreateKernelRequest.builder("python").build());
        try {
            MessageDigest got = MessageDigest.getInstance("SHA-256");
            long received = 0;
            long t = System.nanoTime();
            try (ExecutionStream s = k.stream(code, Duration.ofSeconds(60))) {
                for (ExecutionResult r = s.next(); r != null; r = s.next()) {
                    for (ConsoleRecord c : r.console()) {
                        if (c instanceof ConsoleRecord.Stdout) {
                            byte[] b = ((ConsoleRecord.Stdout) c).text().getBytes(StandardCharsets.US_ASCII);
                            got.update(b);
                            received += b.length;
                        }
                    }
                }
            }
            double seconds = (System.nanoTime() - t) / 1e9;
            boolean exact = want.equals(HexFormat.of().formatHex(got.digest())) && received == bytes;
            System.out.printf("stream: %d MB of lines in %.2f s = %.1f MB/s, byte-exact and in order: %s%n",
                    bytes / 1_000_000, seconds, bytes / 1e6 / seconds, exact);

            got.reset();
            received = 0;
            t = System.nanoTime();
            ExecutionResult r = k.execute(ExecuteRequest.query(code));
            while (true) {
                for (ConsoleRecord c : r.console()) {
                    if (c instanceof ConsoleRecord.Stdout) {
                        byte[] b = ((ConsoleRecord.Stdout) c).text().getBytes(StandardCharsets.US_ASCII);
                        got.update(b);
                        received += b.length;
                    }
                }
                if (r.isFinished()) {
                    break;
                }
                r = k.execute(ExecuteRequest.continueRun(r.runId()));
            }
            seconds = (System.nanoTime() - t) / 1e9;
            exact = want.equals(HexFormat.of().formatHex(got.digest())) && received == bytes;
            System.out.printf("REST loop: %d MB of lines in %.2f s = %.1f MB/s, byte-exact and in order: %s%n",
                    bytes / 1_000_000, seconds, bytes / 1e6 / seconds, exact);
        } finally {
            k.destroy();
        }
    }

    static void concurrent(AsyncSession async, int count) throws Exception {
        long t = System.nanoTime();
        List<CompletableFuture<Boolean>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            all.add(async.kernels().getOrCreate(CreateKernelRequest.builder("python").clientToken("conc-" + n).build())
                    .thenCompose(k -> k.execute(ExecuteRequest.query("print(" + n + " * " + n + ")"))
                            .thenCompose(r -> destroyed(k, r.stdout().equals((n * n) + "\n")))));
        }
        int correct = 0;
        for (CompletableFuture<Boolean> f : all) {
            if (f.get(300, TimeUnit.SECONDS)) {
                correct++;
            }
        }
        System.out.printf("%d sessions created and executing concurrently from one AsyncSession: %d/%d outputs correct, %.2f s in all%n",
                count, correct, count, (System.nanoTime() - t) / 1e9);
    }

    private static CompletableFuture<Boolean> destroyed(AsyncKernel k, boolean ok) {
        return k.destroy().thenApply(stats -> ok);
    }
}
