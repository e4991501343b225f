package ai.backend.cli;

import java.io.PrintStream;

/**
 * The 19.03 status lines on stderr: info ({@code ∙}), wait ({@code ⋯}), done ({@code ✔}), fail ({@code ✘})
 * and warn. Colours and the self-overwriting wait line are used only when stderr is a terminal; quiet
 * mode hides info, wait and done lines but never failures or warnings.
 */
public final class Pretty {
    private static final String RESET = "\u001b[0m";
    private final PrintStream err;
    private final boolean terminal;
    private final boolean quiet;
    private boolean waitPending;

    public Pretty(PrintStream err, boolean terminal, boolean quiet) {
        this.err = err;
        this.terminal = terminal;
        this.quiet = quiet;
    }

    /** A printer on {@code System.err}, colouring only when the process has a terminal. */
    public static Pretty stderr(boolean quiet) {
        return new Pretty(System.err, System.console() != null && System.getenv("NO_COLOR") == null, quiet);
    }

    public boolean isTerminal() {
        return terminal;
    }

    public void info(String message) {
        if (!quiet) {
            line("\u001b[96m", "\u2219", message);
        }
    }

    /** A progress line: on a terminal it is overwritten by the next status line; elsewhere it is not shown. */
    public void waiting(String message) {
        if (quiet || !terminal) {
            return;
        }
        err.print("\u001b[2K\u001b[93m\u22ef" + RESET + " " + message + "\r");
        err.flush();
        waitPending = true;
    }

    public void done(String message) {
        if (!quiet) {
            line("\u001b[92m", "\u2714", message);
        }
    }

    public void fail(String message) {
        line("\u001b[91m", "\u2718", message);
    }

    public void warn(String message) {
        line("\u001b[33m", "\u2219", message);
    }

    private void line(String colour, String indicator, String message) {
        String text = message.replace("\n", "\n  ");
        if (terminal) {
            err.println("\u001b[2K" + colour + indicator + RESET + " " + text);
        } else {
            err.println(indicator + " " + text);
        }
        err.flush();
        waitPending = false;
    }

    /** Ends a pending wait line so that program output does not overwrite it. */
    public void clearWait() {
        if (waitPending && terminal) {
            err.print("\u001b[2K");
            err.flush();
        }
        waitPending = false;
    }
}
