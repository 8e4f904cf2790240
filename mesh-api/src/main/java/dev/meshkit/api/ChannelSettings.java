package dev.meshkit.api;

import java.time.Duration;
import java.util.Arrays;

/**
 * How a node encrypts its links. Build with {@link #builder()}; {@link #defaults()} encrypts every
 * link with the strongest suite both ends have.
 *
 * <p>Each link runs a key exchange inside the handshake: the dialler offers the suites it has, the
 * listener picks the strongest one it shares, and both sign the whole exchange with their identity
 * keys, so a relay that strips a suite from the offer breaks the signatures instead of forcing a
 * weaker one. Every frame after the handshake travels as an AES-256-GCM record.
 *
 * @param suite              the only suite to offer and accept, {@code null} for every suite present,
 *                           or {@link #PLAINTEXT} for links that are authenticated but not encrypted
 *                           (simulations, or transports that encrypt already); both ends must agree
 * @param requirePostQuantum refuse peers unless the link's suite and their identity scheme are
 *                           post-quantum
 * @param networkKey         a pre-shared network key mixed into every link's keys, or {@code null}:
 *                           a node without it cannot complete a handshake, so it admits only nodes
 *                           that were given the key. Make it 32 random bytes: a node that dials
 *                           learns a value derived from it, so a guessable key can be found offline
 * @param rekeyInterval      how long one key may seal records before it is replaced
 * @param rekeyRecords       how many records one key may seal before it is replaced
 */
public record ChannelSettings(String suite, boolean requirePostQuantum, byte[] networkKey, Duration rekeyInterval,
                              long rekeyRecords) {

    /** The suite name that turns link encryption off. */
    public static final String PLAINTEXT = "none";

    /** Checks the values and copies the key. */
    public ChannelSettings {
        if (rekeyInterval == null || rekeyInterval.isNegative() || rekeyInterval.isZero() || rekeyRecords < 1) {
            throw new IllegalArgumentException("rekey interval and record count must be positive");
        }
        if (networkKey != null && networkKey.length < 32) {
            throw new IllegalArgumentException("a network key needs at least 32 bytes");
        }
        if (PLAINTEXT.equals(suite) && (requirePostQuantum || networkKey != null)) {
            throw new IllegalArgumentException("plaintext links can neither be post-quantum nor use a network key");
        }
        networkKey = networkKey == null ? null : networkKey.clone();
    }

    /** Every suite present; rekey every 5 minutes or 10,000 records; no network key. */
    public static ChannelSettings defaults() {
        return builder().build();
    }

    /** Links authenticated by the handshake but not encrypted. */
    public static ChannelSettings plaintext() {
        return builder().suite(PLAINTEXT).build();
    }

    /** True if links are not encrypted. */
    public boolean isPlaintext() {
        return PLAINTEXT.equals(suite);
    }

    /** A copy of the network key, or {@code null}. */
    @Override
    public byte[] networkKey() {
        return networkKey == null ? null : networkKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelSettings c && java.util.Objects.equals(suite, c.suite)
                && requirePostQuantum == c.requirePostQuantum && Arrays.equals(networkKey, c.networkKey)
                && rekeyInterval.equals(c.rekeyInterval) && rekeyRecords == c.rekeyRecords;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(suite, requirePostQuantum, Arrays.hashCode(networkKey), rekeyInterval,
                rekeyRecords);
    }

    @Override
    public String toString() {
        return "ChannelSettings[suite=" + (suite == null ? "strongest" : suite) + ", requirePostQuantum="
                + requirePostQuantum + ", networkKey=" + (networkKey == null ? "none" : "set") + ", rekey="
                + rekeyInterval + "/" + rekeyRecords + " records]";
    }

    /** A builder starting from the {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link ChannelSettings}; every setter has a default. */
    public static final class Builder {
        private String suite;
        private boolean requirePostQuantum;
        private byte[] networkKey;
        private Duration rekeyInterval = Duration.ofMinutes(5);
        private long rekeyRecords = 10_000;

        private Builder() {
        }

        /** The only suite to use, such as {@code x25519-mlkem768-aes256gcm}, or {@link #PLAINTEXT}. */
        public Builder suite(String name) {
            this.suite = name;
            return this;
        }

        /** Refuse peers whose link or identity would not resist a quantum computer. */
        public Builder requirePostQuantum(boolean required) {
            this.requirePostQuantum = required;
            return this;
        }

        /** A pre-shared key (at least 32 bytes, random) every node of the network must hold. */
        public Builder networkKey(byte[] key) {
            this.networkKey = key == null ? null : key.clone();
            return this;
        }

        /** Replace a link's keys after {@code interval} or {@code records} records, whichever comes first. */
        public Builder rekeyAfter(Duration interval, long records) {
            this.rekeyInterval = interval;
            this.rekeyRecords = records;
            return this;
        }

        /** The settings; throws {@link IllegalArgumentException} if a value is out of range. */
        public ChannelSettings build() {
            return new ChannelSettings(suite, requirePostQuantum, networkKey, rekeyInterval, rekeyRecords);
        }
    }
}
