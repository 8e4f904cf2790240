package dev.meshkit.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three {@code meshkit node} processes on 127.0.0.1: they form a mesh, relay a line typed into one of
 * them, notice a peer killed with SIGKILL, and stop cleanly on SIGTERM. Node A runs on the module
 * path and B and C on the class path, so both ways of running the tool are exercised.
 */
class NodeProcessesTest {
    private static final Duration DEAD_AFTER = Duration.ofMillis(2000);
    private static final List<String> FAST = List.of(
            "--keepalive-ms", "500", "--dead-after-ms", Long.toString(DEAD_AFTER.toMillis()),
            "--peer-exchange-ms", "500");
    // Generous for three JVMs starting on two cores; the mesh itself needs a second or two.
    private static final Duration STARTUP = Duration.ofSeconds(30);

    private final List<NodeProcess> processes = new ArrayList<>();

    @AfterEach
    void killAll() throws InterruptedException {
        for (NodeProcess p : processes) {
            p.close();
        }
    }

    private NodeProcess start(String name, boolean modulePath, String... args) throws Exception {
        List<String> all = Stream.concat(Stream.of(args), FAST.stream()).collect(Collectors.toList());
        NodeProcess p = NodeProcess.start(name, modulePath, all);
        processes.add(p);
        return p;
    }

    private String describeAll() {
        return processes.stream().map(NodeProcess::describe).collect(Collectors.joining());
    }

    private static long messagesWith(NodeProcess p, String payload) {
        return p.events("message").stream().filter(e -> payload.equals(e.get("payload").getAsString())).count();
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void threeNodesRelayChatAndNoticeAKilledPeer() throws Exception {
        NodeProcess a = start("A", true, "--listen", "ws://127.0.0.1:0");
        await().atMost(STARTUP).until(() -> a.started() != null || !a.isAlive());
        assertTrue(a.started() != null, this::describeAll);
        NodeProcess b = start("B", false, "--listen", "ws://127.0.0.1:0", "--seed", a.endpoint());
        // A bad seed among good ones is skipped with a warning, not fatal.
        NodeProcess c = start("C", false, "--listen", "ws://127.0.0.1:0", "--seed", "not-a-url", "--seed", a.endpoint());

        try {
            await().atMost(STARTUP).pollInterval(Duration.ofMillis(100))
                    .until(() -> Stream.of(a, b, c).allMatch(p -> p.peers().size() == 2));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("every node should see the other two\n" + describeAll(), e);
        }
        assertEquals(Set.of(b.id(), c.id()), a.peers());
        assertTrue(c.stderr().contains("not-a-url"), "the bad seed is reported\n" + c.describe());

        // A line typed into B reaches A and C exactly once, and not B itself.
        String payload = "hello from B \u2713 " + UUID.randomUUID();
        b.type(payload);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> messagesWith(a, payload) >= 1 && messagesWith(c, payload) >= 1);
        Thread.sleep(1000); // a duplicate would arrive within this
        assertEquals(1, messagesWith(a, payload), a::describe);
        assertEquals(1, messagesWith(c, payload), c::describe);
        assertEquals(0, messagesWith(b, payload), "the origin does not deliver its own message");
        JsonObject atA = a.events("message").get(0);
        assertEquals(b.id(), atA.get("origin").getAsString());
        assertEquals("chat", atA.get("type").getAsString());
        assertFalse(atA.has("encoding"), "UTF-8 text is written as text");
        assertEquals(1, b.events("sent").size(), b::describe);

        // kill -9 C: A and B must drop it within the keepalive bound (the OS usually tells them sooner).
        long killedAt = System.nanoTime();
        c.kill();
        Duration bound = DEAD_AFTER.plusSeconds(3); // dead-after plus a tick and scheduling slack
        try {
            await().atMost(bound).pollInterval(Duration.ofMillis(50)).until(() ->
                    Stream.of(a, b).allMatch(p -> !p.events(e -> "peer-disconnected".equals(e.get("event").getAsString())
                            && c.id().equals(e.get("peer").getAsString())).isEmpty()));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("A and B should report C gone within " + bound + "\n" + describeAll(), e);
        }
        long tookMillis = (System.nanoTime() - killedAt) / 1_000_000;
        for (NodeProcess p : List.of(a, b)) {
            JsonObject gone = p.events("peer-disconnected").get(0);
            assertTrue(Set.of("timeout", "transport-error", "remote-closed").contains(gone.get("reason").getAsString()),
                    gone::toString);
        }
        assertEquals(Set.of(b.id()), a.peers(), "A and B stay linked");
        assertEquals(Set.of(a.id()), b.peers(), "A and B stay linked");
        assertTrue(tookMillis <= bound.toMillis(), "took " + tookMillis + " ms");

        assertStdoutIsJsonOnly();
        if (System.getProperty("os.name").startsWith("Windows")) {
            return; // no SIGTERM there: destroy() ends a process without running its shutdown hooks
        }
        // SIGTERM stops A cleanly: node-stopped is printed, B hears a goodbye.
        int code = a.terminate(Duration.ofSeconds(15));
        assertEquals(1, a.events("node-stopped").size(), a::describe);
        assertTrue(code == 143 || code == 0, "exit code after SIGTERM: " + code);
        await().atMost(Duration.ofSeconds(10)).until(() -> b.peers().isEmpty());
        JsonObject bye = b.events("peer-disconnected").get(1);
        assertEquals(a.id(), bye.get("peer").getAsString());
        assertEquals("remote-closed", bye.get("reason").getAsString(), bye::toString);

        assertStdoutIsJsonOnly();
    }

    private void assertStdoutIsJsonOnly() {
        for (NodeProcess p : processes) {
            assertTrue(p.notJson().isEmpty(), "stdout holds JSON lines only\n" + p.describe());
        }
    }
}
