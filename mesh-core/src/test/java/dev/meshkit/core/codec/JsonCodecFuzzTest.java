package dev.meshkit.core.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.meshkit.api.spi.Codec;
import dev.meshkit.api.wire.Frame;
import dev.meshkit.api.wire.FrameDecodeException;
import dev.meshkit.api.wire.FrameDecodeException.Problem;
import dev.meshkit.api.wire.FrameLimits;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutates valid frames at random and checks the decoder's one promise about bad input: it throws
 * {@link FrameDecodeException} and nothing else. Seeded, so a failure reproduces; the failing input is
 * printed as base64.
 */
class JsonCodecFuzzTest {
    private static final long SEED = 0x6d657368L;
    private static final int ITERATIONS = 10_000;
    private static final byte[] INTERESTING = "{}[]\",:\\0123456789eE.-+ntfrue \u0000".getBytes(UTF_8);

    private final Codec normal = new JsonCodec(FrameLimits.defaults());
    // Tight limits so that mutations also run into the depth, length and payload checks.
    private final Codec tight = new JsonCodec(new FrameLimits(1 << 20, 16 << 10, 4 << 10, 128 << 10, 1 << 20,
            64, 4, 3, 200));

    @Test
    void randomMutationsOnlyEverRaiseFrameDecodeException() {
        Random random = new Random(SEED);
        List<byte[]> seeds = new ArrayList<>();
        for (Frame f : SampleFrames.all()) {
            seeds.add(normal.encode(f));
        }
        Map<Problem, Integer> problems = new EnumMap<>(Problem.class);
        int decoded = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = seeds.get(random.nextInt(seeds.size()));
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                input = mutate(input, random);
            }
            Codec codec = (i & 1) == 0 ? normal : tight;
            try {
                Frame frame = codec.decode(input);
                decoded++;
                // Whatever decodes must also encode and come back the same.
                SampleFrames.assertSame(frame, codec.decode(codec.encode(frame)));
            } catch (FrameDecodeException e) {
                problems.merge(e.problem(), 1, Integer::sum);
            } catch (Throwable t) {
                fail("iteration " + i + " threw " + t + " for input (base64) "
                        + Base64.getEncoder().encodeToString(input), t);
            }
        }
        // Guard against a fuzzer that only ever trips the first byte check.
        assertTrue(decoded > 100, "too few mutants decoded: " + decoded);
        assertTrue(problems.keySet().size() >= 5, "too few kinds of problem: " + problems);
    }

    private static byte[] mutate(byte[] in, Random r) {
        if (in.length == 0) {
            return new byte[] {(byte) r.nextInt(256)};
        }
        int at = r.nextInt(in.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + 64);
        switch (r.nextInt(8)) {
            case 0: { // flip one bit
                byte[] b = in.clone();
                b[at] ^= (byte) (1 << r.nextInt(8));
                return b;
            }
            case 1: { // replace with any byte
                byte[] b = in.clone();
                b[at] = (byte) r.nextInt(256);
                return b;
            }
            case 2: { // replace with a byte that means something to JSON
                byte[] b = in.clone();
                b[at] = INTERESTING[r.nextInt(INTERESTING.length)];
                return b;
            }
            case 3: { // insert a run of one meaningful byte, e.g. many '['
                byte c = INTERESTING[r.nextInt(INTERESTING.length)];
                int n = r.nextInt(4) == 0 ? 1 + r.nextInt(2000) : 1 + r.nextInt(3);
                out.write(in, 0, at);
                for (int k = 0; k < n; k++) {
                    out.write(c);
                }
                out.write(in, at, in.length - at);
                return out.toByteArray();
            }
            case 4: { // delete a range
                int len = 1 + r.nextInt(Math.min(32, in.length - at));
                out.write(in, 0, at);
                out.write(in, at + len, in.length - at - len);
                return out.toByteArray();
            }
            case 5: { // duplicate a range somewhere else
                int len = 1 + r.nextInt(Math.min(64, in.length - at));
                int to = r.nextInt(in.length + 1);
                out.write(in, 0, to);
                out.write(in, at, len);
                out.write(in, to, in.length - to);
                return out.toByteArray();
            }
            case 6: // truncate
                return java.util.Arrays.copyOf(in, at);
            default: { // splice in a snippet of another JSON shape
                String[] snippets = {",\"x\":[1,{\"y\":null}]", ",\"n\":1", "null", "\"\"", "[]", "{}", ",",
                    "\"k\":\"ping\"", "1e999", "-0", "\"\\u0000\"", "\"\\ud800\"", "9223372036854775808"};
                byte[] s = snippets[r.nextInt(snippets.length)].getBytes(UTF_8);
                out.write(in, 0, at);
                out.write(s, 0, s.length);
                out.write(in, at, in.length - at);
                return out.toByteArray();
            }
        }
    }
}
