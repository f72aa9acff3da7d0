package io.jormundb.broker.embedded;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guard's packet framing, byte by byte, in a Netty {@link EmbeddedChannel}: what it passes on
 * to the broker (inbound), what it answers the client itself (outbound), what closes the connection.
 */
class PacketFilterTest {
    private static final int MAX_PACKET_BYTES = 1 << 20;
    private static final byte[] CONNECT = connect();
    private static final byte[] SUBSCRIBE = packet(0x82, 0, 1, 0, 3, 'a', '/', '#', 1);
    private static final byte[] PINGREQ = {(byte) 0xC0, 0};
    private static final byte[] PUBACK = {0x40, 2, 0, 9};

    private final PacketFilter filter = new PacketFilter(MAX_PACKET_BYTES);
    private final EmbeddedChannel channel = new EmbeddedChannel(filter);

    @Test
    void theConnectIsPassedOnAloneAndTheRestAsItCame() {
        write(concat(CONNECT, SUBSCRIBE, publish(1, "app/x", 7, "hi"), PINGREQ, PUBACK));
        assertArrayEquals(CONNECT, readInbound());
        assertArrayEquals(concat(SUBSCRIBE, publish(1, "app/x", 7, "hi"), PINGREQ, PUBACK), readInbound());
        assertNull(channel.readInbound());
        assertNull(channel.readOutbound(), "nothing answered by the guard");
    }

    @Test
    void nothingAfterADisconnectIsPassedOn() {
        byte[] disconnect = {(byte) 0xE0, 0};
        write(concat(CONNECT, SUBSCRIBE, disconnect, PUBACK));
        assertArrayEquals(CONNECT, readInbound());
        assertArrayEquals(concat(SUBSCRIBE, disconnect), readInbound());
        write(concat(PUBACK, PINGREQ));
        assertNull(channel.readInbound(), "what follows a DISCONNECT, in the same read or a later one, is dropped");
    }

    @Test
    void packetsSplitAtAnyByteArePassedOnWhole() {
        byte[] stream = concat(CONNECT, SUBSCRIBE, publish(2, "app/x", 3, "payload"), PINGREQ);
        for (int cut = 1; cut < stream.length; cut++) {
            EmbeddedChannel split = new EmbeddedChannel(new PacketFilter(MAX_PACKET_BYTES));
            split.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOf(stream, cut)));
            split.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, cut, stream.length)));
            ByteArrayOutputStream passed = new ByteArrayOutputStream();
            for (ByteBuf b; (b = split.readInbound()) != null; ) {
                passed.writeBytes(drain(b));
            }
            assertArrayEquals(stream, passed.toByteArray(), "cut at " + cut);
        }
    }

    @Test
    void aQos1PublishUnderTheServersTopicsIsAcknowledgedAndDropped() {
        write(concat(CONNECT, publish(1, "jormundb/Orders/c1/o1", 0x1234, "{}"), PINGREQ));
        assertArrayEquals(CONNECT, readInbound());
        assertArrayEquals(PINGREQ, readInbound(), "only what followed the forged publish goes on");
        assertNull(channel.readOutbound(), "no answer before the broker took the connection (its CONNACK comes first)");
        filter.accepted();
        assertArrayEquals(new byte[] {0x40, 2, 0x12, 0x34}, readOutbound(), "PUBACK");
        write(publish(1, "jormundb/x", 0x0102, "{}"));
        assertArrayEquals(new byte[] {0x40, 2, 1, 2}, readOutbound(), "once accepted, answered at once");
    }

    @Test
    void aQos2PublishUnderTheServersTopicsGetsPubrecThenPubcompForItsPubrel() {
        write(concat(CONNECT, publish(2, "jormundb", 5, "{}")));
        assertArrayEquals(CONNECT, readInbound());
        filter.accepted();
        assertArrayEquals(new byte[] {0x50, 2, 0, 5}, readOutbound(), "PUBREC");
        byte[] otherPubrel = {0x62, 2, 0, 6};
        write(concat(new byte[] {0x62, 2, 0, 5}, otherPubrel));
        assertArrayEquals(new byte[] {0x70, 2, 0, 5}, readOutbound(), "PUBCOMP");
        assertArrayEquals(otherPubrel, readInbound(), "a PUBREL of another packet id is the broker's");
        assertNull(channel.readInbound());
    }

    @Test
    void aQos0PublishUnderTheServersTopicsIsDroppedSilently() {
        write(concat(CONNECT, publish(0, "jormundb/x", 0, "{}")));
        assertArrayEquals(CONNECT, readInbound());
        assertNull(channel.readInbound());
        assertNull(channel.readOutbound());
    }

    @Test
    void topicsThatOnlyLookLikeTheServersArePassedOn() {
        byte[] publishes = concat(publish(1, "jormundbx/a", 1, "x"), publish(1, "/jormundb/a", 2, "x"),
                publish(1, "app/jormundb", 3, "x"));
        write(concat(CONNECT, publishes));
        assertArrayEquals(CONNECT, readInbound());
        assertArrayEquals(publishes, readInbound());
    }

    @Test
    void breakingTheFramingRulesClosesTheConnection() {
        assertViolation("a first packet that is PUBLISH, not CONNECT", publish(0, "a", 0, "x"));
        assertViolation("a first packet that is PUBACK, not CONNECT",
                "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        assertViolation("a second CONNECT", CONNECT, CONNECT);
        assertViolation("a malformed remaining length", CONNECT, new byte[] {(byte) 0xC0, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, 0x01});
        assertViolation("a PUBLISH with fixed header flags 110", CONNECT, new byte[] {0x36, 0});
        assertViolation("a SUBSCRIBE with fixed header flags 0", CONNECT, packet(0x80, 0, 1, 0, 1, 'a', 0));
        assertViolation("a PUBACK of 3 bytes (2 expected)", CONNECT, new byte[] {0x40, 3, 0, 1, 2});
        assertViolation("a CONNACK, which clients do not send", CONNECT, new byte[] {0x20, 2, 0, 0});
        assertViolation("a PUBLISH whose topic does not fit in it", CONNECT, new byte[] {0x30, 3, 0, 9, 'a'});
        assertViolation("a PUBLISH to a topic with a wildcard", CONNECT, publish(0, "a/+", 0, "x"));
        assertViolation("a SUBSCRIBE with a malformed topic filter or QoS", CONNECT, packet(0x82, 0, 1, 0, 1, 'a', 3));
        assertViolation("a UNSUBSCRIBE without a topic filter", CONNECT, packet(0xA2, 0, 1));
    }

    @Test
    void packetsOverTheLimitCloseTheConnectionBeforeTheyAreRead() {
        DecoderException connect = assertThrows(DecoderException.class, () -> new EmbeddedChannel(new PacketFilter(
                MAX_PACKET_BYTES)).writeInbound(Unpooled.wrappedBuffer(new byte[] {0x10, (byte) 0x81, (byte) 0x80, 0x04})));
        assertInstanceOf(TooLongFrameException.class, connect);
        assertEquals("a CONNECT of 65537 bytes (at most 65536)", connect.getMessage());
        write(CONNECT);
        DecoderException publish = assertThrows(DecoderException.class, () -> channel.writeInbound(
                Unpooled.wrappedBuffer(new byte[] {0x30, (byte) 0x81, (byte) 0x80, 0x40})));
        assertEquals("a PUBLISH of 1048577 bytes (at most 1048576)", publish.getMessage());
    }

    private static void assertViolation(String expected, byte[]... stream) {
        EmbeddedChannel fresh = new EmbeddedChannel(new PacketFilter(MAX_PACKET_BYTES));
        DecoderException e = assertThrows(DecoderException.class,
                () -> fresh.writeInbound(Unpooled.wrappedBuffer(concat(stream))));
        assertInstanceOf(CorruptedFrameException.class, e);
        assertEquals(expected, e.getMessage());
    }

    @Test
    void publishesBeyondTheRateWaitUnreadAndGoOnInOrderOnceTheBudgetIsBack() {
        LongAdder throttles = new LongAdder();
        EmbeddedChannel limited = new EmbeddedChannel(new PacketFilter(MAX_PACKET_BYTES, new SessionTraffic(),
                new PublishRate(10, throttles)));
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        for (int i = 0; i < 25; i++) {
            sent.writeBytes(publish(0, "app/" + i, 0, "m"));
        }
        sent.writeBytes(PINGREQ);
        limited.writeInbound(Unpooled.wrappedBuffer(concat(CONNECT, sent.toByteArray())));
        ByteArrayOutputStream passed = new ByteArrayOutputStream();
        for (ByteBuf b; (b = limited.readInbound()) != null; ) {
            passed.writeBytes(drain(b));
        }
        byte[] tenPublishes = Arrays.copyOf(sent.toByteArray(), 10 * publish(0, "app/0", 0, "m").length);
        assertArrayEquals(concat(CONNECT, tenPublishes), passed.toByteArray(), "a second's budget at once");
        assertEquals(1, throttles.sum());
        assertTrue(!limited.config().isAutoRead(), "the connection is not read while it waits");
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            limited.runScheduledPendingTasks();
            for (ByteBuf b; (b = limited.readInbound()) != null; ) {
                passed.writeBytes(drain(b));
            }
            return passed.size() == CONNECT.length + sent.size();
        });
        assertArrayEquals(concat(CONNECT, sent.toByteArray()), passed.toByteArray(), "the rest, in order, then");
        assertTrue(throttles.sum() >= 2, "15 more at 10 a second wait more than once");
        assertTrue(limited.config().isAutoRead());
    }

    @Test
    void whileAConnectionWaitsForItsPublishBudgetNothingAsksForMoreOfItsBytes() {
        AtomicInteger readsAsked = new AtomicInteger();
        EmbeddedChannel limited = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
            @Override
            public void read(ChannelHandlerContext ctx) {
                readsAsked.incrementAndGet();
                ctx.read();
            }
        }, new PacketFilter(MAX_PACKET_BYTES, new SessionTraffic(), new PublishRate(10, new LongAdder())));
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        for (int i = 0; i < 20; i++) {
            burst.writeBytes(publish(0, "app/" + i, 0, "m"));
        }
        limited.writeInbound(Unpooled.wrappedBuffer(concat(CONNECT, burst.toByteArray())));
        assertTrue(!limited.config().isAutoRead(), "waiting for its budget");
        readsAsked.set(0);
        // What the socket had read already still arrives: it is kept, and no more is asked for,
        // so TCP holds the client back.
        for (int i = 0; i < 5; i++) {
            limited.writeInbound(Unpooled.wrappedBuffer(publish(0, "app/more", 0, "m")));
        }
        assertEquals(0, readsAsked.get(), "reads asked for while waiting");
    }

    private void write(byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    /** What the filter passed on to the broker, next. */
    private byte[] readInbound() {
        return drain(channel.readInbound());
    }

    /** What the filter answered the client itself, next. */
    private byte[] readOutbound() {
        return drain(channel.readOutbound());
    }

    private static byte[] drain(ByteBuf b) {
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    /** An MQTT 3.1.1 CONNECT, clean session, client id "c", no will. */
    private static byte[] connect() {
        return packet(0x10, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 30, 0, 1, 'c');
    }

    private static byte[] publish(int qos, String topic, int packetId, String payload) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        body.write(t.length >> 8);
        body.write(t.length);
        body.writeBytes(t);
        if (qos > 0) {
            body.write(packetId >> 8);
            body.write(packetId);
        }
        body.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
        return withHeader(0x30 | qos << 1, body.toByteArray());
    }

    /** A packet of fixed header byte {@code first} and the given body bytes (each an unsigned byte). */
    private static byte[] packet(int first, int... body) {
        byte[] bytes = new byte[body.length];
        for (int i = 0; i < body.length; i++) {
            bytes[i] = (byte) body[i];
        }
        return withHeader(first, bytes);
    }

    private static byte[] withHeader(int first, byte[] body) {
        assertTrue(body.length < 128, "one length byte");
        return concat(new byte[] {(byte) first, (byte) body.length}, body);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
