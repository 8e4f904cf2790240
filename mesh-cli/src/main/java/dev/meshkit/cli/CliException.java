package dev.meshkit.cli;

/**
 * An expected failure of a command: its message is printed as it is, without a stack trace, and the
 * tool exits with {@link #exitCode()}.
 */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    CliException(String message) {
        this(Meshkit.EXIT_FAILURE, message);
    }

    int exitCode() {
        return exitCode;
    }
}
