package io.jormundb.engine.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads what {@link ByteWriter} wrote; fails with {@link CorruptDataException} past the end. */
public final class ByteReader {
    private final byte[] buf;
    private int pos;
    private final int end;

    public ByteReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public ByteReader(byte[] buf, int offset, int end) {
        this.buf = buf;
        this.pos = offset;
        this.end = end;
    }

    public int position() {
        return pos;
    }

    public boolean hasRemaining() {
        return pos < end;
    }

    private void need(int n) {
        // Compared as end - pos so that a huge length read from damaged bytes cannot overflow.
        if (n < 0 || n > end - pos) {
            throw new CorruptDataException("truncated record at byte " + pos);
        }
    }

    public int read() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    public int peek() {
        need(1);
        return buf[pos] & 0xFF;
    }

    public byte[] read(int length) {
        need(length);
        byte[] out = Arrays.copyOfRange(buf, pos, pos + length);
        pos += length;
        return out;
    }

    public long readLong() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    public int readInt() {
        need(4);
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    public long readVarLong() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = read();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new CorruptDataException("varint too long at byte " + pos);
    }

    public int readVarInt() {
        long v = readVarLong();
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new CorruptDataException("length out of range at byte " + pos);
        }
        return (int) v;
    }

    public String readString() {
        return utf8(read(readVarInt()));
    }

    public byte[] readBytes() {
        return read(readVarInt());
    }

    /** Strict UTF-8: bytes that are not valid UTF-8 are damage, never silently replaced. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CorruptDataException("invalid UTF-8 in stored string");
        }
    }
}
