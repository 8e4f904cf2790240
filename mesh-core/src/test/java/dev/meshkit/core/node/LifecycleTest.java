package dev.meshkit.core.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.DefenceSettings;
import dev.meshkit.api.ErrorCode;
import dev.meshkit.api.Mesh;
import dev.meshkit.api.MeshBuilder;
import dev.meshkit.api.MeshEvent;
import dev.meshkit.api.MeshException;
import dev.meshkit.api.MeshNode;
import dev.meshkit.api.Rate;
import dev.meshkit.api.spi.ExtensionContext;
import dev.meshkit.api.spi.MeshExtension;
import dev.meshkit.core.MemNetwork;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Every future the node hands out completes, whatever order start and stop come in. */
class LifecycleTest {
    private final MemNetwork net = new MemNetwork();

    private MeshBuilder builder(String name) {
        return Mesh.builder().transport(net.transport()).listen("mem://" + name);
    }

    private static MeshException failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        return assertInstanceOf(MeshException.class, e.getCause());
    }

    @RepeatedTest(20)
    void stopRightAfterStartCompletesBothAndStopsOnce() throws Exception {
        MeshNode n = builder("quick").build();
        List<MeshEvent> events = new CopyOnWriteArrayList<>();
        n.onEvent(events::add);
        CompletableFuture<MeshNode> started = n.start();
        n.stop().get(5, TimeUnit.SECONDS);
        started.handle((v, e) -> null).get(5, TimeUnit.SECONDS); // completes, one way or the other
        assertFalse(n.isRunning());
        assertEquals(1, events.stream().filter(e -> e instanceof MeshEvent.NodeStopped).count());
        assertEquals(ErrorCode.NOT_RUNNING, failure(n.start()).code(), "a stopped node does not start again");
        assertEquals(0, net.listenerCount(), "nothing stays bound");
    }

    @Test
    void stopBeforeStartFailsTheStartFuture() throws Exception {
        MeshNode n = builder("never").build();
        n.stop().get(5, TimeUnit.SECONDS);
        assertEquals(ErrorCode.NOT_RUNNING, failure(n.start()).code());
    }

    @RepeatedTest(10)
    void pendingConnectsFailWhenTheNodeStops() throws Exception {
        MeshNode far = builder("far").build();
        far.start().join();
        MeshNode n = builder("near").build();
        n.start().join();
        CompletableFuture<?> c = n.connect("mem://far");
        CompletableFuture<?> s = n.sendTo(far.id(), "x", new byte[0]);
        n.stop().get(5, TimeUnit.SECONDS);
        c.handle((v, e) -> null).get(5, TimeUnit.SECONDS);
        s.handle((v, e) -> null).get(5, TimeUnit.SECONDS);
        far.stop().join();
    }

    @Test
    void aStopFromTheStartedEventNeverLeavesAnExtensionRunning() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        MeshNode n = builder("brief").extension(new MeshExtension() {
            @Override
            public String name() {
                return "probe";
            }

            @Override
            public void start(ExtensionContext context) {
                calls.add("start");
            }

            @Override
            public void stop() {
                calls.add("stop");
            }
        }).build();
        n.onEvent(e -> {
            if (e instanceof MeshEvent.NodeStarted) {
                n.stop();
            }
        });
        n.start().handle((v, e) -> null).get(5, TimeUnit.SECONDS);
        await().atMost(5, TimeUnit.SECONDS).until(() -> !n.isRunning());
        assertTrue(calls.isEmpty() || calls.equals(List.of("start", "stop")), calls.toString());
    }

    @Test
    void anApplicationThatOutrunsTheEventLoopGetsBackpressureNotUnboundedMemory() throws Exception {
        // A rate far above what the loop can take, so the queue bound is what refuses.
        MeshNode n = builder("busy").defences(DefenceSettings.builder().messages(new Rate(1e6, 1 << 20)).build())
                .build();
        n.start().join();
        java.util.concurrent.CountDownLatch release = holdEventLoop(n);
        MeshException refused = null;
        for (int i = 0; i <= CoreNode.MAX_QUEUED_CALLS + 1 && refused == null; i++) {
            try {
                n.broadcast("x", new byte[0]);
            } catch (MeshException e) {
                refused = e;
            }
        }
        assertEquals(ErrorCode.BACKPRESSURE, refused.code());
        assertEquals(ErrorCode.BACKPRESSURE, failure(n.sendTo(n.id(), "x", new byte[0])).code());
        release.countDown();
        n.stop().get(10, TimeUnit.SECONDS);
    }

    @Test
    void anApplicationPastThePerOriginRateGetsATypedErrorNotSilentLoss() throws Exception {
        MeshNode n = builder("hasty").defences(DefenceSettings.builder().messages(new Rate(1, 10)).build()).build();
        n.start().join();
        for (int i = 0; i < 10; i++) {
            n.broadcast("x", new byte[0]);
        }
        MeshException refused = assertThrows(MeshException.class, () -> n.broadcast("x", new byte[0]));
        assertEquals(ErrorCode.RATE_LIMITED, refused.code());
        assertEquals(ErrorCode.RATE_LIMITED, failure(n.sendTo(n.id(), "x", new byte[0])).code());
        await().atMost(5, TimeUnit.SECONDS).until(() -> n.stats().published() == 10);
        n.stop().get(10, TimeUnit.SECONDS);
    }

    @Test
    void largePayloadsHitTheByteBoundLongBeforeTheCallBound() throws Exception {
        MeshNode n = builder("heavy").build();
        n.start().join();
        java.util.concurrent.CountDownLatch release = holdEventLoop(n);
        byte[] big = new byte[512 * 1024];
        int accepted = 0;
        MeshException refused = null;
        while (refused == null && accepted < 1000) {
            try {
                n.broadcast("x", big);
                accepted++;
            } catch (MeshException e) {
                refused = e;
            }
        }
        assertEquals(ErrorCode.BACKPRESSURE, refused.code());
        assertEquals(CoreNode.MAX_QUEUED_CALL_BYTES / big.length, accepted, "64 MiB of 512 KiB payloads");
        release.countDown();
        n.stop().get(10, TimeUnit.SECONDS);
    }

    /** Blocks the node's event loop in a handler until the returned latch is released. */
    private static java.util.concurrent.CountDownLatch holdEventLoop(MeshNode n) throws InterruptedException {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        n.on("hold", m -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        n.sendTo(n.id(), "hold", new byte[0]);
        Thread.sleep(100); // the loop is now inside the handler, so queued calls cannot drain
        return release;
    }
}
