package io.jormundb.broker.embedded;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;

import java.nio.charset.StandardCharsets;

/**
 * The MQTT fixed header (MQTT 3.1.1 §2.2): a byte of packet type and flags, then the remaining
 * length in one to four bytes of 7 bits each, least significant first (a set high bit means
 * another byte follows): {@code 30 C1 02} is a PUBLISH with a body of 0x41 + (0x02 << 7) = 321
 * bytes. Read in place from a {@link ByteBuf}, for the guard, which frames packets without
 * decoding them. Also the UTF-8 strings with a two-byte length that packets carry.
 */
final class MqttFrames {
    private MqttFrames() {
    }

    /**
     * Where the body of the packet whose fixed header starts at {@code at} begins, or -1 while its
     * remaining length has not all come.
     *
     * @throws CorruptedFrameException when the remaining length runs over four bytes
     */
    static int bodyStart(ByteBuf in, int at) {
        int p = at + 1;
        for (int bytes = 0; ; bytes++) {
            if (bytes == 4) {
                throw new CorruptedFrameException("a malformed remaining length");
            }
            if (p == in.writerIndex()) {
                return -1;
            }
            if ((in.getUnsignedByte(p++) & 0x80) == 0) {
                return p;
            }
        }
    }

    /** The remaining length of the packet at {@code at}, whose fixed header has all come ({@link #bodyStart} said where it ends). */
    static int remainingLength(ByteBuf in, int at) {
        int remaining = 0;
        int p = at + 1;
        for (int shift = 0; ; shift += 7) {
            int b = in.getUnsignedByte(p++);
            remaining |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return remaining;
            }
        }
    }

    /** The string at {@code at}: its two-byte length, then as many bytes of UTF-8. */
    static String string(ByteBuf in, int at) {
        return in.toString(at + 2, in.getUnsignedShort(at), StandardCharsets.UTF_8);
    }
}
