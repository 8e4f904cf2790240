package dev.meshkit.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A status line that changes while something converges. On a terminal it is redrawn in place with a
 * carriage return; elsewhere (a pipe, a log file, a test) it becomes plain lines, printed only when
 * the status changed and at most once a second, so logs stay short.
 */
final class Progress {
    private static final double PLAIN_INTERVAL_SECONDS = 1.0;

    private final PrintWriter out;
    private final boolean terminal;
    private String lastStatus;
    private String lastLine = "";
    private double lastPrinted = Double.NEGATIVE_INFINITY;
    private boolean pending;

    Progress(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Shows {@code status} as of {@code seconds} into the wait. */
    void update(String status, double seconds) {
        String line = String.format(Locale.ROOT, "  %5.1f s  %s", seconds, status);
        if (terminal) {
            // Pad over the previous, possibly longer, line.
            out.print("\r" + line + " ".repeat(Math.max(0, lastLine.length() - line.length())));
            out.flush();
            lastLine = line;
            return;
        }
        boolean changed = !status.equals(lastStatus);
        lastStatus = status;
        lastLine = line;
        pending |= changed;
        if (pending && seconds - lastPrinted >= PLAIN_INTERVAL_SECONDS) {
            out.println(line);
            out.flush();
            lastPrinted = seconds;
            pending = false;
        }
    }

    /** Ends the line: on a terminal moves to the next line, elsewhere prints the final state if unprinted. */
    void finish() {
        if (terminal) {
            if (!lastLine.isEmpty()) {
                out.println();
            }
        } else if (pending) {
            out.println(lastLine);
        }
        out.flush();
    }
}
