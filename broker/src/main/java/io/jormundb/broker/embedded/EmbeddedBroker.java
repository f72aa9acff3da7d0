package io.jormundb.broker.embedded;

import io.jormundb.broker.ListenException;
import io.jormundb.broker.MqttSettings;
import io.jormundb.broker.publish.PublishTarget;
import io.jormundb.broker.sessions.PersistentSessions;
import io.jormundb.engine.store.FileErrors;
import io.jormundb.streams.log.Changelog;
import io.moquette.BrokerConstants;
import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import io.netty.channel.local.LocalAddress;
import io.netty.util.ResourceLeakDetector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * The embedded Moquette broker (MQTT 3.1 and 3.1.1; Moquette 0.17 refuses MQTT 5 clients) behind
 * its {@link ConnectGuard}. Configured against Moquette's traps (FEEDS.md): no telemetry, its
 * files (offline queues on disk, retained messages) in {@code <data-dir>/mqtt}, session queues
 * large enough not to drop publishes or PUBACKs under load. Its persistent sessions are those of
 * {@link PersistentSessions} (RocksDB): at each start they are put back into an emptied Moquette
 * ({@link MoquetteSessions}) before any client comes in, and what they had not acknowledged is
 * published again ({@link #target()}). Moquette listens on no port: the guard hands it each
 * connection in-process ({@link LocalBroker}, Netty's in-JVM transport, no system call between
 * them), authenticated with a user and a random secret made at each start and kept in memory
 * only. Clients reach Moquette through the guard only, which checks
 * their credentials and keeps everyone but the server from publishing under {@code jormundb/}
 * ({@link TopicAccess} stays as a second line, and keeps each access key to its tables).
 */
public final class EmbeddedBroker implements AutoCloseable {
    /** Where Moquette keeps its state, inside the data directory. */
    public static final String DATA_SUBDIRECTORY = "mqtt";
    /** The path of MQTT over WebSockets. */
    public static final String WEBSOCKET_PATH = "/mqtt";
    private static final int SESSION_QUEUE_SIZE = 32_768;
    /** Largest packet a client may send after its CONNECT (the change records themselves go out, not in). */
    private static final int MAX_INCOMING_MESSAGE_BYTES = 1 << 20;
    /** Seconds between commits of Moquette's H2 store (retained messages): what a crash can lose of them. */
    private static final int AUTOSAVE_SECONDS = 1;
    /** How long a clean stop waits for connected clients to acknowledge what they were sent. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(2);
    /** The user name the guard gives Moquette; its password is {@link #newSecret()}. */
    private static final String GUARD_USER = "jormundb-guard";
    private static final int SECRET_BYTES = 32;

    private final Server server;
    private final LocalBroker local;
    private final QueueLimit queueLimit;
    private final SessionLoopRevival revival;
    private final SessionLeftovers leftovers;
    private final ConnectGuard guard;
    private final PersistentSessions sessions;

    private EmbeddedBroker(Server server, LocalBroker local, QueueLimit queueLimit, SessionLoopRevival revival,
                           SessionLeftovers leftovers, ConnectGuard guard, PersistentSessions sessions) {
        this.server = server;
        this.local = local;
        this.queueLimit = queueLimit;
        this.revival = revival;
        this.leftovers = leftovers;
        this.guard = guard;
        this.sessions = sessions;
    }

    /**
     * Starts Moquette and its guard and returns once they listen, with the persistent sessions
     * (kept in RocksDB beside {@code changelog}) restored.
     *
     * @throws ListenException      when a port of the guard cannot be bound
     * @throws UncheckedIOException when Moquette cannot start or its state cannot be opened
     */
    public static EmbeddedBroker start(MqttSettings settings, Changelog changelog) {
        quietLeakDetection();
        String secret = newSecret();
        SecretAuthenticator authenticator = new SecretAuthenticator(secret);
        Properties p = new Properties();
        // No port: the guard hands Moquette its connections in-process (LocalBroker).
        p.setProperty(IConfig.PORT_PROPERTY_NAME, BrokerConstants.DISABLED_PORT_BIND);
        p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
        p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "false");
        p.setProperty(BrokerConstants.ALLOW_ZERO_BYTE_CLIENT_ID_PROPERTY_NAME, "true");
        p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "true");
        Path brokerData = settings.dataDir().resolve(DATA_SUBDIRECTORY).toAbsolutePath();
        p.setProperty(IConfig.DATA_PATH_PROPERTY_NAME, brokerData.toString());
        p.setProperty(BrokerConstants.AUTOSAVE_INTERVAL_PROPERTY_NAME, Integer.toString(AUTOSAVE_SECONDS));
        // Persistence on for the offline queues: "segmented" queues keep a long queue on disk, not on
        // the heap (they are emptied at each start: the changelog is the durable queue). The "h2"
        // queues are broken in 0.17: H2 serialises a queued message at its next commit, after
        // Moquette released the payload (IllegalReferenceCountException, then the store is
        // closed), seen at 20k messages for one offline session.
        p.setProperty(IConfig.PERSISTENT_QUEUE_TYPE_PROPERTY_NAME, "segmented");
        p.setProperty(IConfig.SESSION_QUEUE_SIZE, Integer.toString(SESSION_QUEUE_SIZE));
        p.setProperty(BrokerConstants.NETTY_EPOLL_PROPERTY_NAME, "false");
        LocalAddress brokerAddress = new LocalAddress("jormundb-moquette-" + UUID.randomUUID());
        PersistentSessions sessions = PersistentSessions.open(changelog, settings.sessionExpiry());
        ConnectSignals signals = new ConnectSignals();
        // The public ports first: one in use fails before Moquette starts (whose stop takes seconds).
        ConnectGuard guard;
        try {
            guard = ConnectGuard.start(settings, brokerAddress, GUARD_USER, secret, MAX_INCOMING_MESSAGE_BYTES,
                    sessions, signals);
        } catch (RuntimeException e) {
            sessions.close();
            throw e;
        }
        Server server = new Server();
        LocalBroker local = null;
        QueueLimit queueLimit = null;
        SessionLoopRevival revival = null;
        SessionLeftovers leftovers = null;
        try {
            MoquetteSessions.reset(brokerData);
            server.startServer(new MemoryConfig(p), List.of(signals), null, authenticator,
                    new TopicAccess(settings.access()));
            local = LocalBroker.serve(server, authenticator, brokerAddress, guard.eventLoops(),
                    MAX_INCOMING_MESSAGE_BYTES);
            queueLimit = QueueLimit.start(server, guard::disconnect);
            revival = SessionLoopRevival.start(server);
            leftovers = SessionLeftovers.start(server);
            MoquetteSessions moquette = new MoquetteSessions(brokerAddress, guard.eventLoops(), GUARD_USER,
                    secret.getBytes(StandardCharsets.UTF_8), signals, settings.connectTimeout(), leftovers);
            moquette.restore(sessions.subscriptions());
            sessions.start(moquette);
            guard.dropSessionsWith(moquette);
        } catch (IOException e) {
            closeQuietly(local, queueLimit, revival, leftovers);
            guard.close();
            stopQuietly(server);
            sessions.close();
            throw new UncheckedIOException("cannot start the MQTT broker: " + FileErrors.reason(e), e);
        } catch (RuntimeException e) {
            closeQuietly(local, queueLimit, revival, leftovers);
            guard.close();
            stopQuietly(server);
            sessions.close();
            throw new UncheckedIOException("cannot start the MQTT broker: " + FileErrors.reason(e), new IOException(e));
        }
        guard.accept();
        return new EmbeddedBroker(server, local, queueLimit, revival, leftovers, guard, sessions);
    }

    /**
     * Netty's leak detector, at its default level, records a stack trace for a sample of the
     * buffers every publish allocates: a cost on the feed path for a debugging aid. Off, unless
     * the operator chose a level ({@code -Dio.netty.leakDetection.level=...}).
     */
    private static void quietLeakDetection() {
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    /** A fresh random password for the guard, base64: never written anywhere. */
    private static String newSecret() {
        byte[] secret = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        return Base64.getEncoder().encodeToString(secret);
    }

    /** What removes the leftovers of Moquette's sessions (for tests). */
    SessionLeftovers leftovers() {
        return leftovers;
    }

    /** The port Moquette itself listens on: 0, none (for tests that try to go around the guard). */
    int brokerPort() {
        return server.getPort();
    }

    /** Where the changelog publisher hands its messages (it notes what persistent sessions are owed). */
    public PublishTarget target() {
        return new EmbeddedTarget(server, sessions, guard::openConnections, guard::onConnectionOpened);
    }

    /** The persistent sessions, for metrics. */
    public PersistentSessions sessions() {
        return sessions;
    }

    /** Times a client connection waited because it published faster than {@code --mqtt-max-publish-rate}. */
    public long publishThrottles() {
        return guard.publishThrottles();
    }

    /** Clients disconnected because their clean session's queue passed its bound ({@link QueueLimit}). */
    public long slowDisconnects() {
        return queueLimit.disconnects();
    }

    /**
     * Stops: waits a little for connected clients to acknowledge what they were sent (call it once
     * the publisher stopped), closes their connections, writes the persistent sessions as of a clean
     * stop, and stops Moquette.
     */
    @Override
    public void close() {
        try {
            sessions.awaitAcknowledged(DRAIN_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            queueLimit.close();
            revival.close();
            leftovers.close();
            local.close();
            guard.close();
        } finally {
            try {
                sessions.close();
            } finally {
                server.stopServer();
            }
        }
    }

    private static void closeQuietly(LocalBroker local, QueueLimit queueLimit, SessionLoopRevival revival,
                                     SessionLeftovers leftovers) {
        if (queueLimit != null) {
            queueLimit.close();
        }
        if (leftovers != null) {
            leftovers.close();
        }
        if (revival != null) {
            revival.close();
        }
        if (local != null) {
            local.close();
        }
    }

    private static void stopQuietly(Server server) {
        try {
            server.stopServer();
        } catch (RuntimeException ignored) {
            // Half started: nothing more to release.
        }
    }
}
