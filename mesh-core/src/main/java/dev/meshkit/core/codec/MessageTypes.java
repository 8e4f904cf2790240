package dev.meshkit.core.codec;

/**
 * Application message types: 1-64 characters of {@code [A-Za-z0-9._:/-]}. Types that start with
 * {@value #RESERVED_PREFIX} belong to the node's own protocols and are never delivered to handlers.
 */
public final class MessageTypes {
    /** The prefix of the types the node keeps for itself. */
    public static final String RESERVED_PREFIX = "meshkit/";
    /** The longest type. */
    public static final int MAX_LENGTH = 64;

    private MessageTypes() {
    }

    /**
     * Whether {@code type} is well-formed. A loop rather than a regular expression: every received
     * message is checked.
     */
    public static boolean valid(String type) {
        if (type == null || type.isEmpty() || type.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '/' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code type} is one of the node's own. */
    public static boolean reserved(String type) {
        return type.startsWith(RESERVED_PREFIX);
    }
}
