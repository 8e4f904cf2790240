package dev.meshkit.testkit;

import dev.meshkit.api.spi.Connection;
import dev.meshkit.api.spi.ConnectionHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A fake node-side handler: records every callback with its virtual time and checks the handler
 * contract (onOpen, onFrame*, onClose exactly once, never nested) for each connection.
 */
final class RecordingHandler implements ConnectionHandler {
    /** One recorded callback. */
    record Event(long atMillis, String kind, Connection connection, String frame, int code, String reason, boolean remote) {
    }

    private enum Phase { OPEN, CLOSED }

    final String name;
    final Simulation sim;
    final List<Event> events = new ArrayList<>();
    final List<String> violations = new ArrayList<>();
    final List<Connection> open = new ArrayList<>();
    private final List<String> sharedTrace;
    private final Map<Connection, Phase> phases = new IdentityHashMap<>();
    private boolean inCallback;
    /** Optional hook run inside onFrame, e.g. to close from within a callback. */
    BiConsumer<Connection, String> onFrameHook;

    RecordingHandler(String name, Simulation sim) {
        this(name, sim, null);
    }

    RecordingHandler(String name, Simulation sim, List<String> sharedTrace) {
        this.name = name;
        this.sim = sim;
        this.sharedTrace = sharedTrace;
    }

    @Override
    public void onOpen(Connection connection) {
        enter("open");
        try {
            if (phases.containsKey(connection)) {
                violations.add(name + ": onOpen twice or after close on " + connection);
            }
            phases.put(connection, Phase.OPEN);
            open.add(connection);
            record(new Event(sim.nowMillis(), "open", connection, null, 0, null, false),
                    "open " + (connection.inbound() ? "in " : "out ") + connection.remoteAddress());
        } finally {
            inCallback = false;
        }
    }

    @Override
    public void onFrame(Connection connection, byte[] frame) {
        enter("frame");
        try {
            if (phases.get(connection) != Phase.OPEN) {
                violations.add(name + ": onFrame while " + phases.get(connection) + " on " + connection);
            }
            String text = new String(frame, StandardCharsets.UTF_8);
            record(new Event(sim.nowMillis(), "frame", connection, text, 0, null, false), "frame " + text);
            if (onFrameHook != null) {
                onFrameHook.accept(connection, text);
            }
        } finally {
            inCallback = false;
        }
    }

    @Override
    public void onClose(Connection connection, int code, String reason, boolean remote) {
        enter("close");
        try {
            if (phases.get(connection) != Phase.OPEN) {
                violations.add(name + ": onClose while " + phases.get(connection) + " on " + connection);
            }
            if (connection.isOpen()) {
                violations.add(name + ": isOpen() true in onClose on " + connection);
            }
            phases.put(connection, Phase.CLOSED);
            open.remove(connection);
            record(new Event(sim.nowMillis(), "close", connection, null, code, reason, remote),
                    "close " + code + " " + reason + " remote=" + remote);
        } finally {
            inCallback = false;
        }
    }

    List<Event> of(String kind) {
        return events.stream().filter(e -> e.kind().equals(kind)).toList();
    }

    List<String> frames() {
        return events.stream().filter(e -> e.kind().equals("frame")).map(Event::frame).toList();
    }

    private void enter(String what) {
        if (inCallback) {
            violations.add(name + ": " + what + " called while another callback runs");
        }
        inCallback = true;
    }

    private void record(Event e, String text) {
        events.add(e);
        if (sharedTrace != null) {
            sharedTrace.add(e.atMillis() + " " + name + " " + text);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
