package dev.meshkit.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.meshkit.api.MessageId;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.spi.Codec;
import dev.meshkit.api.wire.Envelope;
import dev.meshkit.api.wire.Frame;
import dev.meshkit.api.wire.FrameLimits;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageIdHintTest {
    private final Codec codec = new JsonCodecProvider().create(FrameLimits.defaults());
    private final MessageId id = MessageId.parse("0123456789abcdef0123456789abcdef");
    private final Envelope envelope = new Envelope("t", NodeId.ofPublicKey(new byte[] {1}), null, 5, 6, 3, 1,
            new byte[] {9}, new byte[32], new byte[64]);

    @Test
    void theHintRoundTripsAndCanBeReadWithoutDecoding() throws Exception {
        byte[] bytes = codec.encode(new Frame.Publish(envelope, id));
        assertEquals(id, codec.peekMessageId(bytes));
        assertEquals(id, ((Frame.Publish) codec.decode(bytes)).id());
    }

    @Test
    void framesWithoutAHintOrOfAnotherKindPeekToNull() {
        assertNull(codec.peekMessageId(codec.encode(new Frame.Publish(envelope, null))));
        assertNull(codec.peekMessageId(codec.encode(new Frame.Ping(1))));
        assertNull(codec.peekMessageId(new byte[0]));
        assertNull(codec.peekMessageId("{\"k\":\"publish\",\"i\":\"ZZ23456789abcdef0123456789abcdef\"}"
                .getBytes(StandardCharsets.UTF_8)));
        assertNull(codec.peekMessageId("{\"k\":\"publish\",\"i\":\"0123\"}".getBytes(StandardCharsets.UTF_8)));
    }
}
