package ai.backend.cli;

import ai.backend.client.TransferListener;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar for transfers on stderr, redrawn at most ten times a second; shown only when stderr is a
 * terminal and not in quiet mode (then it is {@link TransferListener#NONE}).
 */
final class Progress implements TransferListener {
    private final PrintStream err = System.err;
    private final String label;
    private long lastDraw;
    private String lastFile;

    private Progress(String label) {
        this.label = label;
    }

    static TransferListener create(String label, boolean quiet) {
        return quiet || System.console() == null ? TransferListener.NONE : new Progress(label);
    }

    @Override
    public synchronized void onProgress(String file, long done, long total) {
        long now = System.nanoTime();
        boolean complete = total >= 0 && done >= total;
        if (!complete && file.equals(lastFile) && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        lastFile = file;
        String amount = total >= 0 ? StatsTable.naturalSize(done) + "/" + StatsTable.naturalSize(total)
                : StatsTable.naturalSize(done);
        String bar = "";
        if (total > 0) {
            int width = 24;
            int filled = (int) Math.min(width, done * width / total);
            bar = " [" + "#".repeat(filled) + " ".repeat(width - filled) + "] "
                    + String.format(Locale.ROOT, "%3d%%", (int) Math.min(100, done * 100 / total));
        }
        err.print("\u001b[2K\r" + label + " " + file + bar + " " + amount);
        if (complete) {
            err.println();
        }
        err.flush();
    }

    /** Ends the bar's line. */
    static void finish(TransferListener listener) {
        if (listener instanceof Progress) {
            System.err.print("\u001b[2K\r");
            System.err.flush();
        }
    }
}
