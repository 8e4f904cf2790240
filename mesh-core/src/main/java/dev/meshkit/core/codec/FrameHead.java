package dev.meshkit.core.codec;

import dev.meshkit.api.wire.FrameDecodeException;
import dev.meshkit.api.wire.FrameDecodeException.Problem;
import java.nio.charset.StandardCharsets;

/**
 * Reads the frame kind straight from the raw bytes, without a JSON parser.
 *
 * <p>This is why the wire format insists that {@code "k"} comes first: the per-kind size limit can then
 * be checked by looking at a few dozen bytes, so an oversized frame costs nothing to refuse no matter
 * what follows the kind. To keep that scan trivial, the member name and the kind value must be written
 * literally, without escapes.
 */
final class FrameHead {
    private FrameHead() {
    }

    /**
     * The kind named by the frame's first member.
     *
     * @return the kind, or {@code null} if its value is too long or not plain ASCII, meaning it cannot
     *     be a kind this codec knows
     * @throws FrameDecodeException MALFORMED if the bytes cannot be the start of a JSON object, or
     *     INVALID_FIELD if the object does not start with a string member {@code "k"}
     */
    static String kindOf(byte[] b) throws FrameDecodeException {
        int i = skipWhitespace(b, 0);
        if (i == b.length) {
            throw new FrameDecodeException(Problem.MALFORMED, "empty frame");
        }
        if (b[i] != '{') {
            throw new FrameDecodeException(Problem.MALFORMED, "a frame must be a JSON object");
        }
        i = skipWhitespace(b, i + 1);
        if (i == b.length) {
            throw truncated();
        }
        if (b[i] != '"') {
            if (b[i] == '}') {
                throw firstMemberNotK();
            }
            throw new FrameDecodeException(Problem.MALFORMED, "expected a member name");
        }
        if (i + 2 >= b.length) {
            throw truncated();
        }
        if (b[i + 1] != 'k' || b[i + 2] != '"') {
            throw firstMemberNotK();
        }
        i = skipWhitespace(b, i + 3);
        if (i == b.length) {
            throw truncated();
        }
        if (b[i] != ':') {
            throw new FrameDecodeException(Problem.MALFORMED, "expected ':' after \"k\"");
        }
        i = skipWhitespace(b, i + 1);
        if (i == b.length) {
            throw truncated();
        }
        if (b[i] != '"') {
            throw new FrameDecodeException(Problem.INVALID_FIELD, "\"k\" must be a string");
        }
        int start = i + 1;
        for (int j = start; j < b.length; j++) {
            byte c = b[j];
            if (c == '"') {
                return new String(b, start, j - start, StandardCharsets.US_ASCII);
            }
            if (j - start >= Wire.MAX_KIND_CHARS || c < 0) {
                // Longer than any kind we know, or not ASCII: unknown, whatever the rest says.
                return null;
            }
            if (c == '\\') {
                throw new FrameDecodeException(Problem.INVALID_FIELD, "\"k\" must be written without escapes");
            }
            if (c < 0x20) {
                throw new FrameDecodeException(Problem.MALFORMED, "control character in a string");
            }
        }
        throw truncated();
    }

    private static int skipWhitespace(byte[] b, int from) {
        int i = from;
        while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static FrameDecodeException truncated() {
        return new FrameDecodeException(Problem.MALFORMED, "truncated frame");
    }

    private static FrameDecodeException firstMemberNotK() {
        return new FrameDecodeException(Problem.INVALID_FIELD, "the first member must be \"k\", the frame kind");
    }
}
