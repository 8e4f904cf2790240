package dev.meshkit.transport.ws.internal;

import static dev.meshkit.transport.ws.internal.Fixtures.any;
import static dev.meshkit.transport.ws.internal.Fixtures.at;
import static dev.meshkit.transport.ws.internal.Fixtures.options;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.spi.Connection;
import dev.meshkit.api.spi.Listener;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A peer that stops reading must make {@code send} refuse once {@code maxQueuedBytes} are waiting,
 * and the count must fall back to zero once the peer reads again.
 */
@Timeout(60)
class BackpressureTest {
    private static final int FRAME = 16 * 1024;
    private static final long MAX_QUEUED = 256 * 1024;
    /** Far more than socket buffers plus the queue bound can absorb; reaching it means no bound. */
    private static final long GIVE_UP_BYTES = 256L << 20;

    @Test
    void acceptedConnectionRefusesWhenThePeerDoesNotRead() throws Exception {
        try (WsTransport transport = new WsTransport(options(1 << 20, MAX_QUEUED, 5_000))) {
            Recorder server = new Recorder();
            Listener listener = transport.listen(any(), server).get(5, TimeUnit.SECONDS);
            try (Socket peer = Fixtures.rawClient(listener.endpoint().port(), 4096)) {
                Connection c = server.awaitOpen();
                long accepted = saturate(c);
                assertTrue(c.isOpen(), "closed early: " + server.closes.peek());
                assertTrue(c.queuedBytes() <= MAX_QUEUED, "queued " + c.queuedBytes());
                assertTrue(c.queuedBytes() > MAX_QUEUED - 2 * (FRAME + 14), "queued " + c.queuedBytes());
                assertTrue(c.isOpen(), "refusing is not closing");

                // Read everything that was accepted: the count drains to zero and sends work again.
                InputStream in = peer.getInputStream();
                for (long i = 0; i < accepted; i++) {
                    assertEquals(FRAME, Fixtures.readServerFrame(in).length);
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> c.queuedBytes() == 0);
                assertTrue(c.send(new byte[] {9}));
                assertArrayEquals(new byte[] {9}, Fixtures.readServerFrame(in));
            }
        }
    }

    @Test
    void dialledConnectionRefusesWhenThePeerDoesNotRead() throws Exception {
        try (WsTransport transport = new WsTransport(options(1 << 20, MAX_QUEUED, 5_000));
                ServerSocket stubborn = Fixtures.occupy(0)) {
            stubborn.setReceiveBufferSize(4096);
            CountDownLatch release = new CountDownLatch(1);
            Thread peer = new Thread(() -> {
                try (Socket s = stubborn.accept()) {
                    WsTransportTest.handshakeAsServer(s);
                    release.await();
                } catch (Exception ignored) {
                    // Only the dialler's behaviour is under test.
                }
            });
            peer.start();
            Recorder client = new Recorder();
            Connection c = transport.dial(at(stubborn.getLocalPort()), client).get(5, TimeUnit.SECONDS);
            saturate(c);
            assertTrue(c.queuedBytes() <= MAX_QUEUED, "queued " + c.queuedBytes());
            assertTrue(c.queuedBytes() > MAX_QUEUED - 2 * FRAME, "queued " + c.queuedBytes());
            assertTrue(c.isOpen());
            release.countDown();
            peer.join(5_000);
            client.assertClose(1006, true);
            assertFalse(c.send(new byte[1]));
        }
    }

    @Test
    void tinyBoundRefusesAFrameThatDoesNotFit() throws Exception {
        try (WsTransport transport = new WsTransport(options(1 << 20, 100, 5_000))) {
            Recorder server = Recorder.echo();
            Listener listener = transport.listen(any(), server).get(5, TimeUnit.SECONDS);
            Connection c = transport.dial(listener.endpoint(), new Recorder()).get(5, TimeUnit.SECONDS);
            assertFalse(c.send(new byte[101]), "a frame larger than the whole bound never fits");
            assertTrue(c.send(new byte[100]));
        }
    }

    /**
     * Sends until the queue is full and stays full: a first refusal can come while the writer is
     * still moving bytes into socket buffers the kernel is growing, so it fills again until the
     * queue no longer drains. Returns how many frames were accepted.
     */
    private static long saturate(Connection c) throws InterruptedException {
        long accepted = 0;
        while (true) {
            accepted += fillUntilRefused(c, accepted);
            long queued = c.queuedBytes();
            Thread.sleep(50);
            if (c.queuedBytes() == queued && queued > MAX_QUEUED - 2 * (FRAME + 14)) {
                return accepted;
            }
        }
    }

    /** Sends until refused; returns how many frames were accepted. */
    private static long fillUntilRefused(Connection c, long before) {
        byte[] frame = new byte[FRAME];
        long accepted = 0;
        while (c.send(frame)) {
            accepted++;
            if ((before + accepted) * FRAME > GIVE_UP_BYTES) {
                throw new AssertionError("send never refused after " + accepted + " frames");
            }
            if (accepted % 64 == 0) {
                // Gives the writer a chance to move bytes into the socket buffers, as a real sender would.
                Thread.yield();
            }
        }
        return accepted;
    }
}
