package dev.meshkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Parsing and usage errors: every mistake is exit code 2 with a message that names it. */
class CommandLineTest {

    private static Run usageError(String... args) {
        Run r = Run.of(args);
        assertEquals(Meshkit.EXIT_USAGE, r.exitCode, r::toString);
        return r;
    }

    @Test
    void helpListsTheCommands() {
        Run r = Run.of("--help");
        assertEquals(0, r.exitCode, r::toString);
        for (String command : new String[] {"demo", "node", "keygen"}) {
            assertTrue(r.out.contains(command), r::toString);
        }
    }

    @Test
    void versionNamesMeshKit() {
        Run r = Run.of("--version");
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(r.out.startsWith("MeshKit "), r::toString);
        assertTrue(!r.out.contains("${"), "the version must be filled in at build time: " + r.out);
    }

    @Test
    void nodeHelpSaysEndOfInputDoesNotStopTheNode() {
        Run r = Run.of("node", "--help");
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(r.out.contains("End of standard input does NOT stop the node"), r::toString);
        assertTrue(!r.out.contains("--keepalive-ms"), "test-only timings stay hidden");
    }

    @Test
    void aCommandIsRequired() {
        assertTrue(usageError().err.contains("Missing command"));
    }

    @Test
    void unknownCommandsAndOptionsAreUsageErrors() {
        usageError("frobnicate");
        assertTrue(usageError("demo", "--no-such-option").err.contains("--no-such-option"));
    }

    @Test
    void nodeNeedsListen() {
        assertTrue(usageError("node").err.contains("--listen"));
    }

    @Test
    void badListenUrlsAreUsageErrors() {
        assertTrue(usageError("node", "--listen", "not a url").err.contains("invalid endpoint"));
        assertTrue(usageError("node", "--listen", "ws://127.0.0.1:99999").err.contains("--listen"));
        Run noTransport = usageError("node", "--listen", "http://127.0.0.1:9000");
        assertTrue(noTransport.err.contains("no transport for scheme 'http'"), noTransport::toString);
        assertTrue(noTransport.err.contains("ws"), "names the schemes that are installed: " + noTransport.err);
    }

    @Test
    void seedsThatAreAllBadAreAUsageError() {
        Run r = usageError("node", "--listen", "ws://127.0.0.1:0", "--seed", "nope", "--seed", "gopher://127.0.0.1:70");
        assertTrue(r.err.contains("no usable seed"), r::toString);
        assertTrue(r.err.contains("nope") && r.err.contains("gopher"), r::toString);
    }

    @Test
    void badNodeSettingsAreUsageErrors() {
        usageError("node", "--listen", "ws://127.0.0.1:0", "--events", "xml");
        assertTrue(usageError("node", "--listen", "ws://127.0.0.1:0", "--max-peers", "0").err.contains("maxPeers"));
        assertTrue(usageError("node", "--listen", "ws://127.0.0.1:0", "--network", "no spaces").err.contains("network"));
        usageError("node", "--listen", "ws://127.0.0.1:0", "--keepalive-ms", "1000", "--dead-after-ms", "500");
    }

    @Test
    void badDemoSettingsAreUsageErrors() {
        assertTrue(usageError("demo", "--nodes", "2").err.contains("--nodes"));
        assertTrue(usageError("demo", "--messages", "0").err.contains("--messages"));
        assertTrue(usageError("demo", "--max-peers", "1").err.contains("--max-peers"));
        assertTrue(usageError("demo", "--base-port", "65530").err.contains("--base-port"));
        usageError("demo", "--nodes", "many");
    }

    @Test
    void keygenNeedsOut() {
        assertTrue(usageError("keygen").err.contains("--out"));
    }
}
