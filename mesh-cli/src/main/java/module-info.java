/**
 * The {@code meshkit} command-line tool: a local demo mesh, a single long-running node driven by
 * standard input, and key generation.
 */
module dev.meshkit.cli {
    requires dev.meshkit.core;
    // Nothing of it is used directly; requiring it makes the ws:// transport part of the resolved
    // module graph, so mesh-core's ServiceLoader finds it on the module path.
    requires dev.meshkit.transport.ws;
    // Likewise: with it, nodes and new keys are ML-DSA-65 and links hybrid post-quantum by default.
    requires dev.meshkit.crypto.pqc;
    requires info.picocli;
    requires com.google.gson;

    // picocli fills the @Option fields of the commands reflectively.
    opens dev.meshkit.cli to info.picocli;

    // Used to tell "no transport for this scheme" apart from a malformed URL before a node is built.
    uses dev.meshkit.api.spi.TransportProvider;
}
