package dev.meshkit.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.meshkit.api.DisconnectReason;
import dev.meshkit.api.Endpoint;
import dev.meshkit.api.MeshEvent;
import dev.meshkit.api.Message;
import dev.meshkit.api.MessageId;
import dev.meshkit.api.PeerInfo;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * Writes what happens to a node on standard output, one line per event: either JSON objects for
 * programs or short text for people. Thread-safe: the node's event loop and the input reader both
 * write, and a line must never be interleaved with another.
 */
abstract class EventPrinter {
    protected final PrintWriter out;

    EventPrinter(PrintWriter out) {
        this.out = out;
    }

    /** A printer for {@code --events json}. */
    static EventPrinter json(PrintWriter out) {
        return new Json(out);
    }

    /** A printer for people. */
    static EventPrinter text(PrintWriter out) {
        return new Text(out);
    }

    /** Prints one node event. */
    abstract void event(MeshEvent event);

    /** Prints that a line from standard input was broadcast as message {@code id} to {@code peers} neighbours. */
    abstract void sent(String type, MessageId id, int bytes, int peers);

    /** Prints that standard input ended; the node goes on running. */
    abstract void inputClosed();

    /** Prints a problem that does not stop the node, e.g. a line that could not be broadcast. */
    abstract void problem(String message);

    protected final synchronized void line(String text) {
        out.println(text);
        // Flushed per line: a program reading the events must see each one as it happens.
        out.flush();
    }

    /** The payload as text, or {@code null} if it is not valid UTF-8. */
    static String utf8OrNull(byte[] payload) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The stable lower-case form of a disconnect reason, e.g. {@code transport-error}. */
    static String wireName(DisconnectReason reason) {
        return reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static final class Json extends EventPrinter {
        // Nulls are written so every event of a kind has the same members; HTML escaping would only
        // obscure payload text for the programs reading it.
        private final Gson gson = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

        Json(PrintWriter out) {
            super(out);
        }

        @Override
        void event(MeshEvent event) {
            JsonObject o = new JsonObject();
            if (event instanceof MeshEvent.NodeStarted) {
                MeshEvent.NodeStarted e = (MeshEvent.NodeStarted) event;
                o.addProperty("event", "node-started");
                o.addProperty("id", e.node().hex());
                JsonArray eps = new JsonArray();
                for (Endpoint ep : e.endpoints()) {
                    eps.add(ep.toString());
                }
                o.add("endpoints", eps);
            } else if (event instanceof MeshEvent.NodeStopped) {
                MeshEvent.NodeStopped e = (MeshEvent.NodeStopped) event;
                o.addProperty("event", "node-stopped");
                o.addProperty("id", e.node().hex());
                o.addProperty("reason", e.reason());
            } else if (event instanceof MeshEvent.PeerConnected) {
                PeerInfo p = ((MeshEvent.PeerConnected) event).peer();
                o.addProperty("event", "peer-connected");
                peer(o, p);
                o.addProperty("inbound", p.inbound());
                o.addProperty("suite", p.suite());
            } else if (event instanceof MeshEvent.PeerDisconnected) {
                MeshEvent.PeerDisconnected e = (MeshEvent.PeerDisconnected) event;
                o.addProperty("event", "peer-disconnected");
                peer(o, e.peer());
                o.addProperty("reason", wireName(e.reason()));
                o.addProperty("detail", e.detail());
            } else if (event instanceof MeshEvent.HandshakeRefused) {
                MeshEvent.HandshakeRefused e = (MeshEvent.HandshakeRefused) event;
                o.addProperty("event", "handshake-refused");
                o.addProperty("remote", e.remote());
                o.addProperty("reason", e.reason().wireName());
                o.addProperty("detail", e.detail());
                o.addProperty("byRemote", e.byRemote());
            } else if (event instanceof MeshEvent.MessageReceived) {
                Message m = ((MeshEvent.MessageReceived) event).message();
                o.addProperty("event", "message");
                o.addProperty("origin", m.origin().hex());
                o.addProperty("type", m.type());
                o.addProperty("id", m.id().hex());
                o.addProperty("hops", m.hops());
                o.addProperty("delivery", m.delivery().name().toLowerCase(Locale.ROOT));
                o.addProperty("timestamp", m.timestamp());
                String text = utf8OrNull(m.payload());
                if (text != null) {
                    o.addProperty("payload", text);
                } else {
                    o.addProperty("payload", Base64.getEncoder().encodeToString(m.payload()));
                    o.addProperty("encoding", "base64");
                }
            } else {
                // A newer API may add events; say so rather than drop them silently.
                o.addProperty("event", "other");
                o.addProperty("detail", String.valueOf(event));
            }
            line(gson.toJson(o));
        }

        private static void peer(JsonObject o, PeerInfo p) {
            o.addProperty("peer", p.id().hex());
            o.addProperty("endpoint", p.endpoint() == null ? null : p.endpoint().toString());
            o.addProperty("remote", p.remoteAddress());
        }

        @Override
        void sent(String type, MessageId id, int bytes, int peers) {
            JsonObject o = new JsonObject();
            o.addProperty("event", "sent");
            o.addProperty("type", type);
            o.addProperty("id", id.hex());
            o.addProperty("bytes", bytes);
            o.addProperty("peers", peers);
            line(gson.toJson(o));
        }

        @Override
        void inputClosed() {
            JsonObject o = new JsonObject();
            o.addProperty("event", "input-closed");
            line(gson.toJson(o));
        }

        @Override
        void problem(String message) {
            JsonObject o = new JsonObject();
            o.addProperty("event", "warning");
            o.addProperty("message", message);
            line(gson.toJson(o));
        }
    }

    private static final class Text extends EventPrinter {
        Text(PrintWriter out) {
            super(out);
        }

        @Override
        void event(MeshEvent event) {
            if (event instanceof MeshEvent.NodeStarted) {
                MeshEvent.NodeStarted e = (MeshEvent.NodeStarted) event;
                line("node " + e.node().hex());
                line("listening on " + String.join(", ", e.endpoints().stream().map(Endpoint::toString).toList()));
                line("type a line and press Enter to broadcast it; Ctrl-C stops the node");
            } else if (event instanceof MeshEvent.NodeStopped) {
                MeshEvent.NodeStopped e = (MeshEvent.NodeStopped) event;
                line("node " + e.node().shortForm() + " stopped (" + e.reason() + ")");
            } else if (event instanceof MeshEvent.PeerConnected) {
                PeerInfo p = ((MeshEvent.PeerConnected) event).peer();
                line("+ peer " + p.id().shortForm() + " " + where(p) + (p.inbound() ? " (inbound, " : " (outbound, ")
                        + p.suite() + ")");
            } else if (event instanceof MeshEvent.PeerDisconnected) {
                MeshEvent.PeerDisconnected e = (MeshEvent.PeerDisconnected) event;
                line("- peer " + e.peer().id().shortForm() + " " + where(e.peer()) + ": " + wireName(e.reason())
                        + (e.detail() == null || e.detail().isEmpty() ? "" : " (" + e.detail() + ")"));
            } else if (event instanceof MeshEvent.HandshakeRefused) {
                MeshEvent.HandshakeRefused e = (MeshEvent.HandshakeRefused) event;
                line("! handshake with " + e.remote() + " refused " + (e.byRemote() ? "by the remote" : "by this node")
                        + ": " + e.reason().wireName() + " (" + e.detail() + ")");
            } else if (event instanceof MeshEvent.MessageReceived) {
                Message m = ((MeshEvent.MessageReceived) event).message();
                String text = utf8OrNull(m.payload());
                String body = text != null ? text : "(" + m.payload().length + " bytes, not UTF-8)";
                String kind = "chat".equals(m.type()) ? "" : "[" + m.type() + "] ";
                line("<" + m.origin().shortForm() + "> " + kind + body);
            } else {
                line("? " + event);
            }
        }

        private static String where(PeerInfo p) {
            return p.endpoint() != null ? p.endpoint().toString() : p.remoteAddress();
        }

        @Override
        void sent(String type, MessageId id, int bytes, int peers) {
            // Quiet on purpose: the user just typed the line; echoing it would double every message.
        }

        @Override
        void inputClosed() {
            line("(end of input: nothing more to send; the node keeps running until Ctrl-C or SIGTERM)");
        }

        @Override
        void problem(String message) {
            line("! " + message);
        }
    }
}
