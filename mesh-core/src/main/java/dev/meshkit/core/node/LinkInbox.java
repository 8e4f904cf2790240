package dev.meshkit.core.node;

import dev.meshkit.api.spi.ChannelException;
import dev.meshkit.api.spi.ChannelException.Problem;
import dev.meshkit.core.channel.RecordOpener;
import dev.meshkit.core.channel.Records;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection's way in, on the transport thread that delivers its frames in order. Records are
 * opened here, before the hop onto the event loop. The peer may start sealing before this node's
 * loop has installed the keys (the dialler seals right after its auth, which the listener's loop has
 * yet to check), so records that come early wait here, bounded, and are opened in order when the
 * keys arrive.
 */
final class LinkInbox {
    private static final int MAX_WAITING = 64;
    private static final long MAX_WAITING_BYTES = 1 << 20;

    /** The session, once the event loop has made it; read for the early duplicate drop. */
    volatile Session session;
    private RecordOpener opener;
    /** Set once the link has keys on the way; records before that are refused, not kept. */
    private boolean keysPending;
    /** Set by the first record opened: from then on the peer has no reason to send plaintext. */
    private boolean recordOpened;
    private List<byte[]> waiting;
    private long waitingBytes;
    private boolean failed;

    /**
     * The frame bytes to decode: a plaintext frame as it is, a record opened, or {@code null} when
     * the record waits for the keys or the channel has already failed.
     */
    synchronized byte[] open(byte[] bytes) throws ChannelException {
        if (failed) {
            return null;
        }
        if (!Records.isRecord(bytes)) {
            if (recordOpened) {
                failed = true;
                throw new ChannelException(Problem.PLAINTEXT, "a plaintext frame after the peer's first record");
            }
            return bytes;
        }
        if (opener == null) {
            if (!keysPending) {
                failed = true;
                throw new ChannelException(Problem.MALFORMED, "a record before any key exchange");
            }
            if (waiting == null) {
                waiting = new ArrayList<>();
            }
            waitingBytes += bytes.length;
            if (waiting.size() >= MAX_WAITING || waitingBytes > MAX_WAITING_BYTES) {
                failed = true;
                waiting = null;
                throw new ChannelException(Problem.OVERFLOW, "more records came before the handshake ended than "
                        + MAX_WAITING + " records or " + MAX_WAITING_BYTES + " bytes");
            }
            waiting.add(bytes);
            return null;
        }
        try {
            byte[] plain = opener.open(bytes);
            recordOpened = true;
            return plain;
        } catch (ChannelException e) {
            failed = true;
            throw e;
        }
    }

    /** Records may come from now on: the keys are agreed, awaiting confirmation. */
    synchronized void expectKeys() {
        keysPending = true;
    }

    /** Installs the keys; returns the plaintexts of the records that waited for them, in order. */
    synchronized List<byte[]> install(RecordOpener keys) throws ChannelException {
        this.opener = keys;
        List<byte[]> early = waiting == null ? List.of() : waiting;
        waiting = null;
        List<byte[]> opened = new ArrayList<>(early.size());
        for (byte[] record : early) {
            byte[] plain = open(record);
            if (plain != null) {
                opened.add(plain);
            }
        }
        return opened;
    }

    /** Erases the keys; the link is gone. */
    synchronized void close() {
        failed = true;
        waiting = null;
        if (opener != null) {
            opener.erase();
        }
    }
}
