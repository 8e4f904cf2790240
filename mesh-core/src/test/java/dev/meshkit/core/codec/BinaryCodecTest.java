package dev.meshkit.core.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
        MessageId id = MessageId.parse("00112233445566778899aabbccddeeff");
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
        byte[] auth = codec.encode(new Frame.Auth(new byte[4], null));
        auth[4] = 100;
        assertEquals(Problem.MALFORMED, problem(auth));
        byte[] trailing = Arrays.copyOf(codec.encode(new Frame.Ping(1)), 10);
        assertEquals(Problem.MALFORMED, problem(trailing));
    }

    @Test
    void bundlesCarryFramesInOrderAndMalformedBundlesAreRefused() throws Exception {
        List<byte[]> frames = new ArrayList<>();
        SampleFrames.all().forEach(f -> frames.add(codec.encode(f)));
        List<byte[]> back = codec.unbundle(codec.bundle(frames));
        assertEquals(frames.size(), back.size());
        for (int i = 0; i < frames.size(); i++) {
            assertArrayEquals(frames.get(i), back.get(i));
        }
        assertNull(codec.unbundle(frames.get(0)), "a single frame is not a bundle");
        assertEquals(Problem.UNKNOWN_KIND, problem(codec.bundle(frames)), "a bundle is no frame");

        byte[] one = codec.encode(new Frame.Ping(7));
        byte[] ok = codec.bundle(List.of(one, one));
        assertEquals(Problem.MALFORMED, bundleProblem(Arrays.copyOf(ok, ok.length - 1)), "truncated frame");
        assertEquals(Problem.MALFORMED, bundleProblem(Arrays.copyOf(ok, ok.length + 2)), "truncated length");
        assertEquals(Problem.MALFORMED, bundleProblem(new byte[] {BinaryCodec.BUNDLE}), "empty");
        byte[] huge = ok.clone();
        huge[1] = 0x7f; // first length about 2 GiB
        assertEquals(Problem.MALFORMED, bundleProblem(huge));
        byte[] zero = ok.clone();
        zero[1] = 0;
        zero[2] = 0;
        zero[3] = 0;
        zero[4] = 0;
        assertEquals(Problem.MALFORMED, bundleProblem(zero), "zero-length frame");
        byte[] nested = ok.clone();
        nested[5] = BinaryCodec.BUNDLE;
        assertEquals(Problem.MALFORMED, bundleProblem(nested));
        assertEquals(Problem.TOO_LARGE, bundleProblem(codec.bundle(List.of(new byte[2 << 20]))));
        assertThrows(IllegalArgumentException.class, () -> codec.bundle(List.of(ok)), "no bundle in a bundle");
        assertNull(new JsonCodecProvider().create(FrameLimits.defaults()).bundle(frames), "json has no bundles");
    }

    private Problem bundleProblem(byte[] bytes) {
        return assertThrows(FrameDecodeException.class, () -> codec.unbundle(bytes)).problem();
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
