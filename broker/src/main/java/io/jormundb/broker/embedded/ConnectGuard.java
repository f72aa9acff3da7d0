package io.jormundb.broker.embedded;

import io.jormundb.broker.ListenException;
import io.jormundb.broker.MqttAccess;
import io.jormundb.broker.MqttSettings;
import io.jormundb.broker.sessions.PersistentSessions;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslHandler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The one way into the embedded broker: the public MQTT port (and MQTT over WebSockets at
 * {@value EmbeddedBroker#WEBSOCKET_PATH}) in front of Moquette, which listens on no port: the guard hands it
 * each accepted connection in-process ({@link LocalBroker}), authenticated with a secret made at start and never
 * stored.
 * Moquette 0.17 publishes a client's will without asking its authorization policy, accepts a
 * second CONNECT on a connection and leaves a refused publish unanswered; so that a message
 * under {@code jormundb/} is always a committed change and no client hangs, every connection
 * passes, in its own pipeline:
 * <pre>
 * [WebSocket: HttpServerCodec, HttpObjectAggregator, WebSocketServerProtocolHandler, {@link WebSocketFrames}]
 *   {@link PacketFilter}      framing of every packet; forged publishes answered and dropped; publish rate
 *   MqttDecoder       the CONNECT only, then removed
 *   {@link GuardedConnection} CONNECT in time and acceptable; then, once Moquette took it, relays to Moquette
 * </pre>
 * Everything but CONNECT and PUBLISH is relayed as it came, and what Moquette sends goes back
 * untouched (to a persistent session's client, framed by {@link BrokerPackets} on the way, so that
 * its acknowledgements count: {@link SessionTraffic}). Refusals and client mistakes are logged
 * with the client's address, one line each. Thread-safe.
 */
final class ConnectGuard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectGuard.class);
    /** Accept backlog, so that a reconnect stampede of thousands of clients is not refused by the kernel. */
    private static final int ACCEPT_BACKLOG = 4096;
    private static final String WEBSOCKET_SUBPROTOCOLS = "mqtt,mqttv3.1";
    private static final int MAX_HTTP_REQUEST_BYTES = 8192;

    private final Duration connectTimeout;
    private final int maxConnections;
    /** PUBLISH packets a second one connection may send; 0: no limit. */
    private final int maxPublishRate;
    private final LongAdder publishThrottles = new LongAdder();
    /** Run whenever a client connection opens. */
    private final List<Runnable> connectionListeners = new CopyOnWriteArrayList<>();
    /** The {@code --mqtt-user} and password clients may give, or {@code null}. */
    private final PasswordAuthenticator clients;
    /** The access keys clients may log in with, or {@code null}. */
    private final MqttAccess keys;
    private final SSLContext tls;
    private final LocalAddress broker;
    private final String brokerUser;
    private final byte[] brokerPassword;
    private final int maxPacketBytes;
    private final PersistentSessions sessions;
    private final ConnectSignals signals;
    private final AtomicInteger open = new AtomicInteger();
    /**
     * The connection of each client id that connects now, completed once Moquette took it as
     * connected or it is gone: the next connection with that id waits for it ({@link #takeTurn}).
     */
    private final Map<String, CompletableFuture<Void>> connecting = new ConcurrentHashMap<>();
    /**
     * Client connections Moquette took as connected, by their Moquette client id (a clean
     * session's for a moment after it closed).
     */
    private final Map<String, Connected> byClientId = new ConcurrentHashMap<>();
    /** Drops a client id's session from Moquette (set once Moquette runs; see {@link #dropCleanSession}). */
    private volatile PersistentSessions.Purger dropper;
    private final EventLoopGroup group = new NioEventLoopGroup(2, Thread.ofPlatform()
            .name("jormundb-mqtt-guard-", 0).daemon(true).factory());
    private final List<Channel> listeners = new ArrayList<>();

    private ConnectGuard(MqttSettings settings, LocalAddress broker, String brokerUser, String brokerPassword,
                         int maxPacketBytes, PersistentSessions sessions, ConnectSignals signals) {
        this.connectTimeout = settings.connectTimeout();
        this.maxConnections = settings.maxConnections();
        this.maxPublishRate = settings.maxPublishRate();
        this.clients = settings.user() == null ? null
                : new PasswordAuthenticator(settings.user(), settings.password() == null ? "" : settings.password());
        this.keys = settings.access();
        this.tls = settings.tls();
        this.broker = broker;
        this.brokerUser = brokerUser;
        this.brokerPassword = brokerPassword.getBytes(StandardCharsets.UTF_8);
        this.maxPacketBytes = maxPacketBytes;
        this.sessions = sessions;
        this.signals = signals;
    }

    /**
     * Binds {@code settings.host()}: MQTT on {@code settings.port()}, MQTT over WebSockets on
     * {@code settings.wsPort()} unless 0. Connections wait in the accept backlog until
     * {@link #accept}, so that a port in use fails before the broker behind starts.
     *
     * @param brokerUser     the user name the guard gives Moquette for a login that reads everything
     * @param brokerPassword the password it gives with it
     * @param maxPacketBytes the longest packet (remaining length) a client may send after its CONNECT
     * @param sessions       what persistent sessions' connections report to
     * @param signals        tells when Moquette took a connection as connected
     * @throws ListenException when a port cannot be bound (then nothing is left listening)
     */
    static ConnectGuard start(MqttSettings settings, LocalAddress broker, String brokerUser,
                              String brokerPassword, int maxPacketBytes, PersistentSessions sessions,
                              ConnectSignals signals) {
        ConnectGuard guard = new ConnectGuard(settings, broker, brokerUser, brokerPassword, maxPacketBytes, sessions,
                signals);
        try {
            guard.listen(settings.host(), settings.port(), ListenException.Listener.MQTT, p -> { });
            if (settings.tlsPort() > 0) {
                guard.listen(settings.host(), settings.tlsPort(), ListenException.Listener.MQTT_TLS,
                        p -> p.addLast(guard.tlsHandler()));
            }
            if (settings.wsPort() > 0) {
                WebSocketServerProtocolConfig ws = WebSocketServerProtocolConfig.newBuilder()
                        .websocketPath(EmbeddedBroker.WEBSOCKET_PATH)
                        .subprotocols(WEBSOCKET_SUBPROTOCOLS)
                        .handshakeTimeoutMillis(settings.connectTimeout().toMillis())
                        .maxFramePayloadLength(maxPacketBytes + 5)
                        .build();
                guard.listen(settings.host(), settings.wsPort(), ListenException.Listener.WEBSOCKET, p -> {
                    if (guard.tls != null) {
                        p.addLast(guard.tlsHandler()); // wss://
                    }
                    p.addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_HTTP_REQUEST_BYTES),
                            new WebSocketServerProtocolHandler(ws), new WebSocketFrames());
                });
            }
            return guard;
        } catch (RuntimeException e) {
            guard.close();
            throw e;
        }
    }

    /** TLS with the server's certificate, first in a connection's pipeline. */
    private SslHandler tlsHandler() {
        SSLEngine engine = tls.createSSLEngine();
        engine.setUseClientMode(false);
        SslHandler handler = new SslHandler(engine);
        handler.setHandshakeTimeoutMillis(connectTimeout.toMillis());
        return handler;
    }

    /** Starts accepting connections, relaying them to the broker. */
    void accept() {
        listeners.forEach(listener -> listener.config().setAutoRead(true));
    }

    /** Binds one listener whose connections pass {@code transport}, then the guard's own handlers. */
    private void listen(String host, int port, ListenException.Listener listener, Consumer<ChannelPipeline> transport) {
        ChannelFuture bound = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
                .option(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        transport.accept(ch.pipeline());
                        SessionTraffic traffic = new SessionTraffic();
                        ch.pipeline().addLast(new PacketFilter(maxPacketBytes, traffic, maxPublishRate == 0 ? null
                                        : new PublishRate(maxPublishRate, publishThrottles)))
                                .addLast(GuardedConnection.CONNECT_DECODER, new MqttDecoder(PacketFilter.MAX_CONNECT_BYTES))
                                .addLast(new GuardedConnection(ConnectGuard.this, traffic))
                                // Moquette flushes every message; what it sends in one turn of the event
                                // loop goes out in one write instead of one each.
                                .addLast(new FlushConsolidationHandler(
                                        FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
                    }
                })
                .bind(host, port).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new ListenException(listener, host, port, bound.cause());
        }
        listeners.add(bound.channel());
    }

    Duration connectTimeout() {
        return connectTimeout;
    }

    int maxConnections() {
        return maxConnections;
    }

    /** Times a client connection waited because it published faster than {@code --mqtt-max-publish-rate}. */
    long publishThrottles() {
        return publishThrottles.sum();
    }

    /** Client connections open now, those still before their CONNECT included. */
    int openConnections() {
        return open.get();
    }

    void connectionOpened() {
        open.incrementAndGet();
        connectionListeners.forEach(Runnable::run);
    }

    /** Has {@code listener} run (on the connection's event loop; it must not block) whenever a client connection opens. */
    void onConnectionOpened(Runnable listener) {
        connectionListeners.add(listener);
    }

    void connectionClosed() {
        open.decrementAndGet();
    }

    /**
     * Queues a connection of {@code clientId} behind the one of that id that connects now, if any:
     * the future returned completes when it may go on; it completes {@code done} once Moquette took
     * it as connected, or it is gone. So the connections of one client id reach the persistent
     * sessions and Moquette one at a time, in the same order, and each finds the one before it
     * connected (see {@link #dropCleanSession}).
     */
    CompletableFuture<Void> takeTurn(String clientId, CompletableFuture<Void> done) {
        CompletableFuture<Void> before = connecting.put(clientId, done);
        done.whenComplete((ignored, failure) -> connecting.remove(clientId, done));
        return before == null ? CompletableFuture.completedFuture(null) : before;
    }

    /** {@code client}, with a clean session or not, is the connection of client {@code clientId} (taken as connected). */
    void connectedAs(String clientId, Channel client, boolean cleanSession) {
        byClientId.put(clientId, new Connected(client, cleanSession));
    }

    /**
     * {@code client}, the connection of {@code clientId}, closed (a later one with the same id
     * stays). A clean session's is kept for the connect timeout more: Moquette handles the loss a
     * moment later, and a persistent CONNECT of that id meanwhile must still find it
     * ({@link #dropCleanSession}).
     */
    void disconnectedAs(String clientId, Channel client) {
        Connected connected = byClientId.get(clientId);
        if (connected == null || connected.channel() != client) {
            return;
        }
        if (connected.cleanSession()) {
            try {
                client.eventLoop().schedule(() -> byClientId.remove(clientId, connected), connectTimeout.toMillis(),
                        TimeUnit.MILLISECONDS);
                return;
            } catch (RejectedExecutionException stopping) {
                // the guard stops: nothing connects any more
            }
        }
        byClientId.remove(clientId, connected);
    }

    /** Has {@code dropper} drop a client id's session from Moquette ({@link #dropCleanSession}). */
    void dropSessionsWith(PersistentSessions.Purger dropper) {
        this.dropper = dropper;
    }

    /**
     * Before a persistent session's CONNECT of {@code clientId} goes to Moquette: a connection of
     * that id with a clean session that is connected now (or closed a moment ago) is taken over
     * first, and its session dropped. Moquette 0.17 would otherwise reopen the clean session for
     * the persistent CONNECT (answering "session present") and drop it when that client
     * disconnects, with its subscriptions and what it was owed meanwhile.
     */
    CompletableFuture<Void> dropCleanSession(String clientId) {
        Connected connected = byClientId.get(clientId);
        if (connected == null || !connected.cleanSession()) {
            return CompletableFuture.completedFuture(null);
        }
        PersistentSessions.Purger drop = dropper;
        if (drop == null) {
            return CompletableFuture.failedFuture(new IOException("the embedded broker is not running yet"));
        }
        return CompletableFuture.runAsync(() -> {
            try {
                drop.purge(clientId);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, task -> Thread.ofVirtual().name("jormundb-mqtt-takeover").start(task));
    }

    /** Closes the connection of Moquette client {@code clientId}, if it is open, logging {@code why}. */
    void disconnect(String clientId, String why) {
        Connected connected = byClientId.get(clientId);
        if (connected != null && connected.channel().isActive()) {
            Channel client = connected.channel();
            LOG.warn("MQTT client {} (client id {}) {}; connection closed", client.remoteAddress(), clientId, why);
            client.close();
        }
    }

    /**
     * The user name Moquette gets for a CONNECT's credentials, or empty when they are refused:
     * the guard's own (reading everything) for the {@code --mqtt-user} login, or for anyone when
     * neither that nor access keys are set; {@link TopicAccess#KEY_LOGIN}{@code <key id>} for an
     * access key and its secret.
     */
    Optional<String> login(MqttConnectPayload connect) {
        if (clients == null && keys == null) {
            return Optional.of(brokerUser);
        }
        if (clients != null && clients.checkValid(connect.clientIdentifier(), connect.userName(),
                connect.passwordInBytes())) {
            return Optional.of(brokerUser);
        }
        return keys == null ? Optional.empty()
                : keys.login(connect.userName(), connect.passwordInBytes()).map(key -> TopicAccess.KEY_LOGIN + key);
    }

    /**
     * The client id Moquette knows a client by: a key's login's own ids apart from every other
     * login's ({@code <key id>:<client id>}), so that a key never takes over another's session.
     */
    static String clientId(String login, String clientId) {
        return login.startsWith(TopicAccess.KEY_LOGIN) ? login.substring(TopicAccess.KEY_LOGIN.length()) + ":" + clientId
                : clientId;
    }

    /** Where Moquette takes connections ({@link LocalBroker}). */
    LocalAddress broker() {
        return broker;
    }

    /** The event loops of the client connections, on which {@link LocalBroker} runs their Moquette sides. */
    EventLoopGroup eventLoops() {
        return group;
    }

    PersistentSessions sessions() {
        return sessions;
    }

    ConnectSignals signals() {
        return signals;
    }

    byte[] brokerPassword() {
        return brokerPassword.clone();
    }

    /** Stops listening and closes every client connection (and so its connection to Moquette). */
    @Override
    public void close() {
        listeners.forEach(Channel::close);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** A client's connection that Moquette took as connected, and whether its session is clean. */
    private record Connected(Channel channel, boolean cleanSession) {
    }
}
