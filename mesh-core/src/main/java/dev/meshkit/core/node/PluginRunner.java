package dev.meshkit.core.node;

import dev.meshkit.api.Endpoint;
import dev.meshkit.api.MeshConfig;
import dev.meshkit.api.MeshNode;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.spi.Discovery;
import dev.meshkit.api.spi.DiscoveryContext;
import dev.meshkit.api.spi.ExtensionContext;
import dev.meshkit.api.spi.MeshExtension;
import dev.meshkit.api.spi.NodeRuntime;
import dev.meshkit.api.spi.PeerCandidate;
import java.util.List;
import java.util.function.Consumer;

/**
 * Starts a node's discoveries and extensions once it runs and stops them before its links close.
 * A plugin that throws is logged and skipped; it never takes the node down.
 */
final class PluginRunner {
    private final CoreNode node;
    private final MeshConfig config;

    PluginRunner(CoreNode node, MeshConfig config) {
        this.node = node;
        this.config = config;
    }

    void start(Consumer<PeerCandidate> found) {
        DiscoveryContext discovery = new DiscoveryContext() {
            @Override
            public NodeId self() {
                return node.id();
            }

            @Override
            public String network() {
                return config.network();
            }

            @Override
            public List<Endpoint> endpoints() {
                return node.endpoints();
            }

            @Override
            public void offer(PeerCandidate candidate) {
                found.accept(candidate);
            }

            @Override
            public NodeRuntime runtime() {
                return node.runtime();
            }
        };
        for (Discovery d : config.discoveries()) {
            node.guard("discovery start", () -> d.start(discovery));
        }
        ExtensionContext extension = new ExtensionContext() {
            @Override
            public MeshNode node() {
                return node;
            }

            @Override
            public NodeRuntime runtime() {
                return node.runtime();
            }
        };
        for (MeshExtension x : config.extensions()) {
            node.guard("extension " + x.name() + " start", () -> x.start(extension));
        }
    }

    void stop() {
        for (MeshExtension x : config.extensions()) {
            node.guard("extension " + x.name() + " stop", x::stop);
        }
        for (Discovery d : config.discoveries()) {
            node.guard("discovery stop", d::stop);
        }
    }
}
