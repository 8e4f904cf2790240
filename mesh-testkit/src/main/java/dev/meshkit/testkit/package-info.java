/**
 * Deterministic simulation of MeshKit nodes in virtual time.
 *
 * <p>A {@link dev.meshkit.testkit.Simulation} owns the virtual clock and the event queue. Each
 * simulated node gets a {@link dev.meshkit.testkit.SimRuntime} (its event loop, clock and random
 * source) and a transport from a {@link dev.meshkit.testkit.SimNetwork}, which models latency, loss,
 * partitions and crashes. A typical test:
 *
 * <pre>{@code
 * Simulation sim = new Simulation(42);
 * SimNetwork net = sim.newNetwork().setLatency(LatencyModel.uniform(ofMillis(20), ofMillis(80)));
 * for (int i = 0; i < 1000; i++) {
 *     String name = "node-" + i;
 *     startNode(sim.newRuntime(name), net.transport(name), SimNetwork.endpoint(name));
 * }
 * assertTrue(sim.runUntil(() -> everyoneConnected(), Duration.ofMinutes(5)));
 * }</pre>
 */
package dev.meshkit.testkit;
