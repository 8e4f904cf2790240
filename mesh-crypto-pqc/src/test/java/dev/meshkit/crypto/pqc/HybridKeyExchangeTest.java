package dev.meshkit.crypto.pqc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.spi.ChannelException;
import dev.meshkit.api.spi.KeyExchange;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HybridKeyExchangeTest {
    private final HybridChannelProvider suite = new HybridChannelProvider();

    @Test
    void bothSidesGetTheSameSecretFromBothHalves() throws Exception {
        KeyExchange dialer = suite.keyExchange();
        KeyExchange listener = suite.keyExchange();
        byte[] offer = dialer.offer();
        assertEquals(HybridKeyExchange.OFFER_BYTES, offer.length);
        byte[] answer = listener.answer(offer);
        assertEquals(HybridKeyExchange.ANSWER_BYTES, answer.length);
        dialer.finish(answer);
        assertEquals(64, dialer.secret().length, "ML-KEM's 32 bytes and X25519's 32 bytes");
        assertArrayEquals(listener.secret(), dialer.secret());
        // Each run is fresh: a second exchange agrees on another secret.
        KeyExchange d2 = suite.keyExchange();
        KeyExchange l2 = suite.keyExchange();
        d2.finish(l2.answer(d2.offer()));
        assertFalse(Arrays.equals(dialer.secret(), d2.secret()));
        assertTrue(suite.postQuantum());
    }

    @Test
    void aChangedCiphertextGivesAnotherSecretNotAnError() throws Exception {
        KeyExchange dialer = suite.keyExchange();
        KeyExchange listener = suite.keyExchange();
        byte[] answer = listener.answer(dialer.offer());
        answer[answer.length - 1] ^= 1;
        dialer.finish(answer); // ML-KEM's implicit rejection: the key confirmation will catch it
        assertFalse(Arrays.equals(listener.secret(), dialer.secret()));
    }

    @Test
    void malformedSharesAreRefused() {
        KeyExchange listener = suite.keyExchange();
        KeyExchange dialer = suite.keyExchange();
        byte[] offer = dialer.offer();
        assertEquals(ChannelException.Problem.MALFORMED, assertThrows(ChannelException.class,
                () -> listener.answer(Arrays.copyOf(offer, offer.length - 1))).problem());
        byte[] lowOrder = offer.clone();
        Arrays.fill(lowOrder, 0, 32, (byte) 0);
        assertThrows(ChannelException.class, () -> suite.keyExchange().answer(lowOrder));
        // An encapsulation key whose coefficients are not reduced mod q (FIPS 203 section 7.2).
        byte[] unreduced = offer.clone();
        Arrays.fill(unreduced, 32, 32 + 384, (byte) 0xff);
        assertThrows(ChannelException.class, () -> suite.keyExchange().answer(unreduced));
        assertThrows(ChannelException.class, () -> dialer.finish(new byte[HybridKeyExchange.ANSWER_BYTES - 1]));
    }

    @Test
    void closingErasesTheSecret() throws Exception {
        KeyExchange dialer = suite.keyExchange();
        KeyExchange listener = suite.keyExchange();
        dialer.finish(listener.answer(dialer.offer()));
        byte[] held = dialer.secret();
        dialer.close();
        assertArrayEquals(new byte[held.length], held);
    }
}
