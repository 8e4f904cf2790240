package dev.meshkit.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --verbose} option shared by every command, and the logging set-up it drives.
 *
 * <p>MeshKit logs through SLF4J; the tool ships the simple binding, which reads its level from system
 * properties once, when the first logger is created. The tool's own output is what a user asked for,
 * so by default only warnings and errors of the library reach standard error.
 */
final class LoggingOptions {
    /** The simple binding's level property. */
    static final String LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    @Option(names = {"-v", "--verbose"},
            description = "Log more to standard error: once for info, twice for debug.")
    boolean[] verbose = new boolean[0];

    /**
     * Sets the log level for {@code verbosity} uses of {@code --verbose}. Without it, a level the user
     * set with {@code -D} is kept; the default is {@code warn}. Has no effect once a logger exists.
     */
    static void configure(int verbosity) {
        if (verbosity >= 2) {
            System.setProperty(LEVEL_PROPERTY, "debug");
        } else if (verbosity == 1) {
            System.setProperty(LEVEL_PROPERTY, "info");
        } else if (System.getProperty(LEVEL_PROPERTY) == null) {
            System.setProperty(LEVEL_PROPERTY, "warn");
        }
        // Short lines: the thread name and time stamps help little on a console, the level does.
        if (System.getProperty("org.slf4j.simpleLogger.showThreadName") == null) {
            System.setProperty("org.slf4j.simpleLogger.showThreadName", verbosity >= 2 ? "true" : "false");
        }
        if (System.getProperty("org.slf4j.simpleLogger.showShortLogName") == null) {
            System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        }
    }
}
