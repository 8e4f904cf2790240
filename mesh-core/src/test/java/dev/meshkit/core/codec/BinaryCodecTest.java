package dev.meshkit.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.Endpoint;
import dev.meshkit.api.MessageId;
import dev.meshkit.api.spi.Codec;
import dev.meshkit.api.wire.Frame;
import dev.meshkit.api.wire.FrameDecodeException;
import dev.meshkit.api.wire.FrameDecodeException.Problem;
import dev.meshkit.api.wire.FrameLimits;
import dev.meshkit.api.wire.PeerRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BinaryCodecTest {
    private final Codec codec = new BinaryCodecProvider().create(FrameLimits.defaults());

    private Problem problem(byte[] bytes) {
        return assertThrows(FrameDecodeException.class, () -> codec.decode(bytes)).problem();
    }

    @Test
    void everyFrameKindRoundTrips() throws Exception {
        for (Frame f : SampleFrames.all()) {
            SampleFrames.assertSame(f, codec.decode(codec.encode(f)));
        }
    }

    @Test
    void theIdHintCanBeReadWithoutDecoding() {
        MessageId id = new MessageId("00112233445566778899aabbccddeeff");
        Frame.Publish p = new Frame.Publish(SampleFrames.envelope(null, new byte[] {1}), id);
        assertEquals(id, codec.peekMessageId(codec.encode(p)));
        assertNull(codec.peekMessageId(codec.encode(new Frame.Publish(p.envelope(), null))));
        assertNull(codec.peekMessageId(codec.encode(new Frame.Ping(3))));
        assertNull(codec.peekMessageId(new byte[0]));
    }

    @Test
    void everyTruncationIsATypedError() {
        for (Frame f : SampleFrames.all()) {
            byte[] full = codec.encode(f);
            for (int n = 0; n < full.length; n++) {
                byte[] cut = Arrays.copyOf(full, n);
                if (f instanceof Frame.PeerRequest && n == 1) {
                    continue; // a peer request is its kind byte alone
                }
                assertThrows(FrameDecodeException.class, () -> codec.decode(cut), f.kind() + " cut at " + n);
            }
        }
    }

    @Test
    void randomMutationsNeverThrowAnythingElse() {
        Random r = new Random(42);
        List<byte[]> samples = new ArrayList<>();
        SampleFrames.all().forEach(f -> samples.add(codec.encode(f)));
        int decoded = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] b = samples.get(r.nextInt(samples.size())).clone();
            for (int m = 0; m <= r.nextInt(4); m++) {
                if (b.length > 0) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
            }
            try {
                codec.decode(b);
                decoded++;
            } catch (FrameDecodeException expected) {
                // the only failure allowed
            }
        }
        assertTrue(decoded > 0 && decoded < 20_000, "decoded " + decoded);
    }

    @Test
    void limitsAreCheckedBeforeAllocation() {
        assertEquals(Problem.MALFORMED, problem(new byte[0]));
        assertEquals(Problem.UNKNOWN_KIND, problem(new byte[] {99}));
        assertEquals(Problem.TOO_LARGE, problem(new byte[2 << 20]));
        byte[] bigPing = new byte[5000];
        bigPing[0] = BinaryCodec.PING;
        assertEquals(Problem.TOO_LARGE, problem(bigPing), "per-kind limit from the first byte");
        FrameLimits tight = new FrameLimits(1 << 20, 16 << 10, 4 << 10, 128 << 10, 1 << 20, 10, 8, 2, 64);
        Codec small = new BinaryCodecProvider().create(tight);
        assertEquals(Problem.TOO_LARGE, assertThrows(FrameDecodeException.class, () -> small.decode(
                codec.encode(new Frame.Publish(SampleFrames.envelope(null, new byte[11]), null)))).problem());
        List<PeerRecord> three = List.of(new PeerRecord(null, SampleFrames.WS), new PeerRecord(null, SampleFrames.MEM),
                new PeerRecord(null, SampleFrames.WSS6));
        assertEquals(Problem.TOO_LONG, assertThrows(FrameDecodeException.class,
                () -> small.decode(codec.encode(new Frame.PeerList(three)))).problem());
        List<MessageId> threeIds = List.of(MessageId.fromBytes(new byte[16]), MessageId.fromBytes(new byte[16]),
                MessageId.fromBytes(new byte[16]));
        assertEquals(Problem.TOO_LONG, assertThrows(FrameDecodeException.class,
                () -> small.decode(codec.encode(new Frame.IHave(threeIds)))).problem());
        byte[] lyingCount = codec.encode(new Frame.Graft(threeIds.subList(0, 1)));
        lyingCount[2] = 2; // two ids announced, one present
        assertEquals(Problem.MALFORMED, problem(lyingCount));
        // A length field claiming more than the frame holds.
        byte[] auth = codec.encode(new Frame.Auth(new byte[4]));
        auth[4] = 100;
        assertEquals(Problem.MALFORMED, problem(auth));
        byte[] trailing = Arrays.copyOf(codec.encode(new Frame.Ping(1)), 10);
        assertEquals(Problem.MALFORMED, problem(trailing));
    }

    @Test
    void aBadPeerEntryIsSkippedAndTheRestKept() throws Exception {
        byte[] ok = codec.encode(new Frame.PeerList(List.of(new PeerRecord(null, Endpoint.parse("ws://127.0.0.1:1")),
                new PeerRecord(null, Endpoint.parse("ws://127.0.0.1:2")))));
        // Corrupt the first entry's endpoint text into something unparsable ("ws://127.0.0.1:1" -> "ws:/ 127...").
        String text = new String(ok, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.indexOf("ws://127.0.0.1:1");
        ok[at + 4] = ' ';
        Frame.PeerList decoded = (Frame.PeerList) codec.decode(ok);
        assertEquals(1, decoded.peers().size());
        assertEquals(2, decoded.peers().get(0).endpoint().port());
    }
}
