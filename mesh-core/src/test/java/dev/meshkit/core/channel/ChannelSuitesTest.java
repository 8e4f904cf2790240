package dev.meshkit.core.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.ChannelSettings;
import dev.meshkit.api.ErrorCode;
import dev.meshkit.api.MeshException;
import dev.meshkit.api.RefusalReason;
import dev.meshkit.api.spi.ChannelException;
import dev.meshkit.api.spi.KeyExchange;
import dev.meshkit.api.spi.SecureChannelProvider;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelSuitesTest {
    private static final SecureChannelProvider CLASSIC = new X25519ChannelProvider();
    private static final SecureChannelProvider STRONG = RenamedSuite.of("strong-suite", 100, true);

    private static ChannelSuites suites(SecureChannelProvider... found) {
        return ChannelSuites.of(ChannelSettings.defaults(), List.of(found));
    }

    @Test
    void bothSidesAgreeOnTheStrongestCommonSuiteAndTheSameSecret() throws Exception {
        ChannelSuites dialer = suites(CLASSIC, STRONG);
        assertEquals(List.of("strong-suite", X25519ChannelProvider.NAME), dialer.names());
        ChannelSuites.Offer offer = dialer.offer();
        ChannelSuites.Agreement heard = suites(STRONG, CLASSIC).answer(offer.bytes());
        assertEquals("strong-suite", heard.suite());
        ChannelSuites.Agreement got = offer.finish(heard.answer());
        assertEquals("strong-suite", got.suite());
        assertArrayEquals(heard.secret(), got.secret());
        // A listener without the strong suite answers the classic one from the same offer.
        ChannelSuites.Offer again = dialer.offer();
        ChannelSuites.Agreement classic = suites(CLASSIC).answer(again.bytes());
        assertEquals(X25519ChannelProvider.NAME, classic.suite());
        assertArrayEquals(classic.secret(), again.finish(classic.answer()).secret());
    }

    @Test
    void noCommonSuiteIsRefusedByName() {
        SuiteRefusedException e = assertThrows(SuiteRefusedException.class,
                () -> suites(CLASSIC).answer(suites(STRONG).offer().bytes()));
        assertEquals(RefusalReason.UNSUPPORTED_SUITE, e.reason());
        assertTrue(e.getMessage().contains("strong-suite"), e.getMessage());
    }

    @Test
    void anAnswerNamingASuiteNotOfferedIsRefused() throws Exception {
        ChannelSuites.Offer offer = suites(CLASSIC).offer();
        byte[] foreign = suites(STRONG).answer(suites(STRONG).offer().bytes()).answer();
        assertEquals(RefusalReason.UNSUPPORTED_SUITE,
                assertThrows(SuiteRefusedException.class, () -> offer.finish(foreign)).reason());
    }

    @Test
    void malformedOffersAndSharesAreProtocolErrors() {
        ChannelSuites listener = suites(CLASSIC);
        byte[] good = suites(CLASSIC).offer().bytes();
        List<byte[]> bad = List.of(new byte[0], new byte[] {0}, new byte[] {9}, Arrays.copyOf(good, good.length - 1),
                Arrays.copyOf(good, good.length + 1), upperCased(good), twice(good), shortShare());
        for (byte[] b : bad) {
            assertEquals(RefusalReason.PROTOCOL_ERROR,
                    assertThrows(SuiteRefusedException.class, () -> listener.answer(b)).reason(), Arrays.toString(b));
        }
    }

    @Test
    void aLowOrderX25519ShareIsRefused() {
        KeyExchange x = CLASSIC.keyExchange();
        assertEquals(ChannelException.Problem.MALFORMED,
                assertThrows(ChannelException.class, () -> x.answer(new byte[32])).problem());
    }

    @Test
    void settingsChooseAndRequire() {
        assertEquals(List.of(X25519ChannelProvider.NAME), ChannelSuites.of(
                ChannelSettings.builder().suite(X25519ChannelProvider.NAME).build(), List.of(CLASSIC, STRONG)).names());
        assertEquals(List.of("strong-suite"), ChannelSuites.of(
                ChannelSettings.builder().requirePostQuantum(true).build(), List.of(CLASSIC, STRONG)).names());
        assertTrue(ChannelSuites.of(ChannelSettings.plaintext(), List.of(CLASSIC)).plaintext());
        assertEquals(ErrorCode.INVALID_CONFIG, assertThrows(MeshException.class, () -> ChannelSuites.of(
                ChannelSettings.builder().requirePostQuantum(true).build(), List.of(CLASSIC))).code());
        assertEquals(ErrorCode.MISSING_PROVIDER, assertThrows(MeshException.class, () -> ChannelSuites.of(
                ChannelSettings.builder().suite("nope").build(), List.of(CLASSIC))).code());
        assertThrows(IllegalArgumentException.class, () -> ChannelSettings.builder().networkKey(new byte[8]).build());
        assertThrows(IllegalArgumentException.class, () -> ChannelSettings.builder().rekeyAfter(java.time.Duration.ZERO, 1).build());
    }

    private static byte[] upperCased(byte[] offer) {
        byte[] b = offer.clone();
        b[2] = 'X';
        return b;
    }

    private static byte[] twice(byte[] offer) {
        byte[] entry = Arrays.copyOfRange(offer, 1, offer.length);
        byte[] b = new byte[1 + 2 * entry.length];
        b[0] = 2;
        System.arraycopy(entry, 0, b, 1, entry.length);
        System.arraycopy(entry, 0, b, 1 + entry.length, entry.length);
        return b;
    }

    private static byte[] shortShare() {
        return ChannelWire.encode(List.of(new ChannelWire.Entry(X25519ChannelProvider.NAME, new byte[31])));
    }
}
