package dev.meshkit.core.channel;

import dev.meshkit.api.ChannelSettings;
import dev.meshkit.api.ErrorCode;
import dev.meshkit.api.MeshException;
import dev.meshkit.api.RefusalReason;
import dev.meshkit.api.spi.ChannelException;
import dev.meshkit.api.spi.KeyExchange;
import dev.meshkit.api.spi.SecureChannelProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The suites one node offers and accepts, strongest first, and the suite negotiation: the dialler
 * offers a key share for each of its suites, the listener answers the strongest one it has. Neither
 * side checks the other's choice here: both sign the offer and the answer, so a suite removed or
 * swapped on the way makes the signatures fail.
 */
public final class ChannelSuites {
    private final List<SecureChannelProvider> suites;

    private ChannelSuites(List<SecureChannelProvider> suites) {
        this.suites = suites;
    }

    /**
     * The suites the settings allow among those found.
     *
     * @throws MeshException {@code MISSING_PROVIDER} if the suite the settings name is absent, or
     *                       {@code INVALID_CONFIG} if post-quantum links are required and no suite is
     */
    public static ChannelSuites of(ChannelSettings settings, List<SecureChannelProvider> found) {
        if (settings.isPlaintext()) {
            return new ChannelSuites(List.of());
        }
        List<SecureChannelProvider> usable = found.stream()
                .filter(p -> settings.suite() == null || p.suite().equals(settings.suite()))
                .filter(p -> !settings.requirePostQuantum() || p.postQuantum())
                .sorted(Comparator.comparingInt(SecureChannelProvider::priority).reversed())
                .limit(ChannelWire.MAX_SUITES)
                .collect(Collectors.toList());
        if (usable.isEmpty()) {
            List<String> names = found.stream().map(SecureChannelProvider::suite).collect(Collectors.toList());
            if (settings.suite() != null) {
                throw new MeshException(ErrorCode.MISSING_PROVIDER, "channel suite '" + settings.suite()
                        + "' not found; present: " + names);
            }
            throw new MeshException(ErrorCode.INVALID_CONFIG, "post-quantum links are required but no suite is"
                    + " post-quantum (present: " + names + "); add mesh-crypto-pqc");
        }
        return new ChannelSuites(List.copyOf(usable));
    }

    /** True if links are not encrypted. */
    public boolean plaintext() {
        return suites.isEmpty();
    }

    /** The suite names, strongest first. */
    public List<String> names() {
        return suites.stream().map(SecureChannelProvider::suite).collect(Collectors.toList());
    }

    /** The dialler's side: a key share for every suite. */
    public Offer offer() {
        Map<String, KeyExchange> exchanges = new LinkedHashMap<>();
        List<ChannelWire.Entry> entries = new ArrayList<>();
        for (SecureChannelProvider p : suites) {
            KeyExchange x = p.keyExchange();
            exchanges.put(p.suite(), x);
            entries.add(new ChannelWire.Entry(p.suite(), x.offer()));
        }
        return new Offer(ChannelWire.encode(entries), exchanges);
    }

    /**
     * The listener's side: answers the strongest suite of ours the dialler offered.
     *
     * @throws SuiteRefusedException {@code UNSUPPORTED_SUITE} without a common suite,
     *                               {@code PROTOCOL_ERROR} for a malformed offer
     */
    public Agreement answer(byte[] offer) throws SuiteRefusedException {
        List<ChannelWire.Entry> offered = ChannelWire.parseOffer(offer);
        Set<String> seen = new HashSet<>();
        for (ChannelWire.Entry e : offered) {
            if (!seen.add(e.suite())) {
                throw new SuiteRefusedException(RefusalReason.PROTOCOL_ERROR, "suite " + e.suite() + " offered twice");
            }
        }
        for (SecureChannelProvider p : suites) {
            for (ChannelWire.Entry e : offered) {
                if (e.suite().equals(p.suite())) {
                    try (KeyExchange x = p.keyExchange()) {
                        byte[] share = x.answer(e.share());
                        return new Agreement(p.suite(), ChannelWire.encode(new ChannelWire.Entry(p.suite(), share)),
                                x.secret().clone());
                    } catch (ChannelException ex) {
                        throw new SuiteRefusedException(RefusalReason.PROTOCOL_ERROR, p.suite() + " key share: "
                                + ex.getMessage());
                    }
                }
            }
        }
        throw new SuiteRefusedException(RefusalReason.UNSUPPORTED_SUITE, "no common link suite: offered "
                + offered.stream().map(ChannelWire.Entry::suite).collect(Collectors.toList()) + ", accepted "
                + names());
    }

    /** A dialler's key shares, kept until the answer comes. */
    public static final class Offer implements AutoCloseable {
        private final byte[] bytes;
        private final Map<String, KeyExchange> exchanges;

        private Offer(byte[] bytes, Map<String, KeyExchange> exchanges) {
            this.bytes = bytes;
            this.exchanges = exchanges;
        }

        /** What the hello carries. */
        public byte[] bytes() {
            return bytes.clone();
        }

        /**
         * Completes the key agreement with the listener's answer.
         *
         * @throws SuiteRefusedException {@code UNSUPPORTED_SUITE} if the answer names a suite not
         *                               offered, {@code PROTOCOL_ERROR} if it is malformed
         */
        public Agreement finish(byte[] answer) throws SuiteRefusedException {
            ChannelWire.Entry e = ChannelWire.parseAnswer(answer);
            KeyExchange x = exchanges.get(e.suite());
            if (x == null) {
                throw new SuiteRefusedException(RefusalReason.UNSUPPORTED_SUITE, "the listener chose " + e.suite()
                        + ", which was not offered");
            }
            try {
                x.finish(e.share());
                return new Agreement(e.suite(), answer.clone(), x.secret().clone());
            } catch (ChannelException ex) {
                throw new SuiteRefusedException(RefusalReason.PROTOCOL_ERROR, e.suite() + " key share: "
                        + ex.getMessage());
            } finally {
                close();
            }
        }

        /** Erases every key share's private half. */
        @Override
        public void close() {
            exchanges.values().forEach(KeyExchange::close);
        }
    }

    /**
     * An agreed suite.
     *
     * @param suite  its name
     * @param answer the listener's answer as sent, which both sides sign
     * @param secret the shared secret; {@link #erase()} once the link keys are derived
     */
    public record Agreement(String suite, byte[] answer, byte[] secret) {
        /** Erases the secret. */
        public void erase() {
            Arrays.fill(secret, (byte) 0);
        }
    }
}
