package dev.meshkit.transport.ws.internal;

import static dev.meshkit.transport.ws.internal.Fixtures.any;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.Endpoint;
import dev.meshkit.api.spi.Connection;
import dev.meshkit.api.spi.Listener;
import dev.meshkit.api.spi.TransportOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Java-WebSocket 1.6.0's server can leave a reply queued but unwritten (see {@link WriteWatchdog}).
 * Left alone it happens only now and then, so these tests hold the library's race window open with
 * {@link SlowWritePassChannel}: the naive server then stalls within a few rounds, and MeshKit's
 * server, under the same injection, keeps answering every round.
 */
@Timeout(60)
class WriteStallTest {
    /** Far above a normal round (tens of microseconds); a reply this late is stuck. */
    private static final long ROUND_TIMEOUT_MILLIS = 500;

    @Test
    void naiveServerStallsWhenTheWindowIsHeldOpen() throws Exception {
        NaiveServer naive = new NaiveServer(SlowWritePassChannel::new);
        naive.start();
        naive.started.get(5, TimeUnit.SECONDS);
        try (WsTransport client = new WsTransport(TransportOptions.defaults())) {
            Recorder replies = new Recorder();
            Connection c = client.dial(new Endpoint("ws", Fixtures.LOOPBACK, naive.getPort(), ""), replies)
                    .get(5, TimeUnit.SECONDS);
            PingPong.Result r = PingPong.run(c, replies.frames, 200, ROUND_TIMEOUT_MILLIS);
            System.out.printf("naive server, injected pause: stalled at round %d of 200%n", r.stalledAt());
            assertTrue(r.stalled(), "expected the naive server to stall");
            assertTrue(naive.hasStalledConnection(), "reply queued with no write interest");
        } finally {
            naive.stop(1_000);
        }
    }

    @Test
    void meshKitServerKeepsAnsweringUnderTheSameInjection() throws Exception {
        try (WsTransport server = new WsTransport(TransportOptions.defaults(), SlowWritePassChannel::new);
                WsTransport client = new WsTransport(TransportOptions.defaults())) {
            Listener listener = server.listen(any(), Recorder.echo()).get(5, TimeUnit.SECONDS);
            Recorder replies = new Recorder();
            Connection c = client.dial(listener.endpoint(), replies).get(5, TimeUnit.SECONDS);
            PingPong.Result r = PingPong.run(c, replies.frames, 300, ROUND_TIMEOUT_MILLIS);
            long rescues = server.writeRescues();
            System.out.printf("MeshKit server, injected pause: %d rounds, stalled=%s, watchdog rescues=%d, %.0f rounds/s%n",
                    r.rounds(), r.stalled(), rescues, r.roundsPerSecond());
            assertFalse(r.stalled(), "stalled at round " + r.stalledAt());
            assertTrue(rescues > 0, "the injection should have forced the watchdog to act");
        }
    }
}
