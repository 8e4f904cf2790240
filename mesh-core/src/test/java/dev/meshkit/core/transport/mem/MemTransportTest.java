package dev.meshkit.core.transport.mem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.meshkit.api.Endpoint;
import dev.meshkit.api.spi.Connection;
import dev.meshkit.api.spi.ConnectionHandler;
import dev.meshkit.api.spi.Transport;
import dev.meshkit.core.MemNetwork;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class MemTransportTest {
    private final MemNetwork net = new MemNetwork();

    /** Records the calls a handler gets, in order. */
    private static final class Recorder implements ConnectionHandler {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final Consumer<Connection> onOpenAction;

        Recorder(Consumer<Connection> onOpenAction) {
            this.onOpenAction = onOpenAction;
        }

        @Override
        public void onOpen(Connection c) {
            calls.add("open");
            onOpenAction.accept(c);
        }

        @Override
        public void onFrame(Connection c, byte[] frame) {
            calls.add("frame:" + frame.length);
        }

        @Override
        public void onClose(Connection c, int code, String reason, boolean remote) {
            calls.add("close:" + code + ":" + remote);
        }
    }

    @Test
    void aListenerClosingInOnOpenClosesTheDiallerInOrder() {
        Transport listening = net.transport();
        listening.listen(Endpoint.parse("mem://door"), new Recorder(c -> c.close(1008, "no"))).join();
        Recorder dialler = new Recorder(c -> { });
        Connection out = net.transport().dial(Endpoint.parse("mem://door"), dialler).join();
        assertEquals(List.of("open", "close:1008:true"), dialler.calls);
        assertFalse(out.isOpen());
        assertFalse(out.send(new byte[1]));
    }

    @Test
    void framesSentFromOnOpenArriveAfterThePeersOnOpen() {
        Recorder listener = new Recorder(c -> c.send(new byte[3]));
        net.transport().listen(Endpoint.parse("mem://eager"), listener).join();
        Recorder dialler = new Recorder(c -> c.send(new byte[5]));
        net.transport().dial(Endpoint.parse("mem://eager"), dialler).join();
        assertEquals(List.of("open", "frame:3"), dialler.calls);
        assertEquals(List.of("open", "frame:5"), listener.calls);
    }
}
