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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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

    /**
     * Checks streamed text against the expected lines ({@code %099d} of 0, 1, 2, ...) as it arrives, without
     * copying or hashing it: byte-exact and in order, or the first mismatch is remembered.
     */
    static final class LineVerifier {
        private final char[] expected = new char[100];
        private long line;
        private int pos;
        private long bytes;
        private boolean ok = true;

        LineVerifier() {
            java.util.Arrays.fill(expected, '0');
            expected[99] = '\n';
        }

        private char[] chunk = new char[1 << 16];

        void accept(String text) {
            int n = text.length();
            bytes += n;
            if (chunk.length < n) {
                chunk = new char[n];
            }
            text.getChars(0, n, chunk, 0);
            int i = 0;
            while (i < n && ok) {
                int take = Math.min(100 - pos, n - i);
                ok = java.util.Arrays.equals(chunk, i, i + take, expected, pos, pos + take);
                i += take;
                pos += take;
                if (pos == 100) {
                    pos = 0;
                    line++;
                    for (int d = 98; d >= 0; d--) {      // the next line number, incremented in place
                        if (expected[d] != '9') {
                            expected[d]++;
                            break;
                        }
                        expected[d] = '0';
                    }
                }
            }
        }

        boolean exact(long lines) {
            return ok && line == lines && pos == 0 && bytes == lines * 100;
        }
    }

    static void throughput(Session session, int megabytes) throws Exception {
        Kernel k = session.kernels().getOrCreate(CreateKernelRequest.builder("python").build());
        try {
            streamOnce(k, 20);                               // warm-up (JIT), not reported
            restOnce(k, 20);
            double[] stream = new double[3];
            double[] rest = new double[3];
            boolean exact = true;
            for (int i = 0; i < 3; i++) {
                double[] s = streamOnce(k, megabytes);
                double[] r = restOnce(k, megabytes);
                stream[i] = s[0];
                rest[i] = r[0];
                exact &= s[1] == 1 && r[1] == 1;
            }
            Arrays.sort(stream);
            Arrays.sort(rest);
            System.out.printf("stream: %d MB of lines, median %.1f MB/s (runs: %.1f %.1f %.1f), byte-exact and in order: %s%n",
                    megabytes, stream[1], stream[0], stream[1], stream[2], exact);
            System.out.printf("REST loop: %d MB of lines, median %.1f MB/s (runs: %.1f %.1f %.1f), byte-exact and in order: %s%n",
                    megabytes, rest[1], rest[0], rest[1], rest[2], exact);
        } finally {
            k.destroy();
        }
    }

    /** A program printing {@code megabytes} of 100-byte lines. */
    private static String printer(int megabytes) {
        return "import sys\nw = sys.stdout.write\nfor i in range(" + megabytes * 10_000 + "):\n    w('%099d\\n' % i)\n";
    }

    /** One streamed run: {MB/s, 1 if byte-exact else 0}. */
    private static double[] streamOnce(Kernel k, int megabytes) {
        LineVerifier check = new LineVerifier();
        long t = System.nanoTime();
        try (ExecutionStream s = k.stream(printer(megabytes), Duration.ofSeconds(60))) {
            for (ExecutionResult r = s.next(); r != null; r = s.next()) {
                for (ConsoleRecord c : r.console()) {
                    if (c instanceof ConsoleRecord.Stdout) {
                        check.accept(((ConsoleRecord.Stdout) c).text());
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - t) / 1e9;
        return new double[] {megabytes / seconds, check.exact(megabytes * 10_000L) ? 1 : 0};
    }

    /** One REST continue loop: {MB/s, 1 if byte-exact else 0}. */
    private static double[] restOnce(Kernel k, int megabytes) {
        LineVerifier check = new LineVerifier();
        long t = System.nanoTime();
        ExecutionResult r = k.execute(ExecuteRequest.query(printer(megabytes)));
        while (true) {
            for (ConsoleRecord c : r.console()) {
                if (c instanceof ConsoleRecord.Stdout) {
                    check.accept(((ConsoleRecord.Stdout) c).text());
                }
            }
            if (r.isFinished()) {
                break;
            }
            r = k.execute(ExecuteRequest.continueRun(r.runId()));
        }
        double seconds = (System.nanoTime() - t) / 1e9;
        return new double[] {megabytes / seconds, check.exact(megabytes * 10_000L) ? 1 : 0};
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
