package dev.meshkit.core.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.meshkit.api.Endpoint;
import dev.meshkit.api.MessageId;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.wire.Envelope;
import dev.meshkit.api.wire.Frame;
import dev.meshkit.api.wire.PeerRecord;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Frames of every kind with every field set, plus the null variants, for codec tests. */
public final class SampleFrames {
    private SampleFrames() {
    }

    static final NodeId ALICE = NodeId.fromBytes(bytes(32, 1));
    static final NodeId BOB = NodeId.fromBytes(bytes(32, 2));
    static final Endpoint WS = Endpoint.parse("ws://192.0.2.7:7700/mesh");
    static final Endpoint WSS6 = Endpoint.parse("wss://[2001:db8::1]:443");
    static final Endpoint MEM = Endpoint.parse("mem://carol");

    /** Deterministic pseudo-random bytes, so failures reproduce. */
    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static Envelope envelope(NodeId destination, byte[] payload) {
        return new Envelope("chat/msg", ALICE, destination, 1_730_000_000_123L, 42L, 7, 3, payload,
                bytes(32, 10), bytes(64, 11));
    }

    public static List<Frame> all() {
        List<Frame> frames = new ArrayList<>();
        frames.add(new Frame.Hello(1, "testnet", "ed25519", bytes(32, 3), bytes(32, 4), WS, -1, bytes(1217, 12)));
        frames.add(new Frame.Hello(0, "", "ed25519", bytes(32, 3), bytes(16, 4), null, -1, null));
        frames.add(new Frame.Welcome(1, "testnet", "ed25519", bytes(32, 5), bytes(32, 6), bytes(64, 7), WSS6,
                List.of(new PeerRecord(ALICE, WS), new PeerRecord(null, MEM), new PeerRecord(BOB, WSS6)), null));
        frames.add(new Frame.Welcome(2, "n", "ml-dsa-65", bytes(1952, 5), bytes(32, 6), bytes(3309, 7), null,
                List.of(), bytes(1150, 13)));
        frames.add(new Frame.Auth(bytes(64, 8), null));
        frames.add(new Frame.Auth(bytes(3309, 8), bytes(32, 14)));
        frames.add(new Frame.Refuse("network-mismatch", "expected \"testnet\", got \u00fcnicode \ud83d\ude00"));
        frames.add(new Frame.Refuse("full", null));
        frames.add(new Frame.Ping(Long.MIN_VALUE));
        frames.add(new Frame.Ping(0));
        frames.add(new Frame.Pong(Long.MAX_VALUE));
        frames.add(new Frame.Pong(-1));
        frames.add(new Frame.PeerRequest());
        frames.add(new Frame.PeerList(List.of(new PeerRecord(ALICE, WS), new PeerRecord(null, MEM))));
        frames.add(new Frame.PeerList(List.of()));
        frames.add(new Frame.Join(new PeerRecord(ALICE, WS), 6));
        frames.add(new Frame.Join(new PeerRecord(ALICE, MEM), 0));
        frames.add(new Frame.Publish(envelope(null, bytes(300, 9)), null));
        frames.add(new Frame.Publish(envelope(BOB, new byte[0]), null));
        frames.add(new Frame.Publish(new Envelope("t", BOB, ALICE, Long.MIN_VALUE, Long.MAX_VALUE, 255, 0,
                bytes(1, 12), bytes(32, 13), bytes(64, 14)), null));
        frames.add(new Frame.Publish(new Envelope("", ALICE, null, 9_007_199_254_740_993L, -1L, 0, 255,
                bytes(2, 15), bytes(32, 16), bytes(64, 17)), null));
        frames.add(new Frame.IHave(List.of(MessageId.fromBytes(bytes(16, 10)), MessageId.fromBytes(bytes(16, 11)))));
        frames.add(new Frame.IHave(List.of()));
        frames.add(new Frame.Graft(List.of(MessageId.fromBytes(bytes(16, 12)))));
        frames.add(new Frame.Graft(List.of()));
        frames.add(new Frame.Prune(List.of(ALICE, BOB)));
        frames.add(new Frame.Bye("shutdown"));
        frames.add(new Frame.Bye(null));
        frames.add(new Frame.Puzzle(bytes(16, 15), 20));
        frames.add(new Frame.Puzzle(bytes(64, 16), 0));
        frames.add(new Frame.Work(bytes(8, 17)));
        frames.add(new Frame.Work(new byte[0]));
        return frames;
    }

    /** Field-by-field equality that compares byte arrays by content. */
    static void assertSame(Object expected, Object actual) {
        assertSame(expected, actual, "frame");
    }

    private static void assertSame(Object expected, Object actual, String path) {
        if (expected == null || actual == null) {
            assertEquals(expected, actual, path);
        } else if (expected instanceof byte[] e) {
            assertArrayEquals(e, (byte[]) actual, path);
        } else if (expected instanceof List<?> e) {
            List<?> a = (List<?>) actual;
            assertEquals(e.size(), a.size(), path + ".size");
            for (int i = 0; i < e.size(); i++) {
                assertSame(e.get(i), a.get(i), path + "[" + i + "]");
            }
        } else if (expected.getClass().isRecord()) {
            assertEquals(expected.getClass(), actual.getClass(), path);
            for (RecordComponent c : expected.getClass().getRecordComponents()) {
                try {
                    assertSame(c.getAccessor().invoke(expected), c.getAccessor().invoke(actual),
                            path + "." + c.getName());
                } catch (ReflectiveOperationException e) {
                    fail(e);
                }
            }
        } else {
            assertEquals(expected, actual, path);
        }
    }
}
