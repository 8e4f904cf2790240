package dev.meshkit.transport.ws.internal;

import dev.meshkit.api.Endpoint;
import dev.meshkit.api.ErrorCode;
import dev.meshkit.api.MeshException;
import dev.meshkit.api.spi.Connection;
import dev.meshkit.api.spi.ConnectionHandler;
import dev.meshkit.api.spi.Listener;
import dev.meshkit.api.spi.Transport;
import dev.meshkit.api.spi.TransportOptions;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.ByteChannel;
import java.security.SecureRandom;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code ws} transport of one node.
 *
 * <p>Threads: each listener costs the Java-WebSocket server's selector thread plus its worker
 * threads, and nothing per accepted connection. Outbound connections share one selector thread
 * per transport ({@link ClientSelector}), so they cost no threads of their own either
 * (Java-WebSocket's client would cost three per connection); looking up a host name that is not
 * an IP literal borrows one of two resolver threads. All of these are created on first use and
 * released by {@link #close()}.
 */
public final class WsTransport implements Transport {
    /** The endpoint scheme this transport serves. */
    public static final String SCHEME = "ws";

    /**
     * Whether listening sockets set SO_REUSEADDR. It lets a restarted node bind its port again
     * while old connections linger in TIME_WAIT; on Linux and macOS it does not let two live
     * listeners share a port, so the fallback to the next port still works. On Windows it would,
     * so it stays off there.
     */
    static final boolean REUSE_ADDRESS =
            !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    /** Ports tried when the requested one is taken: the requested one and the next nine. */
    static final int PORT_ATTEMPTS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(WsTransport.class);
    private static final int RESOLVER_THREADS = 2;
    /** Name look-ups waiting for a resolver thread; a dial beyond this fails at once. */
    private static final int RESOLVER_QUEUE = 64;
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /** How long {@link #close()} lets outbound connections finish their close handshake. */
    private static final long CLOSE_GRACE_MILLIS = 500;

    private final TransportOptions options;
    private final UnaryOperator<ByteChannel> serverChannelDecorator;
    private final String name = "meshkit-ws-" + Integer.toHexString(System.identityHashCode(this));
    private final Set<WsServer> servers = ConcurrentHashMap.newKeySet();
    private final Set<ClientConnection> clients = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    /** Handshake keys and frame masks; RFC 6455 asks for unpredictable ones. */
    private final SecureRandom random = new SecureRandom();
    // Created on first use, guarded by lock.
    private ScheduledThreadPoolExecutor timer;
    private ThreadPoolExecutor resolver;
    private ClientSelector clientSelector;
    private boolean closed;

    /** Creates a transport applying {@code options} to all its connections. */
    public WsTransport(TransportOptions options) {
        this(options, UnaryOperator.identity());
    }

    /**
     * As {@link #WsTransport(TransportOptions)}, with a wrapper around each accepted socket as the
     * server library sees it; tests use it to widen timing windows inside the library.
     */
    WsTransport(TransportOptions options, UnaryOperator<ByteChannel> serverChannelDecorator) {
        this.options = Objects.requireNonNull(options, "options");
        this.serverChannelDecorator = Objects.requireNonNull(serverChannelDecorator, "serverChannelDecorator");
    }

    TransportOptions options() {
        return options;
    }

    @Override
    public Set<String> schemes() {
        return Set.of(SCHEME);
    }

    @Override
    public CompletableFuture<Listener> listen(Endpoint endpoint, ConnectionHandler handler) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(handler, "handler");
        if (!SCHEME.equals(endpoint.scheme())) {
            return CompletableFuture.failedFuture(new MeshException(
                    ErrorCode.INVALID_ENDPOINT, "the ws transport cannot listen on " + endpoint));
        }
        if (isClosed()) {
            return CompletableFuture.failedFuture(new MeshException(ErrorCode.NOT_RUNNING, "transport is closed"));
        }
        ServerSocketChannel channel;
        try {
            // Outside the lock: resolving a host name may take a while.
            channel = bind(endpoint);
        } catch (MeshException e) {
            return CompletableFuture.failedFuture(e);
        }
        WsServer server;
        synchronized (lock) {
            if (closed) {
                closeQuietly(channel);
                return CompletableFuture.failedFuture(new MeshException(ErrorCode.NOT_RUNNING, "transport is closed"));
            }
            int port = channel.socket().getLocalPort();
            server = new WsServer(this, endpoint.withPort(port), channel, handler, options, timerLocked(),
                    serverChannelDecorator);
            servers.add(server);
        }
        CompletableFuture<Listener> started = server.begin();
        started.whenComplete((l, error) -> {
            if (error != null) {
                server.shutdown();
            }
        });
        return started;
    }

    /**
     * Binds the requested port or, if it is taken, the first free one of the next nine. Port 0
     * lets the system choose.
     */
    private ServerSocketChannel bind(Endpoint endpoint) {
        InetAddress host;
        try {
            host = InetAddress.getByName(endpoint.host());
        } catch (UnknownHostException e) {
            throw new MeshException(ErrorCode.INVALID_ENDPOINT, "unknown host in " + endpoint, e);
        }
        int first = endpoint.port();
        int last = first == 0 ? 0 : Math.min(65535, first + PORT_ATTEMPTS - 1);
        for (int port = first; port <= last; port++) {
            ServerSocketChannel channel = null;
            try {
                channel = ServerSocketChannel.open();
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, REUSE_ADDRESS);
                channel.bind(new InetSocketAddress(host, port));
                return channel;
            } catch (BindException e) {
                closeQuietly(channel);
                if (port == last) {
                    String range = first == last ? "port " + first : "ports " + first + "-" + last;
                    throw new MeshException(ErrorCode.CONNECT_FAILED,
                            "cannot listen on " + endpoint + ": " + range + " on " + endpoint.host()
                                    + " are all in use or not available (" + e.getMessage() + ")", e);
                }
                LOG.debug("port {} on {} in use, trying {}", port, endpoint.host(), port + 1);
            } catch (IOException e) {
                closeQuietly(channel);
                throw new MeshException(ErrorCode.CONNECT_FAILED, "cannot listen on " + endpoint + ": " + e, e);
            }
        }
        throw new AssertionError("unreachable");
    }

    @Override
    public CompletableFuture<Connection> dial(Endpoint endpoint, ConnectionHandler handler) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(handler, "handler");
        if (!SCHEME.equals(endpoint.scheme())) {
            return CompletableFuture.failedFuture(new MeshException(
                    ErrorCode.INVALID_ENDPOINT, "the ws transport cannot dial " + endpoint));
        }
        ClientConnection connection;
        CompletableFuture<InetSocketAddress> address;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(
                        new MeshException(ErrorCode.CONNECT_FAILED, "cannot connect to " + endpoint + ": transport is closed"));
            }
            try {
                // Looked up first: a refused look-up then leaves no socket behind.
                address = resolve(endpoint);
                connection = new ClientConnection(this, endpoint, handler, clientSelectorLocked(), random);
            } catch (IOException | RuntimeException e) {
                return CompletableFuture.failedFuture(connectFailed(endpoint, e));
            }
            clients.add(connection);
        }
        CompletableFuture<Connection> result = new CompletableFuture<>();
        connection.dialed().whenComplete((c, error) -> {
            if (error != null) {
                clients.remove(connection);
                result.completeExceptionally(connectFailed(endpoint, error));
            } else if (!result.complete(c)) {
                connection.abort();
            }
        });
        address.whenComplete((a, error) -> {
            if (error != null) {
                connection.abandon(error);
            } else {
                connection.connect(a);
            }
        });
        long timeout = options.connectTimeoutMillis();
        scheduleQuietly(() -> connection.abandon(new TimeoutException("no connection within " + timeout + " ms")),
                timeout);
        return result;
    }

    /**
     * The socket address to dial. An IP literal needs no lookup; a name is looked up off the
     * caller's thread, which is usually a node's event loop.
     */
    private CompletableFuture<InetSocketAddress> resolve(Endpoint endpoint) {
        String host = endpoint.host();
        int port = endpoint.port();
        if (host.indexOf(':') >= 0 || IPV4_LITERAL.matcher(host).matches()) {
            return CompletableFuture.completedFuture(new InetSocketAddress(host, port));
        }
        return CompletableFuture.supplyAsync(() -> {
            InetSocketAddress a = new InetSocketAddress(host, port);
            if (a.isUnresolved()) {
                throw new java.util.concurrent.CompletionException(new UnknownHostException(host));
            }
            return a;
        }, resolverLocked());
    }

    private static MeshException connectFailed(Endpoint endpoint, Throwable error) {
        Throwable cause = error;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return new MeshException(ErrorCode.CONNECT_FAILED,
                "cannot connect to " + endpoint + ": " + ClientConnection.describe(cause), cause);
    }

    @Override
    public void close() {
        List<WsServer> closingServers;
        List<ClientConnection> closingClients;
        ScheduledThreadPoolExecutor closingTimer;
        ThreadPoolExecutor closingResolver;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            closingServers = new ArrayList<>(servers);
            closingClients = new ArrayList<>(clients);
        }
        for (ClientConnection c : closingClients) {
            c.close(WsConnection.GOING_AWAY, "shutting down");
        }
        for (WsServer s : closingServers) {
            s.shutdown();
        }
        CompletableFuture<?>[] ends = closingClients.stream()
                .map(ClientConnection::terminated).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(ends).get(CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("outbound connections did not close within {} ms; dropping them", CLOSE_GRACE_MILLIS);
        }
        for (ClientConnection c : closingClients) {
            c.abort();
        }
        ClientSelector closingSelector;
        synchronized (lock) {
            closingTimer = timer;
            closingResolver = resolver;
            closingSelector = clientSelector;
            timer = null;
            resolver = null;
            clientSelector = null;
        }
        if (closingSelector != null) {
            closingSelector.stop();
        }
        if (closingTimer != null) {
            closingTimer.shutdownNow();
        }
        if (closingResolver != null) {
            closingResolver.shutdownNow();
        }
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    void forget(WsServer server) {
        servers.remove(server);
    }

    void forget(ClientConnection connection) {
        clients.remove(connection);
    }

    /** The transport's timer, for short delayed tasks; fails once the transport is closed. */
    ScheduledThreadPoolExecutor timer() {
        synchronized (lock) {
            if (closed && timer == null) {
                throw new RejectedExecutionException("transport closed");
            }
            return timerLocked();
        }
    }

    /** Runs {@code task} after {@code delayMillis} unless the transport has closed by then. */
    void scheduleQuietly(Runnable task, long delayMillis) {
        try {
            timer().schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.trace("transport closed; skipped a delayed task");
        }
    }

    /** Stalled writes the servers' watchdogs restarted so far; a figure for tests and diagnostics. */
    long writeRescues() {
        long sum = 0;
        for (WsServer s : servers) {
            sum += s.watchdog().rescues();
        }
        return sum;
    }

    private ScheduledThreadPoolExecutor timerLocked() {
        if (timer == null) {
            ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, threads(name + "-timer"));
            t.setRemoveOnCancelPolicy(true);
            // An idle node keeps no timer thread around.
            t.setKeepAliveTime(5, TimeUnit.SECONDS);
            t.allowCoreThreadTimeOut(true);
            timer = t;
        }
        return timer;
    }

    private ClientSelector clientSelectorLocked() throws IOException {
        if (clientSelector == null || !clientSelector.isAlive()) {
            // A selector that failed is replaced; its connections were dropped with it.
            clientSelector = ClientSelector.start(name + "-client");
        }
        return clientSelector;
    }

    private ThreadPoolExecutor resolverLocked() {
        if (resolver == null) {
            ThreadPoolExecutor executor = new ThreadPoolExecutor(RESOLVER_THREADS, RESOLVER_THREADS,
                    10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(RESOLVER_QUEUE), threads(name + "-resolver"));
            executor.allowCoreThreadTimeOut(true);
            resolver = executor;
        }
        return resolver;
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread t = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static void closeQuietly(ServerSocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing was bound; there is nothing to release.
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
