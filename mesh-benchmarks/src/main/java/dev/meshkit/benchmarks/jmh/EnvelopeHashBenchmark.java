package dev.meshkit.benchmarks.jmh;

import dev.meshkit.api.MessageId;
import dev.meshkit.api.wire.Envelope;
import dev.meshkit.core.gossip.EnvelopeSigning;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-copy hashing cost: a node computes the canonical signed bytes and the message id (SHA-256)
 * for every Publish frame it receives, duplicates included, before it can look the id up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EnvelopeHashBenchmark {
    /** Application payload bytes. */
    @Param({"100", "1024", "16384"})
    public int payloadBytes;

    private Envelope envelope;

    /** One signed envelope. */
    @Setup
    public void setUp() {
        envelope = Fixtures.signedBroadcast(Fixtures.keys(), Fixtures.payload(payloadBytes, 5));
    }

    /** {@code EnvelopeSigning.signedBytes} then {@code messageId}: what every received copy costs. */
    @Benchmark
    public MessageId signedBytesAndMessageId() {
        return EnvelopeSigning.messageId(EnvelopeSigning.signedBytes(envelope));
    }
}
