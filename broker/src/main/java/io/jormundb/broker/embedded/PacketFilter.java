package io.jormundb.broker.embedded;

import io.jormundb.broker.sessions.TopicFilter;
import io.jormundb.broker.topic.MqttTopics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Follows the MQTT 3.1.1 packet framing of what a client sends (each packet's fixed header: type,
 * flags, remaining length) and passes on whole packets, as they came, to the next handler: the
 * CONNECT alone (for {@link GuardedConnection} to decode and check), everything else in runs of
 * consecutive packets, and tells its {@link SessionTraffic} of each SUBSCRIBE, UNSUBSCRIBE and
 * PUBACK. Of the rest, only PUBLISH is looked into, for its topic: one under {@code jormundb/}
 * is answered here, as the broker would (PUBACK for QoS 1; PUBREC for QoS 2, and PUBCOMP for the
 * PUBREL that follows) and dropped, so that no client waits for an answer that never comes; an
 * answer to a publish sent before the broker took the connection waits for its CONNACK.
 *
 * <p>PUBLISH packets pass at most at the connection's {@link PublishRate} ({@code --mqtt-max-publish-rate}): at
 * the first one beyond it the filter stops, leaves it and what follows unread and stops reading
 * the connection until the budget is back (TCP then slows the client down). So no client can
 * fill the broker's session event loops, which every subscriber shares with others.
 *
 * <p>Nothing after a DISCONNECT is passed on: a client sends nothing after it [MQTT-3.14.4-2],
 * and Moquette 0.17 cannot take a PUBACK for the clean session the DISCONNECT removed.
 *
 * <p>A packet that breaks the framing rules is a {@link CorruptedFrameException} (the connection
 * closes): a first packet that is not CONNECT, a second CONNECT, a packet type a client never
 * sends, wrong fixed header flags, a remaining length that is malformed or over the limit, a
 * PUBLISH whose topic does not fit its packet or has a wildcard, a SUBSCRIBE or UNSUBSCRIBE whose
 * topic filters do not fill it or that has an empty one. So the broker behind only sees
 * well-framed packets.
 */
final class PacketFilter extends ByteToMessageDecoder {
    /** A CONNECT (or anything before it) may be this long; a will message beyond it is refused. */
    static final int MAX_CONNECT_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ConnectGuard.class);
    private static final int CONNECT = 1;
    private static final int PUBLISH = 3;
    private static final int PUBACK = 4;
    private static final int PUBREC = 5;
    private static final int PUBREL = 6;
    private static final int PUBCOMP = 7;
    private static final int SUBSCRIBE = 8;
    private static final int UNSUBSCRIBE = 10;
    private static final int PINGREQ = 12;
    private static final int DISCONNECT = 14;
    private static final String[] TYPE_NAMES = {"reserved packet type 0", "CONNECT", "CONNACK", "PUBLISH", "PUBACK",
            "PUBREC", "PUBREL", "PUBCOMP", "SUBSCRIBE", "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP",
            "DISCONNECT", "reserved packet type 15"};

    private final int maxPacketBytes;
    private final SessionTraffic traffic;
    /** The connection's PUBLISH budget, or {@code null} for no limit. */
    private final PublishRate publishRate;
    /** Whether the filter waits for the publish budget: it decodes nothing meanwhile. */
    private boolean throttled;
    private boolean throttleReported;
    private boolean connectSeen;
    /** Whether the client sent its DISCONNECT: whatever follows is dropped unread. */
    private boolean disconnected;
    /** QoS 2 packet ids of dropped publishes that wait for their PUBREL; {@code null} while none did. */
    private Set<Integer> droppedQos2;
    private boolean dropReported;
    /** Where the variable header of the packet {@link #packetEnd} measured last begins. */
    private int bodyStart;
    /**
     * Answers to dropped publishes that came before the broker took the connection, sent once it
     * has ({@link #accepted}): the server's first packet is its CONNACK [MQTT-3.2.0-1]. {@code null}
     * once accepted.
     */
    private List<ByteBuf> heldAnswers = new ArrayList<>();
    private ChannelHandlerContext context;

    /** @param maxPacketBytes the longest remaining length of a packet after the CONNECT */
    PacketFilter(int maxPacketBytes) {
        this(maxPacketBytes, new SessionTraffic(), null);
    }

    /**
     * @param maxPacketBytes the longest remaining length of a packet after the CONNECT
     * @param traffic        told of the connection's SUBSCRIBE, UNSUBSCRIBE and PUBACK packets
     * @param publishRate    the connection's PUBLISH budget, or {@code null} for no limit
     */
    PacketFilter(int maxPacketBytes, SessionTraffic traffic, PublishRate publishRate) {
        this.maxPacketBytes = maxPacketBytes;
        this.traffic = traffic;
        this.publishRate = publishRate;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (disconnected) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (throttled) {
            // Read while waiting (someone else turned reading on): kept for later, reading off again.
            ctx.channel().config().setAutoRead(false);
            return;
        }
        int runStart = in.readerIndex();
        int at = runStart;
        while (true) {
            int end = packetEnd(in, at);
            if (end < 0) {
                break;
            }
            int first = in.getUnsignedByte(at);
            int type = first >> 4;
            int body = bodyStart;
            if (type == PUBLISH && publishRate != null && !publishRate.tryTake()) {
                if (at > runStart) {
                    out.add(in.retainedSlice(runStart, at - runStart));
                }
                in.readerIndex(at);
                throttle(ctx);
                return;
            }
            boolean passOn = switch (type) {
                case CONNECT -> {
                    connectSeen = true;
                    yield false;
                }
                case PUBLISH -> !isForged(ctx, in, (first >> 1) & 3, body, end);
                case PUBREL -> {
                    checkLength(type, end - body, 2);
                    int packetId = in.getUnsignedShort(body);
                    boolean ours = droppedQos2 != null && droppedQos2.remove(packetId);
                    if (ours) {
                        answer(ctx, PUBCOMP, packetId);
                    }
                    yield !ours;
                }
                case PUBACK -> {
                    checkLength(type, end - body, 2);
                    traffic.acknowledging(in.getUnsignedShort(body));
                    yield true;
                }
                case PUBREC, PUBCOMP -> {
                    checkLength(type, end - body, 2);
                    yield true;
                }
                case PINGREQ -> {
                    checkLength(type, end - body, 0);
                    yield true;
                }
                case DISCONNECT -> {
                    checkLength(type, end - body, 0);
                    disconnected = true;
                    yield true;
                }
                case SUBSCRIBE -> {
                    traffic.subscribing(in.getUnsignedShort(body), topicFilters(in, body, end, true));
                    yield true;
                }
                case UNSUBSCRIBE -> {
                    traffic.unsubscribing(topicFilters(in, body, end, false).stream().map(TopicFilter::filter).toList());
                    yield true;
                }
                default -> throw violation("a " + TYPE_NAMES[type] + ", which clients do not send");
            };
            if (!passOn) {
                if (at > runStart) {
                    out.add(in.retainedSlice(runStart, at - runStart));
                }
                if (type == CONNECT) {
                    out.add(in.retainedSlice(at, end - at));
                }
                runStart = end;
            }
            at = end;
            if (disconnected) {
                // Nothing a client sends after its DISCONNECT counts [MQTT-3.14.4-2]; MQTT.js sends
                // the PUBACK of the message it ended on, which Moquette 0.17 would take for a
                // session it has already cleaned up (a double release that kills its event loop).
                out.add(in.retainedSlice(runStart, at - runStart));
                in.skipBytes(in.readableBytes());
                return;
            }
        }
        if (at > runStart) {
            out.add(in.retainedSlice(runStart, at - runStart));
        }
        in.readerIndex(at);
    }

    /**
     * While the connection waits for its publish budget, only passes the event on: Netty's decoder
     * would ask the socket for more bytes after a read that decoded nothing with reading off, and
     * read on without bound instead of letting TCP hold the client back.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (throttled) {
            ctx.fireChannelReadComplete();
        } else {
            super.channelReadComplete(ctx);
        }
    }

    /** Stops reading until the publish budget is back, then decodes what waits unread and reads on. */
    private void throttle(ChannelHandlerContext ctx) {
        throttled = true;
        ctx.channel().config().setAutoRead(false);
        if (!throttleReported) {
            throttleReported = true;
            LOG.info("MQTT client {} publishes more than {} messages a second (--mqtt-max-publish-rate): its "
                    + "connection is read no faster than that (reported once per connection)",
                    ctx.channel().remoteAddress(), publishRate.perSecond());
        }
        ctx.executor().schedule(() -> {
            throttled = false;
            if (!ctx.channel().isActive() || ctx.isRemoved()) {
                return;
            }
            ctx.channel().config().setAutoRead(true);
            try {
                channelRead(ctx, Unpooled.EMPTY_BUFFER);
                channelReadComplete(ctx);
            } catch (Exception e) {
                ctx.fireExceptionCaught(e);
            }
        }, publishRate.waitNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Where the packet starting at {@code at} ends, or -1 while it is not all there. Checks its
     * fixed header as far as it came: type, flags, remaining length and its limit.
     */
    private int packetEnd(ByteBuf in, int at) {
        if (at == in.writerIndex()) {
            return -1;
        }
        int first = in.getUnsignedByte(at);
        int type = first >> 4;
        if (connectSeen == (type == CONNECT)) {
            throw violation(connectSeen ? "a second CONNECT"
                    : "a first packet that is " + TYPE_NAMES[type] + ", not CONNECT");
        }
        checkFlags(type, first & 0x0F);
        int body = MqttFrames.bodyStart(in, at);
        if (body < 0) {
            return -1;
        }
        int remaining = MqttFrames.remainingLength(in, at);
        int limit = connectSeen ? maxPacketBytes : MAX_CONNECT_BYTES;
        if (remaining > limit) {
            throw new TooLongFrameException("a " + TYPE_NAMES[type] + " of " + remaining + " bytes (at most "
                    + limit + ")");
        }
        bodyStart = body;
        return body + remaining > in.writerIndex() ? -1 : body + remaining;
    }

    /** MQTT 3.1.1 §2.2.2: PUBREL, SUBSCRIBE and UNSUBSCRIBE carry flags 0010, PUBLISH any but QoS 3, the rest 0000. */
    private static void checkFlags(int type, int flags) {
        boolean valid = switch (type) {
            case PUBLISH -> (flags & 0x06) != 0x06;
            case PUBREL, SUBSCRIBE, UNSUBSCRIBE -> flags == 0x02;
            default -> flags == 0;
        };
        if (!valid) {
            throw violation("a " + TYPE_NAMES[type] + " with fixed header flags " + Integer.toBinaryString(flags));
        }
    }

    private static void checkLength(int type, int remaining, int expected) {
        if (remaining != expected) {
            throw violation("a " + TYPE_NAMES[type] + " of " + remaining + " bytes (" + expected + " expected)");
        }
    }

    /**
     * Whether the PUBLISH at {@code [p, end)} (after its fixed header) is under {@code jormundb/}:
     * then it is answered as the broker would and must be dropped.
     */
    private boolean isForged(ChannelHandlerContext ctx, ByteBuf in, int qos, int p, int end) {
        int topicEnd = end - p < 2 ? end + 1 : p + 2 + in.getUnsignedShort(p);
        if (topicEnd + (qos > 0 ? 2 : 0) > end) {
            throw violation("a PUBLISH whose topic does not fit in it");
        }
        String topic = MqttFrames.string(in, p);
        if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            throw violation("a PUBLISH to a topic with a wildcard");
        }
        if (!MqttTopics.isReserved(topic)) {
            return false;
        }
        if (!dropReported) {
            dropReported = true;
            LOG.info("MQTT client {} publishes under {}/, where only the server publishes: acknowledged and dropped "
                    + "(reported once per connection)", ctx.channel().remoteAddress(), MqttTopics.ROOT);
        }
        if (qos == 1) {
            answer(ctx, PUBACK, in.getUnsignedShort(topicEnd));
        } else if (qos == 2) {
            int packetId = in.getUnsignedShort(topicEnd);
            if (droppedQos2 == null) {
                droppedQos2 = new HashSet<>();
            }
            droppedQos2.add(packetId);
            answer(ctx, PUBREC, packetId);
        }
        return true;
    }

    /**
     * The topic filters of a SUBSCRIBE, each with the QoS it asks for, or of an UNSUBSCRIBE (QoS 0):
     * a packet id, then one or more topic filters, each a non-empty string (and a QoS byte in SUBSCRIBE).
     */
    private static List<TopicFilter> topicFilters(ByteBuf in, int p, int end, boolean withQos) {
        checkTopicFilters(in, p, end, withQos);
        List<TopicFilter> filters = new ArrayList<>(1);
        for (int at = p + 2; at < end; ) {
            String filter = MqttFrames.string(in, at);
            at += 2 + in.getUnsignedShort(at);
            if (filter.isEmpty()) {
                throw violation("a " + (withQos ? "SUBSCRIBE" : "UNSUBSCRIBE") + " with an empty topic filter");
            }
            filters.add(new TopicFilter(filter, withQos ? in.getUnsignedByte(at++) : 0));
        }
        return filters;
    }

    private static void checkTopicFilters(ByteBuf in, int p, int end, boolean withQos) {
        int at = p + 2;
        if (at >= end) {
            throw violation("a " + (withQos ? "SUBSCRIBE" : "UNSUBSCRIBE") + " without a topic filter");
        }
        while (at < end) {
            if (end - at < 2) {
                break;
            }
            at += 2 + in.getUnsignedShort(at);
            if (withQos) {
                if (at >= end || in.getUnsignedByte(at) > 2) {
                    throw violation("a SUBSCRIBE with a malformed topic filter or QoS");
                }
                at++;
            }
        }
        if (at != end) {
            throw violation("a " + (withQos ? "SUBSCRIBE" : "UNSUBSCRIBE") + " with a malformed topic filter");
        }
    }

    /** Answers a dropped publish: PUBACK, PUBREC or PUBCOMP with its packet id (held until {@link #accepted}). */
    private void answer(ChannelHandlerContext ctx, int type, int packetId) {
        ByteBuf answer = Unpooled.wrappedBuffer(new byte[] {(byte) (type << 4), 2, (byte) (packetId >> 8), (byte) packetId});
        if (heldAnswers != null) {
            heldAnswers.add(answer);
        } else {
            ctx.writeAndFlush(answer);
        }
    }

    /**
     * The broker took the connection (its CONNACK went out): the answers held meanwhile go, and
     * answers go at once from now on. On the connection's event loop.
     */
    void accepted() {
        List<ByteBuf> held = heldAnswers;
        heldAnswers = null;
        if (held != null && !held.isEmpty() && context != null) {
            held.forEach(context::write);
            context.flush();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        context = ctx;
        super.handlerAdded(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releaseHeld();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releaseHeld();
        super.channelInactive(ctx);
    }

    private void releaseHeld() {
        if (heldAnswers != null) {
            heldAnswers.forEach(ByteBuf::release);
            heldAnswers.clear();
        }
    }

    private static CorruptedFrameException violation(String what) {
        return new CorruptedFrameException(what);
    }
}
