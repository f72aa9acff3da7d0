package io.jormundb.broker.embedded;

import io.jormundb.broker.publish.PublishTarget;
import io.jormundb.broker.sessions.PersistentSessions;
import io.jormundb.engine.changelog.Position;
import io.moquette.broker.RoutingResults;
import io.moquette.broker.Server;
import io.moquette.broker.subscriptions.Topic;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;

import java.lang.reflect.Method;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Publishes into the embedded Moquette with {@link Server#internalPublish}, after noting which
 * persistent sessions are owed the message ({@link PersistentSessions#route}). Moquette routes the
 * message to the session event loop of every matching subscriber; the message is taken when
 * every loop accepted it (its {@link RoutingResults} has no failed routing: a full session queue
 * fails) and ran it (the message is then in each session: sent, in flight, or queued for an
 * offline persistent session). Taken is not delivered: a restart resends from before what
 * persistent sessions have not acknowledged ({@link #resumeFrom}), to those sessions only
 * ({@link #publishAgain}): Moquette routes it through the same code as any publish, restricted to
 * their client ids (its PostOffice.publish2Subscribers, private in 0.17, reached by reflection and
 * resolved when the target is made).
 */
final class EmbeddedTarget implements PublishTarget {
    /** The client id Moquette's logs show for the server's own publishes. */
    private static final String PUBLISHER_ID = "jormundb";
    /** Bounds what Moquette holds for us: internalPublish itself has no backpressure. */
    private static final int MAX_IN_FLIGHT = 1024;

    private final Server server;
    private final PersistentSessions sessions;
    /** Client connections open at the guard now. */
    private final IntSupplier connections;
    /** Registers a task to run whenever a client connection opens at the guard. */
    private final Consumer<Runnable> onConnection;

    private final Object postOffice;
    /** PostOffice.publish2Subscribers(payload, topic, qos, client ids): a publish to those clients only. */
    private final Method publishTo;

    /** @throws IllegalStateException when this Moquette's internals are not those of 0.17 */
    EmbeddedTarget(Server server, PersistentSessions sessions, IntSupplier connections,
                   Consumer<Runnable> onConnection) {
        this.server = server;
        this.sessions = sessions;
        this.connections = connections;
        this.onConnection = onConnection;
        try {
            postOffice = LocalBroker.serverField(server, "dispatcher");
            publishTo = LocalBroker.accessible(postOffice.getClass().getDeclaredMethod("publish2Subscribers",
                    ByteBuf.class, Topic.class, MqttQoS.class, Set.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("this Moquette cannot publish to chosen sessions (JormunDB needs the "
                    + "internals of Moquette " + Server.MOQUETTE_VERSION + "): " + e, e);
        }
    }

    /**
     * Nobody to reach when no client is connected and no persistent session exists: then no
     * subscription exists either (a clean session's go with its connection).
     */
    @Override
    public boolean hasAudience() {
        return connections.getAsInt() > 0 || sessions.count() > 0;
    }

    /** A client connecting is the only way an audience appears (a persistent session needs one first). */
    @Override
    public void onAudience(Runnable wake) {
        onConnection.accept(wake);
    }

    @Override
    public void awaitReady() {
        // Started before the publisher, sessions restored: always ready.
    }

    @Override
    public Position resumeFrom(Position cursor) {
        return sessions.resumeFrom(cursor);
    }

    @Override
    public CompletableFuture<?> publish(String topic, byte[] payload, Position position) {
        sessions.route(topic, position);
        // A fresh buffer per call: internalPublish releases it.
        MqttPublishMessage message = MqttMessageBuilders.publish()
                .topicName(topic)
                .qos(MqttQoS.AT_LEAST_ONCE)
                .retained(false)
                .payload(Unpooled.wrappedBuffer(payload))
                .build();
        return taken(server.internalPublish(message, PUBLISHER_ID));
    }

    @Override
    public CompletableFuture<?> publishAgain(String topic, byte[] payload, Position position) {
        Set<String> owed = sessions.routeAgain(topic, position);
        if (owed.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        ByteBuf buffer = Unpooled.wrappedBuffer(payload);
        try {
            // Retains the buffer for each session loop it routes to, as internalPublish does.
            return taken((RoutingResults) publishTo.invoke(postOffice, buffer, new Topic(topic),
                    MqttQoS.AT_LEAST_ONCE, owed));
        } catch (ReflectiveOperationException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("cannot publish to the sessions "
                    + owed + ": " + e, e));
        } finally {
            buffer.release();
        }
    }

    private static CompletableFuture<?> taken(RoutingResults routing) {
        if (!routing.isAllSuccess()) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "the session queue of a subscriber is full"));
        }
        return routing.completableFuture();
    }

    @Override
    public int maxInFlight() {
        return MAX_IN_FLIGHT;
    }
}
