package ai.backend.bench;

import ai.backend.client.APIConfig;
import ai.backend.client.AsyncSession;
import ai.backend.client.Request;
import ai.backend.client.Session;
import ai.backend.local.LocalServer;
import ai.backend.local.LocalServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Signed request throughput against an in-process local server: N sequential {@code VFolder.list} calls
 * through a blocking Session, the same with 32 requests in flight through an AsyncSession, and as the
 * ceiling a raw unsigned JDK HttpClient loop (32 in flight) against the same endpoint. Run with
 * {@code bench/run-requests.sh [N]}. Uses the admin keypair, whose rate limit (30000 per 15 minutes) allows 4 N requests up to N = 7000.
 */
public final class RequestBench {
    private RequestBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        Path dir = Files.createTempDirectory("bench-requests-");
        try (LocalServer server = LocalServer.start(LocalServerConfig.defaults(dir).withPort(0))) {
            APIConfig config = APIConfig.builder().endpoint(server.endpoint()).accessKey(server.adminKeypair().accessKey())
                    .secretKey(server.adminKeypair().secretKey()).build();
            try (Session s = new Session(config); AsyncSession a = new AsyncSession(config)) {
                s.vfolders().create("benchfolder", null);
                for (int round = 0; round < 2; round++) {          // the first round warms up the JIT
                    double seq = sequential(s, n);
                    double async = inFlight(a, n, 32);
                    double ceiling = ceiling(server.endpoint() + "/folders", n, 32);
                    if (round == 1) {
                        System.out.printf("blocking Session, sequential VFolder.list: %.0f requests/s%n", seq);
                        System.out.printf("AsyncSession, 32 in flight:                 %.0f requests/s%n", async);
                        System.out.printf("raw unsigned HttpClient, 32 in flight:      %.0f requests/s (ceiling)%n", ceiling);
                        System.out.printf("async SDK / ceiling: %.2f (target at least 0.70)%n", async / ceiling);
                    }
                }
            }
        }
    }

    static double sequential(Session s, int n) {
        long t = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (s.vfolders().list().isEmpty()) {
                throw new AssertionError("the folder is missing");
            }
        }
        return n / ((System.nanoTime() - t) / 1e9);
    }

    static double inFlight(AsyncSession a, int n, int width) throws Exception {
        Semaphore slots = new Semaphore(width);
        CompletableFuture<?>[] all = new CompletableFuture<?>[n];
        long t = System.nanoTime();
        for (int i = 0; i < n; i++) {
            slots.acquire();
            all[i] = a.fetch(Request.get("/folders").build()).whenComplete((r, e) -> {
                slots.release();
                if (e != null || !r.json().isArray()) {
                    throw new AssertionError("a request failed", e);
                }
            });
        }
        CompletableFuture.allOf(all).join();
        return n / ((System.nanoTime() - t) / 1e9);
    }

    static double ceiling(String url, int n, int width) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).build();
        Semaphore slots = new Semaphore(width);
        CompletableFuture<?>[] all = new CompletableFuture<?>[n];
        long t = System.nanoTime();
        for (int i = 0; i < n; i++) {
            slots.acquire();
            all[i] = client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((r, e) -> slots.release());
        }
        CompletableFuture.allOf(all).join();
        return n / ((System.nanoTime() - t) / 1e9);
    }
}
