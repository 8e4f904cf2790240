package dev.meshkit.testkit;

/**
 * A simulation could not go on: an event threw (the cause), or something awaited did not happen
 * within the allowed virtual time.
 */
public class SimulationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error without a cause. */
    public SimulationException(String message) {
        super(message);
    }

    /** An error caused by {@code cause}, typically what a simulated task threw. */
    public SimulationException(String message, Throwable cause) {
        super(message, cause);
    }
}
