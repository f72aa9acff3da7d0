package io.jormundb.broker.embedded;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.Callable;

import static io.jormundb.broker.embedded.LocalBroker.accessible;

/**
 * Runs commands on the Moquette session event loop of a connection's session: the one thread on
 * which Moquette 0.17 changes that session (its in-flight window, its queue) and sends it
 * messages, deciding on each whether the connection is writable. What must not change while such
 * a decision is being made (what {@link InFlightResume} and {@link LocalBroker#passWritability}
 * change) is changed there. Moquette's internals are reached by reflection, resolved once at start
 * ({@link #of}).
 */
final class SessionLoops {
    /** Where Moquette's NewNettyMQTTHandler keeps a channel's MQTTConnection. */
    private static final AttributeKey<Object> CONNECTION = AttributeKey.valueOf("connection");

    private final Object postOffice;
    private final Method routeCommand;
    private final Method routed;
    private final Field bindedSession;
    private final Method clientId;

    private SessionLoops(Object postOffice) throws ReflectiveOperationException {
        this.postOffice = postOffice;
        routeCommand = accessible(postOffice.getClass().getDeclaredMethod("routeCommand", String.class,
                String.class, Callable.class));
        routed = accessible(Class.forName("io.moquette.broker.PostOffice$RouteResult").getDeclaredMethod("isSuccess"));
        bindedSession = accessible(Class.forName("io.moquette.broker.MQTTConnection").getDeclaredField("bindedSession"));
        clientId = accessible(Class.forName("io.moquette.broker.Session").getDeclaredMethod("getClientID"));
    }

    /** The session loops of the broker whose post office (Server's {@code dispatcher}) is {@code postOffice}. */
    static SessionLoops of(Object postOffice) throws ReflectiveOperationException {
        return new SessionLoops(postOffice);
    }

    /** Moquette's MQTTConnection of its side {@code channel} of a connection, or null before it was made. */
    static Object connection(Channel channel) {
        return channel.attr(CONNECTION).get();
    }

    /** The Moquette session bound to {@code connection}, or null while it has none (before its CONNECT was taken). */
    Object session(Object connection) throws ReflectiveOperationException {
        return connection == null ? null : bindedSession.get(connection);
    }

    /**
     * Queues {@code command} on the loop of {@code session} (or runs it now when called there).
     *
     * @return false when that loop's queue is full and the command was not queued
     */
    boolean run(Object session, String what, Callable<String> command) throws ReflectiveOperationException {
        return runFor((String) clientId.invoke(session), what, command);
    }

    /**
     * Queues {@code command} on the loop of the sessions of {@code clientId}, where Moquette creates
     * and drops them (or runs it now when called there).
     *
     * @return false when that loop's queue is full and the command was not queued
     */
    boolean runFor(String clientId, String what, Callable<String> command) throws ReflectiveOperationException {
        return (Boolean) routed.invoke(routeCommand.invoke(postOffice, clientId, what, command));
    }
}
