package dev.meshkit.crypto.pqc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meshkit.api.spi.ChannelException;
import dev.meshkit.api.spi.KeyExchange;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two ML-KEM engines against each other (see {@link Engines} for when the JDK's is required). */
class MlKemEnginesTest {
    /** q, the ML-KEM modulus: the smallest coefficient value that is not reduced. */
    private static final int Q = 3329;

    private final SecureRandom random = new SecureRandom();

    @Test
    void eachEngineDecapsulatesWhatTheOtherEncapsulated() {
        MlKemEngine jdk = Engines.jdkMlKem();
        MlKemEngine bc = new BouncyCastleMlKem();
        for (int i = 0; i < 3; i++) {
            assertRoundTrip(bc, jdk);
            assertRoundTrip(jdk, bc);
        }
    }

    private void assertRoundTrip(MlKemEngine sender, MlKemEngine receiver) {
        String direction = sender.name() + " to " + receiver.name();
        MlKemEngine.DecapsulationKey keys = receiver.generate(random);
        byte[] ek = keys.encapsulationKey();
        assertEquals(MlKemEngine.ENCAPSULATION_KEY_BYTES, ek.length, direction);

        MlKemEngine.Encapsulation sent = sender.encapsulate(ek, random);
        assertEquals(MlKemEngine.CIPHERTEXT_BYTES, sent.ciphertext().length, direction);
        assertEquals(32, sent.secret().length, direction);
        assertArrayEquals(sent.secret(), keys.decapsulate(sent.ciphertext()), direction);

        byte[] tampered = sent.ciphertext().clone();
        tampered[random.nextInt(tampered.length)] ^= 1;
        assertFalse(Arrays.equals(sent.secret(), keys.decapsulate(tampered)), direction + ", tampered");
        keys.destroy();
    }

    @Test
    void aHybridExchangeAgreesWhicheverEngineEachSideRuns() throws Exception {
        MlKemEngine jdk = Engines.jdkMlKem();
        MlKemEngine bc = new BouncyCastleMlKem();
        for (List<MlKemEngine> sides : List.of(List.of(bc, jdk), List.of(jdk, bc))) {
            KeyExchange dialler = new HybridKeyExchange(sides.get(0), random);
            KeyExchange listener = new HybridKeyExchange(sides.get(1), random);
            dialler.finish(listener.answer(dialler.offer()));
            String direction = sides.get(0).name() + " dialling " + sides.get(1).name();
            assertEquals(64, dialler.secret().length, direction);
            assertArrayEquals(listener.secret(), dialler.secret(), direction);
            dialler.close();
            listener.close();
        }
    }

    @Test
    void anEncapsulationKeyWithAnUnreducedCoefficientIsRefusedByEveryEngine() throws Exception {
        byte[] ek = new BouncyCastleMlKem().generate(random).encapsulationKey();
        // The first and the last of the 768 coefficients, 12 bits each, two to three bytes.
        byte[] firstUnreduced = ek.clone();
        firstUnreduced[0] = (byte) Q;
        firstUnreduced[1] = (byte) ((firstUnreduced[1] & 0xf0) | (Q >> 8));
        byte[] lastUnreduced = ek.clone();
        lastUnreduced[1150] = (byte) ((lastUnreduced[1150] & 0x0f) | ((Q & 0x0f) << 4));
        lastUnreduced[1151] = (byte) (Q >> 4);

        for (MlKemEngine engine : Engines.mlKemEngines()) {
            // The same key, reduced, goes through: the refusals below are for the coefficient alone.
            engine.encapsulate(ek, random);
            KeyExchange dialler = new HybridKeyExchange(engine, random);
            byte[] offer = dialler.offer();
            for (byte[] bad : List.of(firstUnreduced, lastUnreduced)) {
                assertThrows(IllegalArgumentException.class, () -> engine.encapsulate(bad, random), engine.name());
                byte[] badOffer = offer.clone();
                System.arraycopy(bad, 0, badOffer, HybridKeyExchange.X25519_BYTES, bad.length);
                KeyExchange listener = new HybridKeyExchange(engine, random);
                assertEquals(ChannelException.Problem.MALFORMED,
                        assertThrows(ChannelException.class, () -> listener.answer(badOffer), engine.name()).problem());
            }
        }
    }
}
