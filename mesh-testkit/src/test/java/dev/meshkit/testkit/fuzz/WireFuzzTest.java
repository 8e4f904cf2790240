package dev.meshkit.testkit.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meshkit.api.ChannelSettings;
import dev.meshkit.api.wire.Frame;
import dev.meshkit.api.wire.FrameDecodeException;
import dev.meshkit.api.wire.FrameLimits;
import dev.meshkit.api.spi.Codec;
import dev.meshkit.core.channel.ChannelSuites;
import dev.meshkit.core.channel.SuiteRefusedException;
import dev.meshkit.core.channel.X25519ChannelProvider;
import dev.meshkit.core.codec.BinaryCodec;
import dev.meshkit.core.codec.JsonCodecProvider;
import dev.meshkit.core.codec.SampleFrames;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes what a node parses from strangers before and during the handshake: frames in both codecs
 * (bundles included) and the channel offer and answer inside hello and welcome. Each parser must
 * either give a value or throw its typed error; anything else (another exception, a hang, a frame that
 * does not survive re-encoding) is a finding.
 *
 * <p>By default ({@code mvn verify}) each target runs its saved inputs in
 * {@code src/test/resources/.../WireFuzzTestInputs}, every crash ever found among them. With
 * {@code JAZZER_FUZZ=1} Jazzer fuzzes one target for {@code maxDuration} (CI gives each 30 s,
 * {@code .ci/fuzz} longer on demand); a crash it finds is written there as a new input.
 */
class WireFuzzTest {
    private static final Codec BINARY = new BinaryCodec(FrameLimits.defaults());
    private static final Codec JSON = new JsonCodecProvider().create(FrameLimits.defaults());
    private static final ChannelSuites SUITES = ChannelSuites.of(ChannelSettings.defaults(),
            List.of(new X25519ChannelProvider()));

    @FuzzTest(maxDuration = "30s")
    void binaryFrames(byte[] data) {
        roundTrip(BINARY, data);
    }

    @FuzzTest(maxDuration = "30s")
    void jsonFrames(byte[] data) {
        roundTrip(JSON, data);
    }

    @FuzzTest(maxDuration = "30s")
    void channelOffers(byte[] offer) {
        try {
            SUITES.answer(offer).erase();
        } catch (SuiteRefusedException expected) {
            // a typed refusal is the right answer to a bad offer
        }
    }

    @FuzzTest(maxDuration = "30s")
    void channelAnswers(byte[] answer) {
        try (ChannelSuites.Offer offer = SUITES.offer()) {
            offer.finish(answer).erase();
        } catch (SuiteRefusedException expected) {
            // a typed refusal is the right answer to a bad answer
        }
    }

    /** The property on every frame of every kind, so it holds for real frames whatever the corpus. */
    @Test
    void everySampleFrameSurvivesTheRoundTripInBothCodecs() {
        for (Frame f : SampleFrames.all()) {
            roundTrip(BINARY, BINARY.encode(f));
            roundTrip(JSON, JSON.encode(f));
        }
    }

    /**
     * Decodes {@code data} (each part, if it is a bundle); a frame that decodes must re-encode to bytes
     * that decode and re-encode to themselves.
     */
    private static void roundTrip(Codec codec, byte[] data) {
        List<byte[]> parts;
        try {
            parts = codec.unbundle(data);
        } catch (FrameDecodeException e) {
            return;
        }
        for (byte[] part : parts == null ? List.of(data) : parts) {
            Frame frame;
            try {
                frame = codec.decode(part);
            } catch (FrameDecodeException e) {
                continue;
            }
            byte[] canonical = codec.encode(frame);
            try {
                assertArrayEquals(canonical, codec.encode(codec.decode(canonical)), frame.kind());
            } catch (FrameDecodeException e) {
                throw new AssertionError("a decoded " + frame.kind() + " frame does not decode once re-encoded", e);
            }
        }
    }
}
