package dev.meshkit.core.codec;

/**
 * Makes text from a frame safe to put in an exception message or a log line: remote peers choose it,
 * so it is cut short and stripped of control characters that could forge log lines.
 */
final class Texts {
    private static final int MAX_QUOTED = 40;

    private Texts() {
    }

    static String quote(String text) {
        if (text == null) {
            return "null";
        }
        int n = Math.min(text.length(), MAX_QUOTED);
        StringBuilder sb = new StringBuilder(n + 5).append('"');
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        if (text.length() > MAX_QUOTED) {
            sb.append("...");
        }
        return sb.append('"').toString();
    }

    /** Gson adds a troubleshooting link on a second line; the first says what went wrong. */
    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
