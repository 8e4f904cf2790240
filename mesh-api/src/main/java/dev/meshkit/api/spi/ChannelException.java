package dev.meshkit.api.spi;

/** A secure channel refused a handshake message or a record; the link must be closed. */
public final class ChannelException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Creates the error. */
    public ChannelException(String message) {
        super(message);
    }
}
