package dev.meshkit.benchmarks.jmh;

import dev.meshkit.api.spi.Codec;
import dev.meshkit.api.spi.CodecProvider;
import dev.meshkit.api.wire.Frame;
import dev.meshkit.api.wire.FrameDecodeException;
import dev.meshkit.api.wire.FrameLimits;
import java.util.ServiceLoader;
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
 * Encoding and decoding one Publish frame (a signed Ed25519 broadcast envelope) with each codec
 * ({@code binary} is the default, {@code json} the text one). A relay decodes every first copy it
 * receives and encodes once per forward.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
    /** Application payload bytes. */
    @Param({"100", "1024", "16384"})
    public int payloadBytes;

    /** Codec name. */
    @Param({"binary", "json"})
    public String codecName;

    private Codec codec;
    private Frame.Publish frame;
    private byte[] encoded;

    /** Builds the frame and its encoding. */
    @Setup
    public void setUp() throws FrameDecodeException {
        CodecProvider provider = ServiceLoader.load(CodecProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals(codecName))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + codecName + " codec on the class path"));
        codec = provider.create(FrameLimits.defaults());
        frame = new Frame.Publish(Fixtures.signedBroadcast(Fixtures.keys(), Fixtures.payload(payloadBytes, 7)), null);
        encoded = codec.encode(frame);
        // Fail fast if the round trip is broken: a benchmark of a broken path measures nothing.
        Frame back = codec.decode(encoded);
        if (!(back instanceof Frame.Publish)) {
            throw new IllegalStateException("round trip gave " + back.kind());
        }
    }

    /** Publish frame to bytes. */
    @Benchmark
    public byte[] encode() {
        return codec.encode(frame);
    }

    /** Bytes to Publish frame, limits checked as for any inbound frame. */
    @Benchmark
    public Frame decode() throws FrameDecodeException {
        return codec.decode(encoded);
    }
}
