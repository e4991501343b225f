package ai.backend.bench;

import ai.backend.client.APIConfig;
import ai.backend.client.Session;
import ai.backend.client.TransferListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Uploads a file to a vfolder and downloads it back through the SDK, printing the throughput and this
 * JVM's peak RSS. Run by {@code bench/transfer.sh} (which also times curl on the same transfers), usually
 * with {@code -Xmx64m} to show that memory does not grow with the file size.
 *
 * <p>Arguments: ENDPOINT ACCESS_KEY SECRET_KEY FOLDER FILE DOWNLOAD_DIR
 */
public final class TransferBench {
    private TransferBench() {
    }

    public static void main(String[] args) throws Exception {
        APIConfig config = APIConfig.builder().endpoint(args[0]).accessKey(args[1]).secretKey(args[2]).build();
        String folder = args[3];
        Path file = Path.of(args[4]);
        Path downloads = Path.of(args[5]);
        long size = Files.size(file);
        try (Session s = new Session(config)) {
            long t = System.nanoTime();
            s.vfolders().upload(folder, List.of(file), file.getParent(), TransferListener.NONE);
            double up = (System.nanoTime() - t) / 1e9;
            t = System.nanoTime();
            s.vfolders().download(folder, List.of(file.getFileName().toString()), downloads, TransferListener.NONE);
            double down = (System.nanoTime() - t) / 1e9;
            long got = Files.size(downloads.resolve(file.getFileName()));
            System.out.printf("sdk upload   %.1f MB/s (%.2f s)%n", size / 1e6 / up, up);
            System.out.printf("sdk download %.1f MB/s (%.2f s), %s%n", size / 1e6 / down, down,
                    got == size ? "size matches" : "SIZE MISMATCH " + got);
        }
        System.out.printf("sdk peak RSS %d MiB (max heap %d MiB)%n", peakRssKb() / 1024, Runtime.getRuntime().maxMemory() >> 20);
    }

    static long peakRssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
