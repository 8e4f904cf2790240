package dev.meshkit.core.channel;

import dev.meshkit.api.RefusalReason;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes the handshake frames carry for the channel. An offer is a count (1 to
 * {@value #MAX_SUITES}) of (suite name, key share) pairs; an answer is one such pair. A name is a
 * byte length and 1-64 characters of {@code [a-z0-9-]}; a share is a 2-byte length and the share.
 */
final class ChannelWire {
    static final int MAX_SUITES = 8;
    private static final int MAX_NAME = 64;

    /** A suite name with its key share. */
    record Entry(String suite, byte[] share) {
    }

    private ChannelWire() {
    }

    static byte[] encode(List<Entry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(entries.size());
        entries.forEach(e -> write(out, e));
        return out.toByteArray();
    }

    static byte[] encode(Entry entry) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, entry);
        return out.toByteArray();
    }

    static List<Entry> parseOffer(byte[] bytes) throws SuiteRefusedException {
        if (bytes.length == 0 || bytes[0] < 1 || bytes[0] > MAX_SUITES) {
            throw malformed("an offer names 1 to " + MAX_SUITES + " suites");
        }
        int[] at = {1};
        List<Entry> entries = new ArrayList<>(bytes[0]);
        for (int i = 0; i < bytes[0]; i++) {
            entries.add(read(bytes, at));
        }
        end(bytes, at);
        return entries;
    }

    static Entry parseAnswer(byte[] bytes) throws SuiteRefusedException {
        int[] at = {0};
        Entry e = read(bytes, at);
        end(bytes, at);
        return e;
    }

    private static void write(ByteArrayOutputStream out, Entry e) {
        byte[] name = e.suite().getBytes(StandardCharsets.US_ASCII);
        out.write(name.length);
        out.writeBytes(name);
        out.write(e.share().length >>> 8);
        out.write(e.share().length);
        out.writeBytes(e.share());
    }

    private static Entry read(byte[] b, int[] at) throws SuiteRefusedException {
        int n = need(b, at[0], 1) & 0xff;
        if (n < 1 || n > MAX_NAME || at[0] + 1 + n > b.length) {
            throw malformed("bad suite name length");
        }
        String name = new String(b, at[0] + 1, n, StandardCharsets.US_ASCII);
        if (!name.matches("[a-z0-9-]+")) {
            throw malformed("bad suite name");
        }
        at[0] += 1 + n;
        int len = ((need(b, at[0], 2) & 0xff) << 8) | (b[at[0] + 1] & 0xff);
        if (at[0] + 2 + len > b.length) {
            throw malformed("key share runs past the end");
        }
        byte[] share = java.util.Arrays.copyOfRange(b, at[0] + 2, at[0] + 2 + len);
        at[0] += 2 + len;
        return new Entry(name, share);
    }

    private static byte need(byte[] b, int at, int n) throws SuiteRefusedException {
        if (at + n > b.length) {
            throw malformed("truncated");
        }
        return b[at];
    }

    private static void end(byte[] b, int[] at) throws SuiteRefusedException {
        if (at[0] != b.length) {
            throw malformed("bytes after the last field");
        }
    }

    private static SuiteRefusedException malformed(String detail) {
        return new SuiteRefusedException(RefusalReason.PROTOCOL_ERROR, "channel offer: " + detail);
    }
}
