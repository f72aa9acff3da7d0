package io.jormundb.broker.embedded;

import io.moquette.BrokerConstants;
import io.moquette.broker.MoquetteIdleTimeoutHandler;
import io.moquette.broker.Server;
import io.moquette.broker.security.IAuthenticator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Constructor;
import java.nio.channels.ClosedChannelException;

/**
 * Moquette's MQTT connection handling served on Netty's in-JVM transport ({@link LocalChannel})
 * instead of a TCP port: the guard and {@link MoquetteSessions} connect to {@link #address()},
 * and what Moquette sends reaches the guard without a system call. Moquette itself binds no port
 * (its TCP transport is disabled), so nothing outside the JVM can reach it past the guard.
 * <p>
 * Moquette 0.17 offers no public way to attach its handling to a channel of someone else's
 * making: its {@code NewNettyMQTTHandler} and the connection factory behind it are
 * package-private, and the session registry and post office they need are private fields of
 * {@link Server}. They are reached by reflection, once at start; a Moquette whose internals
 * differ fails the start with a message that says so. Each connection's Moquette side runs on
 * the event loop of the guard's side (the same thread), so a message Moquette writes crosses no
 * thread on its way to the client. The pipeline is Moquette's own minus its metrics and logging
 * handlers (NewNettyAcceptor.configureMQTTPipeline), plus {@link InFlightResume} and {@link #GONE_QUIETLY}.
 */
final class LocalBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalBroker.class);
    /** Seconds Moquette waits for a CONNECT before closing (its default; the guard sends it at once). */
    private static final int CONNECT_IDLE_SECONDS = 10;
    /** The event loop of the connecting side, on which its Moquette side is registered. */
    private static final AttributeKey<EventLoop> PEER_LOOP = AttributeKey.valueOf("jormundb.peer-loop");
    /** On the connecting side: its Moquette side. */
    private static final AttributeKey<Channel> MOQUETTE_SIDE = AttributeKey.valueOf("jormundb.moquette-side");
    /** On a Moquette side: the session loops of its broker. */
    private static final AttributeKey<SessionLoops> SESSION_LOOPS = AttributeKey.valueOf("jormundb.session-loops");
    /** The index of the writability flag {@link #passWritability} sets on a Moquette side. */
    private static final int CLIENT_WRITABILITY = 1;
    /** Write buffer bounds no Moquette side reaches: what it writes passes to the guard's side at once. */
    private static final WriteBufferWaterMark UNBOUNDED = new WriteBufferWaterMark(Integer.MAX_VALUE - 1,
            Integer.MAX_VALUE);

    /**
     * Takes a write's failure on a connection already closed (the client left while Moquette was
     * sending it something, or sent its in-flight messages again) before Moquette's handler, which
     * logs any exception as an ERROR with its stack trace: a client leaving is no error. The
     * connection is closed, as Moquette would close it.
     */
    private static final ChannelHandler GONE_QUIETLY = new GoneQuietly();

    @ChannelHandler.Sharable
    private static final class GoneQuietly extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof ClosedChannelException) {
                LOG.debug("MQTT connection {} was closed while being written to", ctx.channel());
                ctx.close();
            } else {
                ctx.fireExceptionCaught(cause);
            }
        }
    }

    private final Channel server;

    private LocalBroker(Channel server) {
        this.server = server;
    }

    /**
     * Serves the Moquette {@code broker} (started, with its TCP port disabled) at {@code address},
     * on {@code loops}.
     *
     * @param authenticator   the authenticator the broker was started with
     * @param maxMessageBytes the longest packet Moquette's decoder takes
     * @throws IllegalStateException when this Moquette's internals are not those of 0.17
     */
    static LocalBroker serve(Server broker, IAuthenticator authenticator, LocalAddress address, EventLoopGroup loops,
                             int maxMessageBytes) {
        ChannelHandler handler = moquetteHandler(broker, authenticator);
        SessionLoops sessionLoops;
        try {
            sessionLoops = SessionLoops.of(serverField(broker, "dispatcher"));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("this Moquette cannot be served in-process (JormunDB needs the "
                    + "internals of Moquette " + Server.MOQUETTE_VERSION + "): " + e, e);
        }
        InFlightResume resume = InFlightResume.of(sessionLoops);
        MoquetteIdleTimeoutHandler idle = new MoquetteIdleTimeoutHandler();
        PinnedServerChannel server = new PinnedServerChannel();
        server.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                LocalChannel child = (LocalChannel) msg;
                // Writable while the client's connection is (passWritability), whatever passes through.
                child.config().setWriteBufferWaterMark(UNBOUNDED);
                child.attr(SESSION_LOOPS).set(sessionLoops);
                child.pipeline().addLast("idleStateHandler", new IdleStateHandler(CONNECT_IDLE_SECONDS, 0, 0))
                        .addLast("idleEventHandler", idle)
                        .addLast("decoder", new MqttDecoder(maxMessageBytes))
                        .addLast("encoder", MqttEncoder.INSTANCE)
                        .addLast("resume", resume)
                        .addLast("closed", GONE_QUIETLY)
                        .addLast("handler", handler);
                child.attr(PEER_LOOP).getAndSet(null).register(child)
                        .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            }
        });
        loops.next().register(server).syncUninterruptibly();
        server.bind(address).syncUninterruptibly();
        return new LocalBroker(server);
    }

    /**
     * Makes the Moquette side of {@code connection} (a channel connected to this broker) as
     * writable as {@code client} (the client's connection) is: the client reads what it is sent, or
     * not. A local channel hands what is written to its peer at once, so without this Moquette would
     * always find its side writable and send a client that stopped reading everything (QoS 0) and
     * queue nothing, piling it up in the guard's side. With it, Moquette does what it does for a slow
     * socket: drops QoS 0 messages and queues QoS 1 and 2 in the session until the client reads again.
     * <p>
     * The flag changes on the session's own loop, between two of its commands. Moquette decides to
     * send a message there (the connection writable, the session queue empty) and then sends it only
     * if the connection is still writable, else drops it; a QoS 1 message dropped so stays in flight
     * and goes again after 5 s, behind the changes queued after it (an item's changes out of order).
     * A flag changed from the guard's loop could fall between the two looks. For the same reason the
     * Moquette side's own writability never changes ({@link #UNBOUNDED}): a message larger than a
     * write buffer made it flicker as each went through. Each command sets the client's writability
     * when it runs, so the last one leaves it right; one that cannot be queued (the loop's queue
     * full) sets it at once.
     */
    static void passWritability(Channel connection, Channel client) {
        Channel moquette = connection.attr(MOQUETTE_SIDE).get();
        if (moquette == null) {
            return;
        }
        Runnable pass = () -> {
            ChannelOutboundBuffer buffer = moquette.unsafe().outboundBuffer();
            if (buffer != null) {
                buffer.setUserDefinedWritability(CLIENT_WRITABILITY, client.isWritable());
            }
        };
        SessionLoops loops = moquette.attr(SESSION_LOOPS).get();
        try {
            Object session = loops.session(SessionLoops.connection(moquette));
            if (session != null && loops.run(session, "pass the client's writability", () -> {
                pass.run();
                return null;
            })) {
                return;
            }
        } catch (ReflectiveOperationException e) {
            LOG.warn("cannot pass an MQTT client's writability on Moquette's session loop: {}", e.toString());
        }
        pass.run();
    }

    /** Where the guard connects ({@link LocalChannel}). */
    LocalAddress address() {
        return (LocalAddress) server.localAddress();
    }

    /** Stops taking connections (those open stay until their guard side closes them). */
    @Override
    public void close() {
        server.close().syncUninterruptibly();
    }

    /**
     * A new {@code NewNettyMQTTHandler} over {@code broker}'s session registry and post office: what
     * Moquette's own acceptor puts last in each connection's pipeline (Server.startServer).
     */
    private static ChannelHandler moquetteHandler(Server broker, IAuthenticator authenticator) {
        try {
            Object sessions = serverField(broker, "sessions");
            Object postOffice = serverField(broker, "dispatcher");
            // Anonymous logins refused, empty client ids allowed (the guard makes one), every write flushed.
            Constructor<?> brokerConfig = accessible(Class.forName("io.moquette.broker.BrokerConfiguration")
                    .getDeclaredConstructor(boolean.class, boolean.class, boolean.class, int.class));
            Object config = brokerConfig.newInstance(false, true, false, BrokerConstants.IMMEDIATE_BUFFER_FLUSH);
            Constructor<?> factory = constructor("io.moquette.broker.MQTTConnectionFactory");
            Constructor<?> handler = constructor("io.moquette.broker.NewNettyMQTTHandler");
            Object connections = factory.newInstance(config, authenticator, sessions, postOffice);
            return (ChannelHandler) handler.newInstance(connections);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("this Moquette cannot be served in-process (JormunDB needs the "
                    + "internals of Moquette " + Server.MOQUETTE_VERSION + "): " + e, e);
        }
    }

    /**
     * The private field {@code name} of the started {@code broker}: Moquette 0.17's internals, which
     * {@link QueueLimit} reads too.
     */
    static Object serverField(Server broker, String name) throws ReflectiveOperationException {
        Object value = accessible(Server.class.getDeclaredField(name)).get(broker);
        if (value == null) {
            throw new IllegalStateException("Moquette's " + name + " is not set: the broker did not start");
        }
        return value;
    }

    /** {@code member} of Moquette's internals, made accessible (here and in the classes beside this one). */
    static <T extends AccessibleObject> T accessible(T member) {
        member.setAccessible(true);
        return member;
    }

    private static Constructor<?> constructor(String className) throws ClassNotFoundException {
        Constructor<?>[] constructors = Class.forName(className).getDeclaredConstructors();
        if (constructors.length != 1) {
            throw new IllegalStateException(className + " has " + constructors.length + " constructors, not one");
        }
        return accessible(constructors[0]);
    }

    /** Remembers each connection's event loop, so that its Moquette side is registered on the same. */
    private static final class PinnedServerChannel extends LocalServerChannel {
        @Override
        protected LocalChannel newLocalChannel(LocalChannel peer) {
            LocalChannel child = super.newLocalChannel(peer);
            child.attr(PEER_LOOP).set(peer.eventLoop());
            peer.attr(MOQUETTE_SIDE).set(child);
            return child;
        }
    }
}
