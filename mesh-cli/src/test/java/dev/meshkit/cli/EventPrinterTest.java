package dev.meshkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.meshkit.api.DisconnectReason;
import dev.meshkit.api.Endpoint;
import dev.meshkit.api.MeshEvent;
import dev.meshkit.api.Message;
import dev.meshkit.api.MessageId;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.PeerInfo;
import dev.meshkit.api.RefusalReason;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON lines of {@code --events json}: one object per event, with stable member names. */
class EventPrinterTest {
    private static final NodeId ORIGIN = NodeId.fromBytes(new byte[32]);
    private static final MessageId MID = MessageId.parse("0123456789abcdef0123456789abcdef");

    private static JsonObject print(MeshEvent event) {
        StringWriter text = new StringWriter();
        EventPrinter.json(new PrintWriter(text)).event(event);
        String[] lines = text.toString().split("\n");
        assertEquals(1, lines.length, "one line per event: " + text);
        return JsonParser.parseString(lines[0]).getAsJsonObject();
    }

    private static Message message(byte[] payload) {
        return new Message(MID, "chat", ORIGIN, 1L, 2, Message.Delivery.BROADCAST, payload, false);
    }

    @Test
    void utf8PayloadsAreText() {
        JsonObject o = print(new MeshEvent.MessageReceived(message("h\u00e9llo <b>".getBytes(StandardCharsets.UTF_8))));
        assertEquals("message", o.get("event").getAsString());
        assertEquals("h\u00e9llo <b>", o.get("payload").getAsString());
        assertEquals(ORIGIN.hex(), o.get("origin").getAsString());
        assertEquals(MID.hex(), o.get("id").getAsString());
        assertEquals(2, o.get("hops").getAsInt());
        assertEquals("chat", o.get("type").getAsString());
        assertFalse(o.has("encoding"));
    }

    @Test
    void otherPayloadsAreBase64() {
        byte[] binary = {(byte) 0xff, (byte) 0xfe, 0, 1};
        JsonObject o = print(new MeshEvent.MessageReceived(message(binary)));
        assertEquals("base64", o.get("encoding").getAsString());
        assertEquals(Base64.getEncoder().encodeToString(binary), o.get("payload").getAsString());
    }

    @Test
    void peerAndLifecycleEventsHaveTheirMembers() {
        PeerInfo peer = new PeerInfo(ORIGIN, Endpoint.parse("ws://127.0.0.1:9000"), "127.0.0.1:5555", true, 0, "x25519-aes256gcm");
        JsonObject connected = print(new MeshEvent.PeerConnected(peer));
        assertEquals("peer-connected", connected.get("event").getAsString());
        assertEquals("ws://127.0.0.1:9000", connected.get("endpoint").getAsString());
        assertTrue(connected.get("inbound").getAsBoolean());
        assertEquals("x25519-aes256gcm", connected.get("suite").getAsString());

        JsonObject gone = print(new MeshEvent.PeerDisconnected(peer, DisconnectReason.TRANSPORT_ERROR, "reset"));
        assertEquals("peer-disconnected", gone.get("event").getAsString());
        assertEquals("transport-error", gone.get("reason").getAsString());
        assertEquals("reset", gone.get("detail").getAsString());

        JsonObject refused = print(new MeshEvent.HandshakeRefused("ws://x:1", RefusalReason.NETWORK_MISMATCH, "d", true));
        assertEquals("handshake-refused", refused.get("event").getAsString());
        assertEquals("network-mismatch", refused.get("reason").getAsString());
        assertTrue(refused.get("byRemote").getAsBoolean());

        JsonObject started = print(new MeshEvent.NodeStarted(ORIGIN, List.of(Endpoint.parse("ws://127.0.0.1:1"))));
        assertEquals("ws://127.0.0.1:1", started.getAsJsonArray("endpoints").get(0).getAsString());
        assertEquals("node-stopped", print(new MeshEvent.NodeStopped(ORIGIN, "stopped")).get("event").getAsString());
    }

    @Test
    void aPeerWithoutAListenerHasANullEndpoint() {
        PeerInfo peer = new PeerInfo(ORIGIN, null, "127.0.0.1:5555", true, 0, "x25519-aes256gcm");
        JsonObject o = print(new MeshEvent.PeerConnected(peer));
        assertTrue(o.has("endpoint") && o.get("endpoint").isJsonNull(), o::toString);
    }
}
