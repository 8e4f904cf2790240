package dev.meshkit.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the tool: its exit code and what it printed. */
final class Run {
    final int exitCode;
    final String out;
    final String err;

    private Run(int exitCode, String out, String err) {
        this.exitCode = exitCode;
        this.out = out;
        this.err = err;
    }

    static Run of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Meshkit.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), false).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
