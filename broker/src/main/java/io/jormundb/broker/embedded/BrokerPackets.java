package io.jormundb.broker.embedded;

import io.jormundb.streams.json.ChangeJson;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Follows the packet framing of what Moquette sends to a client with a persistent session and
 * passes it on untouched, in whole packets, telling the connection's {@link SessionTraffic} of
 * each SUBACK and each QoS 1 or 2 PUBLISH (its packet id, topic and the start of its payload) before
 * the bytes go on: so a subscription is written to RocksDB before the client hears it was granted.
 * Moquette frames correctly; nothing is checked. Clean sessions' connections go without it.
 */
final class BrokerPackets extends ByteToMessageDecoder {
    private static final int PUBLISH = 3;
    private static final int SUBACK = 9;

    private final SessionTraffic traffic;

    BrokerPackets(SessionTraffic traffic) {
        this.traffic = traffic;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int at = start;
        while (at < in.writerIndex()) {
            int body = MqttFrames.bodyStart(in, at);
            if (body < 0) {
                break;
            }
            int end = body + MqttFrames.remainingLength(in, at);
            if (end > in.writerIndex()) {
                break;
            }
            int first = in.getUnsignedByte(at);
            switch (first >> 4) {
                case PUBLISH -> publish(in, (first >> 1) & 3, body, end);
                case SUBACK -> {
                    int[] returnCodes = new int[end - body - 2];
                    for (int i = 0; i < returnCodes.length; i++) {
                        returnCodes[i] = in.getUnsignedByte(body + 2 + i);
                    }
                    traffic.subscribed(in.getUnsignedShort(body), returnCodes);
                }
                default -> {
                    // Nothing to note.
                }
            }
            at = end;
        }
        if (at > start) {
            out.add(in.retainedSlice(start, at - start));
            in.readerIndex(at);
        }
    }

    /** A PUBLISH at {@code [body, end)} after its fixed header: topic, packet id (QoS 1 and 2), payload. */
    private void publish(ByteBuf in, int qos, int body, int end) {
        if (qos == 0) {
            return;
        }
        int topicEnd = body + 2 + in.getUnsignedShort(body);
        int payload = topicEnd + 2;
        traffic.sending(in.getUnsignedShort(topicEnd), MqttFrames.string(in, body),
                ByteBufUtil.getBytes(in, payload, Math.min(end - payload, ChangeJson.POSITION_PREFIX_BYTES)));
    }
}
