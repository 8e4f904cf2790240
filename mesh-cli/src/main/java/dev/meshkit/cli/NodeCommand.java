package dev.meshkit.cli;

import dev.meshkit.api.ErrorCode;
import dev.meshkit.api.Mesh;
import dev.meshkit.api.MeshBuilder;
import dev.meshkit.api.MeshEvent;
import dev.meshkit.api.MeshException;
import dev.meshkit.api.MeshNode;
import dev.meshkit.api.MessageId;
import dev.meshkit.api.spi.KeyMaterial;
import dev.meshkit.core.Identities;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code meshkit node}: runs one node until the process is told to stop, broadcasting each line of
 * standard input and printing what happens.
 */
@Command(name = "node",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "Run one mesh node until SIGINT (Ctrl-C) or SIGTERM.",
            "Each line read from standard input is broadcast to the mesh as a message of type 'chat'"
                + " (the line's UTF-8 bytes, without the line end).",
            "End of standard input does NOT stop the node: it keeps running, and keeps receiving, until"
                + " it is sent a signal. So 'meshkit node ... < /dev/null' is a node that only listens.",
            "With --seed, input waits up to 10 s for the first neighbour, so lines piped in at start"
                + " are not broadcast to nobody.",
            "Events go to standard output (one per line), logs to standard error.",
            ""
        },
        footer = {"",
            "Examples:",
            "  meshkit node --listen ws://127.0.0.1:9000",
            "  meshkit node --listen ws://127.0.0.1:9001 --seed ws://127.0.0.1:9000 \\",
            "               --key node1.key --events json"})
final class NodeCommand implements Runnable {
    /** How long a stop may take before the process gives up waiting for a clean goodbye. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);
    /** How long input waits for the first neighbour when the node was given seeds. */
    private static final Duration FIRST_PEER_WAIT = Duration.ofSeconds(10);

    @Spec
    CommandSpec spec;

    @ParentCommand
    Meshkit root;

    @Mixin
    LoggingOptions logging;

    @Option(names = "--listen", required = true, paramLabel = "URL",
            description = "Where to listen, e.g. ws://0.0.0.0:9000 (port 0: any free port). Repeatable.")
    List<String> listen = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "URL",
            description = "A node to join through. Repeatable; a bad one among good ones is skipped with a warning.")
    List<String> seeds = new ArrayList<>();

    @Option(names = "--advertise", paramLabel = "URL",
            description = "The URL other nodes should dial, when it differs from --listen (NAT, 0.0.0.0).")
    String advertise;

    @Option(names = "--network", paramLabel = "ID", defaultValue = "meshkit",
            description = "Network id; nodes of other networks are refused (default: ${DEFAULT-VALUE}).")
    String network;

    @Option(names = "--key", paramLabel = "FILE",
            description = "Key file to load, or to create if missing, for a stable node id."
                + " Without it the node gets a new id each run. An encrypted key file needs its passphrase;"
                + " a new one is encrypted when a passphrase is given.")
    Path keyFile;

    @Mixin
    PassphraseOptions passphrase;

    @Option(names = "--events", paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})."
                + " json writes one JSON object per line.")
    EventFormat events;

    @Option(names = "--max-peers", paramLabel = "N", description = "Neighbours at most (default: 10).")
    Integer maxPeers;

    @Option(names = "--keepalive-ms", paramLabel = "MS", hidden = true,
            description = "Ping interval in milliseconds (default 30000). Advanced; mainly for tests.")
    Long keepaliveMillis;

    @Option(names = "--dead-after-ms", paramLabel = "MS", hidden = true,
            description = "Silence after which a neighbour is dropped (default 90000). Advanced; mainly for tests.")
    Long deadAfterMillis;

    @Option(names = "--peer-exchange-ms", paramLabel = "MS", hidden = true,
            description = "How often to ask neighbours for peers (default 10000). Advanced.")
    Long peerExchangeMillis;

    @Option(names = "--stop-with-pid", paramLabel = "PID", hidden = true,
            description = "Stop when process PID ends. Lets a supervisor (or a test) make sure the node never"
                + " outlives it, since end of input does not stop a node.")
    Long stopWithPid;

    /** Output formats of {@code --events}. */
    enum EventFormat { text, json }

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        MeshBuilder builder = configure(err);
        MeshNode node;
        try {
            node = builder.build();
        } catch (MeshException e) {
            if (e.code() == ErrorCode.INVALID_CONFIG || e.code() == ErrorCode.INVALID_ENDPOINT) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            throw e;
        }

        EventPrinter printer = events == EventFormat.json ? EventPrinter.json(out) : EventPrinter.text(out);
        CompletableFuture<Void> terminated = new CompletableFuture<>();
        CompletableFuture<Void> firstPeer = new CompletableFuture<>();
        // Subscribed before start so node-started is printed too.
        node.onEvent(ev -> {
            printer.event(ev);
            if (ev instanceof MeshEvent.PeerConnected) {
                firstPeer.complete(null);
            } else if (ev instanceof MeshEvent.NodeStopped) {
                terminated.complete(null);
                firstPeer.complete(null);
            }
        });

        Thread hook = new Thread(() -> stopAndWait(node, err), "meshkit-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            node.start().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            removeHook(hook);
            node.stop();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new CliException("cannot start the node on " + String.join(", ", listen) + ": "
                    + (cause.getMessage() != null ? cause.getMessage() : cause.toString()));
        } catch (TimeoutException e) {
            removeHook(hook);
            node.stop();
            throw new CliException("the node did not start within 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            removeHook(hook);
            node.stop();
            return;
        }

        if (stopWithPid != null) {
            ProcessHandle.of(stopWithPid).ifPresentOrElse(
                    p -> p.onExit().thenRun(() -> stopAndWait(node, err)),
                    () -> stopAndWait(node, err));
        }
        // With seeds, input piped in at once would otherwise be broadcast before any link exists and
        // reach nobody; give the first join a bounded moment.
        CompletableFuture<Void> readyToSend = seeds.isEmpty() ? CompletableFuture.completedFuture(null)
                : firstPeer.completeOnTimeout(null, FIRST_PEER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        startInputReader(node, printer, System.in, root.inputCharset(), readyToSend);

        // Only a signal (via the hook) or --stop-with-pid ends the node; this thread just waits for it.
        terminated.join();
    }

    private MeshBuilder configure(PrintWriter err) {
        Transports transports = Transports.installed();
        MeshBuilder b = Mesh.builder().network(network);
        for (String l : listen) {
            try {
                b.listen(transports.check(l));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--listen: " + e.getMessage());
            }
        }
        if (!seeds.isEmpty()) {
            // The node itself skips bad seeds with a warning; only when none is usable is it a mistake
            // worth stopping for, since the node would then never join anything.
            List<String> problems = new ArrayList<>();
            for (String s : seeds) {
                try {
                    transports.check(s);
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                }
            }
            if (problems.size() == seeds.size()) {
                throw new ParameterException(spec.commandLine(), "--seed: no usable seed: " + String.join("; ", problems));
            }
            b.seeds(seeds);
        }
        if (advertise != null) {
            try {
                b.advertise(transports.check(advertise).toString());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--advertise: " + e.getMessage());
            }
        }
        if (maxPeers != null) {
            b.maxPeers(maxPeers);
        }
        if (keepaliveMillis != null || deadAfterMillis != null) {
            // Given one of the pair, the other keeps the default ratio of three pings per dead period.
            long interval = keepaliveMillis != null ? keepaliveMillis : Math.max(1, deadAfterMillis / 3);
            long dead = deadAfterMillis != null ? deadAfterMillis : interval * 3;
            try {
                b.keepalive(Duration.ofMillis(interval), Duration.ofMillis(dead));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(),
                        "--keepalive-ms/--dead-after-ms: " + e.getMessage());
            }
        }
        if (peerExchangeMillis != null) {
            b.peerExchangeInterval(Duration.ofMillis(peerExchangeMillis));
        }
        if (keyFile != null) {
            boolean existed = Files.exists(keyFile);
            char[] secret = passphrase.passphrase();
            KeyMaterial keys;
            try {
                keys = Identities.loadOrCreate(keyFile, null, secret);
            } catch (MeshException e) {
                throw new CliException(e.getMessage());
            } finally {
                if (secret != null) {
                    java.util.Arrays.fill(secret, '\0');
                }
            }
            b.keys(keys);
            if (!existed) {
                err.println("meshkit: created key file " + keyFile + " for node " + keys.nodeId().shortForm());
                err.flush();
            }
        }
        return b;
    }

    private static void startInputReader(MeshNode node, EventPrinter printer, InputStream in, Charset charset,
                                         CompletableFuture<Void> readyToSend) {
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, charset))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    readyToSend.join();
                    if (!node.isRunning()) {
                        break;
                    }
                    byte[] payload = line.getBytes(StandardCharsets.UTF_8);
                    try {
                        int peers = node.peers().size();
                        MessageId id = node.broadcast("chat", payload);
                        printer.sent("chat", id, payload.length, peers);
                        if (peers == 0) {
                            printer.problem("no peers connected: nobody received that line");
                        }
                    } catch (MeshException e) {
                        // One bad line (too long, say) must not end the session.
                        printer.problem("not sent: " + e.getMessage());
                    }
                }
            } catch (IOException e) {
                printer.problem("standard input failed: " + e.getMessage());
            }
            if (node.isRunning()) {
                printer.inputClosed();
            }
        }, "meshkit-stdin");
        // Daemon: a reader blocked on a terminal must not keep the JVM alive after the node stops.
        reader.setDaemon(true);
        reader.start();
    }

    private static void stopAndWait(MeshNode node, PrintWriter err) {
        try {
            node.stop().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            err.println("meshkit: the node did not stop within " + STOP_WAIT.toSeconds() + " s; exiting anyway");
        } catch (ExecutionException e) {
            err.println("meshkit: stopping failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        err.flush();
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook runs anyway and stop() is idempotent.
        }
    }
}
