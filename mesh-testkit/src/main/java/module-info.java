/**
 * MeshKit's deterministic simulator: a virtual clock and event queue, a {@code NodeRuntime} per
 * simulated node and a simulated {@code sim://} network, so that the real node protocol code can run
 * thousands of nodes in one JVM, in virtual time, reproducibly from a seed.
 */
module dev.meshkit.testkit {
    requires transitive dev.meshkit.api;
    requires org.slf4j;

    exports dev.meshkit.testkit;
    exports dev.meshkit.testkit.scenario;

    uses dev.meshkit.api.spi.IdentityScheme;
}
