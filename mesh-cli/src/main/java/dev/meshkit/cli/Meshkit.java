package dev.meshkit.cli;

import dev.meshkit.api.MeshException;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The {@code meshkit} command: entry point of the MeshKit command-line tool.
 *
 * <p>Exit codes: 0 success, 1 a failed check or a runtime error, 2 a usage error (bad option or
 * value), and for a node stopped by a signal whatever the JVM reports for that signal.
 */
@Command(name = "meshkit",
        mixinStandardHelpOptions = true,
        versionProvider = Meshkit.Version.class,
        usageHelpAutoWidth = true,
        description = "MeshKit peer-to-peer mesh: run a local demo, run a node, or make a key file.",
        subcommands = {DemoCommand.class, NodeCommand.class, KeygenCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Run 'meshkit COMMAND --help' for the options of a command."})
public final class Meshkit implements Runnable {
    /** Exit code of a failed check or runtime error. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code of a usage error. */
    public static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    private final boolean terminal;

    /** A command whose output is not a terminal (progress is printed as plain lines). */
    public Meshkit() {
        this(false);
    }

    /**
     * Creates the command.
     *
     * @param terminal whether standard output is an interactive terminal, so progress may be redrawn
     *                 in place with carriage returns
     */
    public Meshkit(boolean terminal) {
        this.terminal = terminal;
    }

    /** Whether output is an interactive terminal. */
    boolean terminal() {
        return terminal;
    }

    /** The encoding of standard input: the terminal's when interactive, else UTF-8. */
    Charset inputCharset() {
        Console console = terminal ? System.console() : null;
        return console != null ? console.charset() : StandardCharsets.UTF_8;
    }

    @Override
    public void run() {
        // picocli calls this when no subcommand was given; that is a usage error, not a silent success.
        throw new ParameterException(spec.commandLine(), "Missing command: choose one of demo, node, keygen");
    }

    /** Runs the tool and exits the JVM with its exit code. */
    public static void main(String[] args) {
        Console console = System.console();
        // A terminal shows text in its own encoding; anything else (a pipe, a file, another program
        // reading JSON events) gets UTF-8, so payloads survive whatever the platform default is.
        Charset charset = console != null ? console.charset() : StandardCharsets.UTF_8;
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, charset), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, charset), true);
        int code = commandLine(out, err, console != null).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * A configured command line writing to {@code out} and {@code err}; tests use it to run commands
     * in-process.
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err, boolean terminal) {
        CommandLine cl = new CommandLine(new Meshkit(terminal));
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionStrategy(Meshkit::execute);
        cl.setExecutionExceptionHandler(Meshkit::onError);
        return cl;
    }

    // Logging must be configured after parsing (to see --verbose) and before the first logger exists,
    // i.e. before any node class loads; running commands from here guarantees that order.
    private static int execute(ParseResult parsed) {
        int verbosity = 0;
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            CommandLine.Model.OptionSpec o = p.matchedOption("--verbose");
            if (o != null && o.getValue() instanceof boolean[]) {
                verbosity += ((boolean[]) o.getValue()).length;
            }
        }
        LoggingOptions.configure(verbosity);
        return new CommandLine.RunLast().execute(parsed);
    }

    private static int onError(Exception ex, CommandLine cl, ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (ex instanceof CliException) {
            err.println("meshkit: " + ex.getMessage());
            return ((CliException) ex).exitCode();
        }
        if (ex instanceof MeshException) {
            err.println("meshkit: " + ex.getMessage());
        } else {
            // Not an expected failure: the stack trace is what a bug report needs.
            err.println("meshkit: internal error: " + ex);
            ex.printStackTrace(err);
        }
        err.flush();
        return EXIT_FAILURE;
    }

    /** Reads the version written into the jar at build time. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties p = new Properties();
            try (InputStream in = Meshkit.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                // Fall through to "unknown": a missing version must not break --version.
            }
            String v = p.getProperty("version", "unknown");
            return new String[] {
                "MeshKit " + v,
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
            };
        }
    }
}
