package dev.meshkit.core.channel;

import dev.meshkit.api.spi.ChannelException;
import dev.meshkit.api.spi.ChannelException.Problem;
import dev.meshkit.api.spi.KeyExchange;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * Ephemeral X25519 (RFC 7748); shares are the raw 32-byte public keys. Bouncy Castle's byte-array
 * form is used rather than the JDK's key objects so the private scalar can really be erased.
 */
final class X25519KeyExchange implements KeyExchange {
    static final int SHARE_BYTES = X25519.POINT_SIZE;

    private final byte[] privateKey = new byte[X25519.SCALAR_SIZE];
    private final byte[] publicKey = new byte[X25519.POINT_SIZE];
    private byte[] secret;

    X25519KeyExchange(SecureRandom random) {
        X25519.generatePrivateKey(random, privateKey);
        X25519.generatePublicKey(privateKey, 0, publicKey, 0);
    }

    @Override
    public byte[] offer() {
        return publicKey.clone();
    }

    @Override
    public byte[] answer(byte[] offer) throws ChannelException {
        agree(offer);
        return offer();
    }

    @Override
    public void finish(byte[] answer) throws ChannelException {
        agree(answer);
    }

    @Override
    public byte[] secret() {
        if (secret == null) {
            throw new IllegalStateException("no secret agreed yet");
        }
        return secret;
    }

    private void agree(byte[] peerShare) throws ChannelException {
        if (peerShare.length != SHARE_BYTES) {
            throw new ChannelException(Problem.MALFORMED, "an X25519 share is " + SHARE_BYTES + " bytes, not "
                    + peerShare.length);
        }
        byte[] s = new byte[X25519.POINT_SIZE];
        // False for a low-order point, whose shared secret is all zeros whatever our key.
        if (!X25519.calculateAgreement(privateKey, 0, peerShare, 0, s, 0)) {
            throw new ChannelException(Problem.MALFORMED, "X25519 share is a low-order point");
        }
        secret = s;
    }

    @Override
    public void close() {
        Arrays.fill(privateKey, (byte) 0);
        if (secret != null) {
            Arrays.fill(secret, (byte) 0);
        }
    }
}
