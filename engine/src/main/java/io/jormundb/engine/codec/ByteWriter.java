package io.jormundb.engine.codec;

import io.jormundb.engine.value.ValueLimits;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer for the codecs; not thread-safe, one per encoding. */
public final class ByteWriter {
    private byte[] buf;
    private int size;

    public ByteWriter() {
        this(64);
    }

    public ByteWriter(int capacity) {
        buf = new byte[Math.max(capacity, 16)];
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
        }
    }

    public ByteWriter write(int b) {
        ensure(1);
        buf[size++] = (byte) b;
        return this;
    }

    public ByteWriter write(byte[] bytes) {
        return write(bytes, 0, bytes.length);
    }

    public ByteWriter write(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buf, size, length);
        size += length;
        return this;
    }

    /** Big-endian, so that unsigned byte order is numeric order for non-negative values. */
    public ByteWriter writeLong(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (v >>> shift);
        }
        return this;
    }

    /** Big-endian 32 bits. */
    public ByteWriter writeInt(int v) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (v >>> shift);
        }
        return this;
    }

    /** Unsigned LEB128: 7 bits a byte, high bit set on all but the last. */
    public ByteWriter writeVarLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
        return this;
    }

    public ByteWriter writeVarInt(int v) {
        return writeVarLong(v & 0xFFFFFFFFL);
    }

    /** A varint length, then the UTF-8 bytes. */
    public ByteWriter writeString(String s) {
        byte[] utf8 = utf8(s);
        writeVarInt(utf8.length);
        return write(utf8);
    }

    /**
     * The UTF-8 bytes of {@code s}. A lone surrogate, which UTF-8 cannot hold, is an error here,
     * never a silent '?' (two different keys would become one): the api refuses such strings, so
     * reaching this is a bug.
     */
    public static byte[] utf8(String s) {
        int at = ValueLimits.loneSurrogate(s);
        if (at >= 0) {
            throw new IllegalArgumentException("a string with a lone surrogate at character " + at
                    + " reached the storage codec");
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A varint length, then the bytes. */
    public ByteWriter writeBytes(byte[] bytes) {
        writeVarInt(bytes.length);
        return write(bytes);
    }

    public int size() {
        return size;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
