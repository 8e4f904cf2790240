package dev.meshkit.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.ErrorCode;
import dev.meshkit.api.Mesh;
import dev.meshkit.api.MeshException;
import dev.meshkit.api.MeshNode;
import dev.meshkit.core.MemNetwork;
import dev.meshkit.core.codec.MessageTypes;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MessageTypeTest {
    @Test
    void typesAreOneToSixtyFourCharactersOfTheAllowedSet() {
        for (String ok : new String[] {"a", "chat", "app.v2/room_1:msg-x", "Z".repeat(64), "0123456789"}) {
            assertTrue(MessageTypes.valid(ok), ok);
        }
        for (String bad : new String[] {null, "", "a".repeat(65), "with space", "é", "a\nb", "semi;colon", "a*"}) {
            assertFalse(MessageTypes.valid(bad), String.valueOf(bad));
        }
    }

    @Test
    void aBroadcastWithABadTypeIsRefused() throws Exception {
        MeshNode n = Mesh.builder().transport(new MemNetwork().transport()).listen("mem://types").build();
        n.start().get(5, TimeUnit.SECONDS);
        try {
            MeshException e = assertThrows(MeshException.class, () -> n.broadcast("no spaces", new byte[0]));
            assertEquals(ErrorCode.INVALID_CONFIG, e.code());
            n.broadcast("fine", new byte[0]);
        } finally {
            n.stop().get(5, TimeUnit.SECONDS);
        }
    }
}
