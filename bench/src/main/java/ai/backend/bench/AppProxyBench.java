package ai.backend.bench;

import ai.backend.client.APIConfig;
import ai.backend.client.Session;
import ai.backend.client.kernel.AppProxy;
import ai.backend.client.kernel.CreateKernelRequest;
import ai.backend.client.kernel.Kernel;
import ai.backend.local.LocalServer;
import ai.backend.local.LocalServerConfig;
import ai.backend.local.agent.LocalKernel;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The app proxy (§5.3) against the service it fronts: a file of N MB downloaded from a python session's
 * {@code files} app through the SDK's {@link AppProxy} (local TCP → WebSocket → server → service) and directly
 * from the service's loopback port, and the time of a small GET (a new TCP connection, hence a new WebSocket,
 * each time, as http.server speaks HTTP/1.0). Run with {@code bench/run-app-proxy.sh [MEGABYTES]}.
 */
public final class AppProxyBench {
    private AppProxyBench() {
    }

    public static void main(String[] args) throws Exception {
        int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path dir = Files.createTempDirectory("bench-app-");
        try (LocalServer server = LocalServer.start(LocalServerConfig.defaults(dir).withPort(0))) {
            APIConfig config = APIConfig.builder().endpoint(server.endpoint()).accessKey(server.userKeypair().accessKey())
                    .secretKey(server.userKeypair().secretKey()).build();
            try (Session s = new Session(config)) {
                Kernel k = s.kernels().getOrCreate(CreateKernelRequest.builder("python").clientToken("bench-app").build());
                LocalKernel local = server.agent().sessions().get(0);
                byte[] chunk = new byte[1 << 20];
                new Random(1).nextBytes(chunk);
                try (OutputStream out = Files.newOutputStream(local.workDir().resolve("big.bin"))) {
                    for (int i = 0; i < megabytes; i++) {
                        out.write(chunk);
                    }
                }
                Files.writeString(local.workDir().resolve("small.txt"), "ok");
                long expected = (long) megabytes << 20;
                try (AppProxy proxy = k.proxyApp("files", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null)) {
                    String viaProxy = "http://127.0.0.1:" + proxy.localAddress().getPort();
                    get(viaProxy + "/small.txt"); // starts the service
                    int servicePort = server.agent().startService(local, local.image().service("files").orElseThrow());
                    String direct = "http://127.0.0.1:" + servicePort;
                    List<Double> proxied = new ArrayList<>();
                    List<Double> straight = new ArrayList<>();
                    for (int run = 0; run < 4; run++) {      // run 0 warms up
                        double p = download(viaProxy + "/big.bin", expected);
                        double d = download(direct + "/big.bin", expected);
                        if (run > 0) {
                            proxied.add(p);
                            straight.add(d);
                        }
                    }
                    double[] smallProxy = smallGets(viaProxy + "/small.txt", 200);
                    double[] smallDirect = smallGets(direct + "/small.txt", 200);
                    System.out.printf("%d MB through the app proxy: median %.1f MB/s (runs: %s)%n", megabytes,
                            median(proxied), runs(proxied));
                    System.out.printf("%d MB straight from the service:  median %.1f MB/s (runs: %s)%n", megabytes,
                            median(straight), runs(straight));
                    System.out.printf("proxy / direct: %.2f%n", median(proxied) / median(straight));
                    System.out.printf("small GET, new connection each: proxy median %.2f ms (p90 %.2f), direct median %.2f ms"
                            + " (p90 %.2f)%n", smallProxy[0], smallProxy[1], smallDirect[0], smallDirect[1]);
                }
                k.destroy();
            }
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static void get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError(url + " answered " + r.statusCode());
        }
    }

    /** MB/s of one download, checking its length. */
    private static double download(String url, long expected) throws Exception {
        long t = System.nanoTime();
        HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long total = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = r.body()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
            }
        }
        if (total != expected) {
            throw new AssertionError(url + ": " + total + " bytes, expected " + expected);
        }
        return expected / 1e6 / ((System.nanoTime() - t) / 1e9);
    }

    /** Median and p90 in ms of {@code n} small GETs. */
    private static double[] smallGets(String url, int n) throws Exception {
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            get(url);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return new double[] {ms[n / 2], ms[n * 9 / 10]};
    }

    private static String runs(List<Double> values) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add(String.format(java.util.Locale.ROOT, "%.1f", v)));
        return String.join(" ", out);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
