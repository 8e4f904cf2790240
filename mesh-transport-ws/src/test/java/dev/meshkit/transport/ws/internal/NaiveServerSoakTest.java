package dev.meshkit.transport.ws.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.Endpoint;
import dev.meshkit.api.spi.Connection;
import dev.meshkit.api.spi.TransportOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/**
 * Counts how often the naive server stalls on its own, with no injected pause. The race is rare
 * and its rate depends on the machine's load, so this is a measurement, not a regular test: run it
 * with {@code mvn -pl mesh-transport-ws test -Dgroups=soak -Dsurefire.excludedGroups=none}. It
 * asserts only that every stall it saw had the stall's
 * signature (queued bytes, no write interest).
 */
@Tag("soak")
class NaiveServerSoakTest {
    private static final int ROUNDS = 10_000;
    private static final long ROUND_TIMEOUT_MILLIS = 200;

    @Test
    void countNaturalStalls() throws Exception {
        for (int connections : new int[] {1, 4}) {
            NaiveServer naive = new NaiveServer(UnaryOperator.identity());
            naive.start();
            naive.started.get(5, TimeUnit.SECONDS);
            ExecutorService drivers = Executors.newFixedThreadPool(connections);
            AtomicInteger stalls = new AtomicInteger();
            AtomicInteger unexplained = new AtomicInteger();
            try (WsTransport client = new WsTransport(TransportOptions.defaults())) {
                List<Future<?>> runs = new ArrayList<>();
                long start = System.nanoTime();
                for (int i = 0; i < connections; i++) {
                    Recorder replies = new Recorder();
                    Connection c = client.dial(new Endpoint("ws", Fixtures.LOOPBACK, naive.getPort(), ""), replies)
                            .get(5, TimeUnit.SECONDS);
                    runs.add(drivers.submit(() -> {
                        int done = 0;
                        while (done < ROUNDS) {
                            PingPong.Result r = PingPong.run(c, replies.frames, ROUNDS - done, ROUND_TIMEOUT_MILLIS);
                            done += r.rounds();
                            if (r.stalled()) {
                                stalls.incrementAndGet();
                                if (!naive.hasStalledConnection()) {
                                    unexplained.incrementAndGet();
                                }
                                // Unstick it the way the next write would, then go on with the next round.
                                for (WebSocket ws : naive.getConnections()) {
                                    naive.onWriteDemand((WebSocketImpl) ws);
                                }
                                if (replies.frames.poll(5, TimeUnit.SECONDS) == null) {
                                    throw new AssertionError("still stuck after a write demand");
                                }
                                done++;
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> run : runs) {
                    run.get(10, TimeUnit.MINUTES);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("naive server, no injection, %d connection(s) x %d rounds: %d stalls (%.0f s)%n",
                        connections, ROUNDS, stalls.get(), seconds);
            } finally {
                drivers.shutdownNow();
                naive.stop(1_000);
            }
            assertTrue(unexplained.get() == 0, unexplained.get() + " timeouts without the stall's signature");
        }
    }
}
