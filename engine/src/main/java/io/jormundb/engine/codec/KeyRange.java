package io.jormundb.engine.codec;

import java.util.Arrays;

/** A half-open key range {@code [start, end)} in unsigned byte order. */
public record KeyRange(byte[] start, byte[] end) {
    public KeyRange {
        start = start.clone();
        end = end.clone();
    }

    /** Every key that starts with {@code prefix}. */
    public static KeyRange prefix(byte[] prefix) {
        return new KeyRange(prefix, successor(prefix));
    }

    /** The smallest key greater than every key that starts with {@code prefix}. */
    public static byte[] successor(byte[] prefix) {
        byte[] end = prefix.clone();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xFF) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        throw new IllegalArgumentException("prefix of only 0xFF bytes has no successor");
    }

    @Override
    public byte[] start() {
        return start.clone();
    }

    @Override
    public byte[] end() {
        return end.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyRange other && Arrays.equals(start, other.start) && Arrays.equals(end, other.end);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(start) + Arrays.hashCode(end);
    }

    @Override
    public String toString() {
        return "KeyRange[" + Arrays.toString(start) + ", " + Arrays.toString(end) + ")";
    }
}
