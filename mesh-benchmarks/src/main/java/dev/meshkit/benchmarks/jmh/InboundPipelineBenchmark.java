package dev.meshkit.benchmarks.jmh;

import dev.meshkit.api.DefenceSettings;
import dev.meshkit.api.MessageId;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.wire.Envelope;
import dev.meshkit.api.wire.Frame;
import dev.meshkit.api.wire.FrameDecodeException;
import dev.meshkit.api.wire.FrameLimits;
import dev.meshkit.core.codec.BinaryCodec;
import dev.meshkit.core.defence.Defences;
import dev.meshkit.core.defence.PeerScores;
import dev.meshkit.core.defence.RateLimiter;
import dev.meshkit.core.defence.RemoteAddress;
import dev.meshkit.core.defence.ReplayGuard;
import dev.meshkit.core.gossip.EnvelopeSigning;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the defences add to every message a node takes in, signature verification left out (it costs
 * the same either way and dwarfs the rest). Each operation is one new publish frame from a neighbour:
 *
 * <ul>
 * <li>{@code bare}: decode and validate the frame, compute its signed bytes and id, and remember the id
 *     in an unbounded set. No node can work like that (its memory would grow without end), but it is
 *     the floor under every mode.
 * <li>{@code off}: what a node does with its defences off: the replay guard, which is also its bounded
 *     duplicate filter (timestamp window, id, and before and after the skipped verification), and the
 *     neighbour's score.
 * <li>{@code on}: the same, plus the frame rate of the neighbour and the message rate of the origin.
 * </ul>
 *
 * <p>65,536 frames from 64 origins are made up front, each stamped a millisecond after the last, so
 * every rate stays under its limit and every message is new: the steady state of a busy, honest link.
 * Each invocation runs them all through a fresh pipeline, whose setup is not timed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class InboundPipelineBenchmark {
    static final int FRAMES = 1 << 16;
    static final int ORIGINS = 64;
    static final long NOW = 1_700_000_000_000L;

    /** Which pipeline. */
    @Param({"bare", "off", "on"})
    public String defences;

    private final BinaryCodec codec = new BinaryCodec(FrameLimits.defaults());
    private final NodeId neighbour = NodeId.ofPublicKey(new byte[] {42});
    private final RemoteAddress address = RemoteAddress.parse("203.0.113.7:40000");
    private final DefenceSettings settings = DefenceSettings.defaults();
    private byte[][] frames;
    private Defences limits;
    private ReplayGuard replay;
    private PeerScores scores;
    private Set<MessageId> seen;

    /** Encodes the frames once. */
    @Setup(Level.Trial)
    public void frames() {
        frames = new byte[FRAMES][];
        byte[] signature = Fixtures.payload(64, 3);
        byte[] payload = Fixtures.payload(256, 4);
        NodeId[] origins = new NodeId[ORIGINS];
        byte[][] keys = new byte[ORIGINS][];
        for (int o = 0; o < ORIGINS; o++) {
            keys[o] = Fixtures.payload(32, o + 10);
            origins[o] = NodeId.ofPublicKey(keys[o]);
        }
        for (int i = 0; i < FRAMES; i++) {
            int o = i % ORIGINS;
            Envelope e = new Envelope("bench", origins[o], null, NOW + i, i / ORIGINS + 1, 255, 1, payload, keys[o],
                    signature);
            frames[i] = codec.encode(new Frame.Publish(e, null));
        }
    }

    /** A fresh pipeline for each pass over the frames. */
    @Setup(Level.Invocation)
    public void pipeline() {
        limits = new Defences(settings);
        replay = new ReplayGuard(settings.seenCapacity(), settings.maxMessageAge().toMillis(),
                settings.maxClockSkew().toMillis(), settings.sequenceWindow(), 65_536);
        scores = new PeerScores(settings.scoring(), 4096);
        scores.connected(neighbour, address.host());
        seen = new HashSet<>(FRAMES * 2);
    }

    /** Every frame through the pipeline; returns how many were delivered. */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public int takeIn() throws FrameDecodeException {
        boolean bare = defences.equals("bare");
        boolean on = defences.equals("on");
        int delivered = 0;
        for (int i = 0; i < FRAMES; i++) {
            Envelope e = ((Frame.Publish) codec.decode(frames[i])).envelope();
            MessageId id = EnvelopeSigning.messageId(EnvelopeSigning.signedBytes(e));
            long now = e.timestamp(); // wall and monotonic clocks alike, a millisecond a frame
            if (bare) {
                if (!seen.add(id)) {
                    continue;
                }
            } else {
                if (on && limits.frame(neighbour, now) != RateLimiter.Verdict.ALLOWED
                        || replay.check(id, e.timestamp(), now) != ReplayGuard.Verdict.NEW
                        || on && limits.message(e.origin(), now) != RateLimiter.Verdict.ALLOWED
                        || replay.accept(id, e.origin(), e.timestamp(), e.sequence(), now) != ReplayGuard.Verdict.NEW) {
                    continue;
                }
                scores.firstDelivery(neighbour);
            }
            delivered++;
        }
        if (delivered != FRAMES) {
            throw new IllegalStateException("only " + delivered + " of " + FRAMES + " delivered");
        }
        return delivered;
    }
}
