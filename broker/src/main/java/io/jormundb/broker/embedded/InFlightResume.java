package io.jormundb.broker.embedded;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.jormundb.broker.embedded.LocalBroker.accessible;

/**
 * Mends what Moquette 0.17 does wrong when a client takes its persistent session back (CONNECT
 * with clean session off, CONNACK with session present), on Moquette's side of each connection:
 * <ol>
 *   <li>Moquette numbers the PUBLISH packets it sends per connection, from 1, while the session's
 *       in-flight window (messages sent, not yet acknowledged) keeps the numbers the previous
 *       connection gave them: a new message takes the number of one in flight, and Moquette drops
 *       the old one (lost). MQTT 3.1.1 reuses a packet id only once it is acknowledged.</li>
 *   <li>Moquette sends the in-flight messages again only when its 5 s timer finds them, after what
 *       was queued meanwhile (out of order), where MQTT 3.1.1 [MQTT-4.4.0-1] sends them again at
 *       once on reconnect.</li>
 * </ol>
 * When Moquette writes such a CONNACK, this holds it and routes a command to the session's own
 * loop, which numbers the connection's packets on after the last one in flight, writes the CONNACK,
 * and sends every in-flight message again, in the order they were first sent, before anything
 * newer (Moquette sends its queue and new messages only once the CONNACK is written).
 *
 * <p>Moquette's internals are reached by reflection, resolved once at start ({@link #of}); a
 * Moquette whose internals differ fails the start with a message that says so. Sharable.
 */
@ChannelHandler.Sharable
final class InFlightResume extends ChannelOutboundHandlerAdapter {
    /** Half the packet id space: in-flight ids further apart than this wrapped past 65535. */
    private static final int HALF = 32_768;

    private final SessionLoops loops;
    private final Field lastPacketId;
    private final Field inflightWindow;
    private final Field inflightTimeouts;
    private final Constructor<?> inFlightPacket;
    private final Field packetId;
    private final Method resend;

    private InFlightResume(SessionLoops loops) throws ReflectiveOperationException {
        this.loops = loops;
        Class<?> connection = Class.forName("io.moquette.broker.MQTTConnection");
        Class<?> session = Class.forName("io.moquette.broker.Session");
        Class<?> packet = Class.forName("io.moquette.broker.Session$InFlightPacket");
        lastPacketId = accessible(connection.getDeclaredField("lastPacketId"));
        inflightWindow = accessible(session.getDeclaredField("inflightWindow"));
        inflightTimeouts = accessible(session.getDeclaredField("inflightTimeouts"));
        inFlightPacket = accessible(packet.getDeclaredConstructor(int.class, long.class));
        packetId = accessible(packet.getDeclaredField("packetId"));
        resend = accessible(session.getDeclaredMethod("resendInflightNotAcked"));
    }

    /**
     * The handler for the broker whose session loops are {@code loops}.
     *
     * @throws IllegalStateException when this Moquette's internals are not those of 0.17
     */
    static InFlightResume of(SessionLoops loops) {
        try {
            return new InFlightResume(loops);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("this Moquette cannot resume persistent sessions safely (JormunDB "
                    + "needs the internals of Moquette 0.17): " + e, e);
        }
    }

    /**
     * Holds a CONNACK that gives a session back until the session's loop has resumed its in-flight
     * messages, and has the loop write it there. Moquette marks the session connected once the
     * CONNACK is written, and from then on sends what it routes to it at once: had the CONNACK gone
     * out first, a message routed meanwhile could be sent on the new connection before the resume
     * ran (with a packet id of one still in flight, and then sent again with them).
     */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof MqttConnAckMessage connack && connack.variableHeader().isSessionPresent()
                && connack.variableHeader().connectReturnCode() == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            Object connection = SessionLoops.connection(ctx.channel());
            Object session = loops.session(connection);
            AtomicBoolean written = new AtomicBoolean();
            Runnable writeConnack = () -> {
                if (written.compareAndSet(false, true)) {
                    ctx.writeAndFlush(connack, promise);
                }
            };
            boolean queued = loops.run(session, "resume in-flight messages", () -> {
                try {
                    resumeOnSessionLoop(connection, session, writeConnack);
                } finally {
                    writeConnack.run();
                }
                return null;
            });
            if (!queued) {
                // The loop's queue is full: the client gets its CONNACK, and Moquette's own resend later.
                writeConnack.run();
            }
            return;
        }
        super.write(ctx, msg, promise);
    }

    /**
     * On the session's loop, where Moquette changes its in-flight window: see the class comment.
     * The session is not connected yet, so nothing was sent on this connection: what is in flight
     * was sent on an earlier one. {@code writeConnack} writes the held CONNACK, ahead of the resent messages.
     */
    private void resumeOnSessionLoop(Object connection, Object session, Runnable writeConnack)
            throws ReflectiveOperationException {
        List<Integer> inFlight = sentOrder(((Map<?, ?>) inflightWindow.get(session)).keySet());
        if (inFlight.isEmpty()) {
            return;
        }
        ((AtomicInteger) lastPacketId.get(connection)).set(inFlight.getLast());
        writeConnack.run();
        // Due at once, in the order first sent (the queue hands out the earliest due first).
        @SuppressWarnings("unchecked")
        DelayQueue<Delayed> timeouts = (DelayQueue<Delayed>) inflightTimeouts.get(session);
        // Only this loop adds to the queue (and Moquette's resend, which runs here too): taken whole.
        Set<Integer> due = new HashSet<>();
        for (Delayed pending : timeouts) {
            due.add((Integer) packetId.get(pending));
        }
        timeouts.clear();
        for (int i = 0; i < inFlight.size(); i++) {
            if (due.contains(inFlight.get(i))) {
                timeouts.add((Delayed) inFlightPacket.newInstance(inFlight.get(i), (long) i - inFlight.size()));
            }
        }
        resend.invoke(session);
    }

    /**
     * Packet ids in the order they were given: ascending, but when they straddle the wrap from
     * 65535 to 1, the high ones first.
     */
    static List<Integer> sentOrder(Collection<?> ids) {
        List<Integer> sorted = new ArrayList<>();
        for (Object id : ids) {
            sorted.add((Integer) id);
        }
        sorted.sort(null);
        if (sorted.size() > 1 && sorted.getLast() - sorted.getFirst() > HALF) {
            List<Integer> low = new ArrayList<>(sorted.stream().filter(id -> id <= HALF).toList());
            List<Integer> wrapped = new ArrayList<>(sorted.stream().filter(id -> id > HALF).toList());
            wrapped.addAll(low);
            return wrapped;
        }
        return sorted;
    }

}
