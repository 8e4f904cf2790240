package dev.meshkit.transport.ws.internal;

import static dev.meshkit.transport.ws.internal.Fixtures.any;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.meshkit.api.spi.Connection;
import dev.meshkit.api.spi.Listener;
import dev.meshkit.api.spi.TransportOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 10,000 strict request/reply rounds over MeshKit's transport. A reply stuck in the server's queue
 * (see {@link WriteWatchdog}) would stay stuck, since the library's keep-alive is off, and fail the
 * round; the round timeout is far below the minute that keep-alive would have taken.
 */
@Timeout(60)
class PingPongTest {
    private static final int ROUNDS = 10_000;
    private static final long ROUND_TIMEOUT_MILLIS = 1_000;

    @Test
    void tenThousandRoundsWithRepliesSentFromAnotherThread() throws Exception {
        ExecutorService replier = Executors.newSingleThreadExecutor();
        try (WsTransport server = new WsTransport(TransportOptions.defaults());
                WsTransport client = new WsTransport(TransportOptions.defaults())) {
            Recorder handler = new Recorder().reacting((conn, frame) -> replier.execute(() -> conn.send(frame)));
            Listener listener = server.listen(any(), handler).get(5, TimeUnit.SECONDS);
            Recorder replies = new Recorder();
            Connection c = client.dial(listener.endpoint(), replies).get(5, TimeUnit.SECONDS);
            PingPong.Result r = PingPong.run(c, replies.frames, ROUNDS, ROUND_TIMEOUT_MILLIS);
            System.out.printf("ping-pong, reply from another thread: %d rounds, %.0f rounds/s, watchdog rescues=%d%n",
                    r.rounds(), r.roundsPerSecond(), server.writeRescues());
            assertFalse(r.stalled(), "reply stuck at round " + r.stalledAt());
        } finally {
            replier.shutdownNow();
        }
    }

    @Test
    void tenThousandRoundsOnEachOfFourConnectionsAtOnce() throws Exception {
        // Concurrent connections keep the server's worker threads busy, which is when the library's
        // race shows up most often without any injection.
        int connections = 4;
        ExecutorService drivers = Executors.newFixedThreadPool(connections);
        try (WsTransport server = new WsTransport(TransportOptions.defaults());
                WsTransport client = new WsTransport(TransportOptions.defaults())) {
            Listener listener = server.listen(any(), Recorder.echo()).get(5, TimeUnit.SECONDS);
            List<Future<PingPong.Result>> runs = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < connections; i++) {
                Recorder replies = new Recorder();
                Connection c = client.dial(listener.endpoint(), replies).get(5, TimeUnit.SECONDS);
                runs.add(drivers.submit(() -> PingPong.run(c, replies.frames, ROUNDS, ROUND_TIMEOUT_MILLIS)));
            }
            int total = 0;
            for (Future<PingPong.Result> run : runs) {
                PingPong.Result r = run.get(50, TimeUnit.SECONDS);
                assertFalse(r.stalled(), "reply stuck at round " + r.stalledAt());
                total += r.rounds();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("ping-pong, %d connections: %d rounds, %.0f rounds/s in all, watchdog rescues=%d%n",
                    connections, total, total / seconds, server.writeRescues());
        } finally {
            drivers.shutdownNow();
        }
    }
}
