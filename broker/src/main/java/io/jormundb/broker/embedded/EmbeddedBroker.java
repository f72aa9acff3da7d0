package io.jormundb.broker.embedded;

import io.jormundb.broker.publish.PublishTarget;
import io.moquette.BrokerConstants;
import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthenticator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * The embedded Moquette broker (MQTT 3.1 and 3.1.1; Moquette 0.17 refuses MQTT 5 clients).
 * Configured against Moquette's traps (FEEDS.md): no telemetry, host and anonymous access from
 * our flags, persistence (sessions, subscriptions, offline queues) in {@code <data-dir>/mqtt},
 * session queues large enough not to drop publishes or PUBACKs under load. Nobody but the server
 * publishes under {@code jormundb/}: client publishes are refused by {@link ServerPublishesOnly},
 * client wills there by the {@link ConnectGuard} in front of the broker.
 */
public final class EmbeddedBroker implements AutoCloseable {
    /** Where Moquette keeps its state, inside the data directory. */
    public static final String DATA_SUBDIRECTORY = "mqtt";
    private static final int SESSION_QUEUE_SIZE = 32_768;
    /** Largest PUBLISH a client may send (the change records themselves go out, not in). */
    private static final int MAX_INCOMING_MESSAGE_BYTES = 1 << 20;
    /** Seconds between commits of Moquette's H2 store (sessions, subscriptions): what a crash can lose of them. */
    private static final int AUTOSAVE_SECONDS = 1;

    private final Server server;
    private final ConnectGuard guard;
    private final int port;

    private EmbeddedBroker(Server server, ConnectGuard guard, int port) {
        this.server = server;
        this.guard = guard;
        this.port = port;
    }

    /**
     * Starts the broker and returns once it listens, with persistent sessions restored.
     *
     * @param user     the only user accepted, or {@code null} for anonymous access
     * @param password that user's password
     * @throws UncheckedIOException when the port cannot be bound or the state cannot be opened
     */
    public static EmbeddedBroker start(String host, int port, Path dataDir, String user, String password) {
        // Moquette listens on loopback only; clients reach it through the ConnectGuard on host:port.
        int brokerPort = freeLoopbackPort();
        Properties p = new Properties();
        p.setProperty(IConfig.HOST_PROPERTY_NAME, "127.0.0.1");
        p.setProperty(IConfig.PORT_PROPERTY_NAME, Integer.toString(brokerPort));
        p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
        p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, Boolean.toString(user == null));
        p.setProperty(BrokerConstants.ALLOW_ZERO_BYTE_CLIENT_ID_PROPERTY_NAME, "true");
        p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "true");
        Path brokerData = dataDir.resolve(DATA_SUBDIRECTORY).toAbsolutePath();
        p.setProperty(IConfig.DATA_PATH_PROPERTY_NAME, brokerData.toString());
        p.setProperty(BrokerConstants.AUTOSAVE_INTERVAL_PROPERTY_NAME, Integer.toString(AUTOSAVE_SECONDS));
        // Offline queues stay "segmented" (files checkpointed at a clean stop: a crash loses what
        // was queued since). The "h2" queues are broken in 0.17: H2 serialises a queued message at
        // its next commit, after Moquette released the payload (IllegalReferenceCountException,
        // then the store is closed), seen at 20k messages for one offline session.
        p.setProperty(IConfig.PERSISTENT_QUEUE_TYPE_PROPERTY_NAME, "segmented");
        p.setProperty(IConfig.SESSION_QUEUE_SIZE, Integer.toString(SESSION_QUEUE_SIZE));
        p.setProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(MAX_INCOMING_MESSAGE_BYTES));
        p.setProperty(BrokerConstants.NETTY_EPOLL_PROPERTY_NAME, "false");
        IAuthenticator authenticator = user == null ? (clientId, name, pw) -> true
                : new PasswordAuthenticator(user, password == null ? "" : password);
        Server server = new Server();
        try {
            SessionRepair.repair(brokerData);
            server.startServer(new MemoryConfig(p), List.of(), null, authenticator, new ServerPublishesOnly());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the MQTT broker on " + host + ":" + port + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            stopQuietly(server);
            throw new UncheckedIOException("cannot start the MQTT broker on " + host + ":" + port + ": "
                    + rootMessage(e), new IOException(e));
        }
        try {
            return new EmbeddedBroker(server, ConnectGuard.start(host, port, brokerPort), port);
        } catch (UncheckedIOException e) {
            stopQuietly(server);
            throw new UncheckedIOException("cannot start the MQTT broker on " + host + ":" + port + ": "
                    + rootMessage(e), e.getCause());
        }
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port for the MQTT broker", e);
        }
    }

    /** The port the broker listens on (Moquette's own getPort() is only set asynchronously). */
    public int port() {
        return port;
    }

    /** Where the changelog publisher hands its messages. */
    public PublishTarget target() {
        return new EmbeddedTarget(server);
    }

    @Override
    public void close() {
        try {
            guard.close();
        } finally {
            server.stopServer();
        }
    }

    private static void stopQuietly(Server server) {
        try {
            server.stopServer();
        } catch (RuntimeException ignored) {
            // Half started: nothing more to release.
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
