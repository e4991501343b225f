package ai.backend.cli;

import ai.backend.client.kernel.Kernel;
import ai.backend.client.kernel.TerminalStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Connects this process's terminal to a session's terminal stream: keystrokes go to the remote shell,
 * its output comes back. On a real terminal the local one is put in raw mode for the duration (and
 * restored afterwards, whatever happens); piped input is sent as it is, followed by end-of-file.
 */
final class TerminalBridge {
    private TerminalBridge() {
    }

    /** Runs until the remote shell exits; returns 0, or 1 when the terminal failed. */
    static int attach(Kernel kernel) {
        boolean tty = System.console() != null;
        String saved = tty ? stty("-g") : null;
        PrintStream out = System.out;
        try (TerminalStream t = kernel.terminal(bytes -> {
            synchronized (out) {
                out.write(bytes, 0, bytes.length);
                out.flush();
            }
        })) {
            if (tty) {
                String size = stty("size");
                if (size != null && size.trim().matches("\\d+ \\d+")) {
                    String[] rc = size.trim().split(" ");
                    t.resize(Integer.parseInt(rc[0]), Integer.parseInt(rc[1]));
                }
                stty("raw", "-echo");
            }
            Thread keys = new Thread(() -> pumpInput(t), "terminal-input");
            keys.setDaemon(true);
            keys.start();
            t.closed().get();
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (java.util.concurrent.ExecutionException e) {
            return 1;
        } finally {
            if (saved != null) {
                stty(saved.trim());
            }
        }
    }

    private static void pumpInput(TerminalStream t) {
        InputStream in = System.in;
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                t.write(Arrays.copyOf(buf, n));
            }
            t.write(new byte[] {4}); // end of input: Ctrl-D to the shell
        } catch (IOException | RuntimeException e) {
            // the terminal closed
        }
    }

    /** Runs {@code stty} on the controlling terminal; returns its output, or null when it failed. */
    private static String stty(String... args) {
        try {
            List<String> cmd = new java.util.ArrayList<>(List.of("stty"));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/tty")))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 ? output : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
