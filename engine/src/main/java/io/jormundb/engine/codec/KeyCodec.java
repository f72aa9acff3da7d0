package io.jormundb.engine.codec;

import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Bytes;
import io.jormundb.engine.value.Numbers;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * The order-preserving encoding of key attribute values (S, N, B). For any two values a and b of
 * one type, {@code signum(compare(a, b)) == signum(compareUnsigned(encode(a), encode(b)))}, where
 * compare is DynamoDB's order: strings and binaries by unsigned bytes (of UTF-8 for strings),
 * numbers numerically. The encoding is prefix-free (no value's encoding is a prefix of another's),
 * so a partition key segment followed by a sort key segment still sorts by partition key first,
 * whatever bytes the sort key starts with, and {@code [enc(v), successor(enc(v)))} holds exactly
 * the keys of v. A key's type is fixed by its table's schema, so segments carry no type byte.
 *
 * <h2>S and B: escaped, terminated bytes</h2>
 * The bytes (UTF-8 for S), with every {@code 0x00} written as {@code 0x00 0xFF}, then the
 * two-byte terminator {@code 0x00 0x01}. So {@code 0x00} inside a segment is always followed by
 * {@code 0xFF} (a zero byte of the value) or {@code 0x01} (the end). A value that is a prefix of
 * another ends in {@code 0x00 0x01}, which sorts below any continuation byte (1..0xFF) and below
 * the escape {@code 0x00 0xFF}:
 * <pre>
 *   ""        -> 00 01
 *   "a"       -> 61 00 01
 *   "a\0"     -> 61 00 FF 00 01
 *   "ab"      -> 61 62 00 01
 *   B[01 00]  -> 01 00 FF 00 01
 * </pre>
 * Why two bytes: with a one-byte terminator {@code 0x00}, "a" is {@code 61 00}, a prefix of
 * "a\0" = {@code 61 00 FF 00}, and a sort key B[FF 05] after partition "a" ({@code 61 00 FF 05 00})
 * sorts above partition "a\0" with sort key B[01] ({@code 61 00 FF 00 01 00}). The second byte
 * keeps the end distinguishable from an escape (as in CockroachDB's byte encoding).
 * UTF-8 byte order is code point order, so supplementary characters sort after U+E000–U+FFFF,
 * as in DynamoDB (and unlike {@link String#compareTo}).
 *
 * <h2>N: sign, exponent, digits</h2>
 * A normal-form number d1.d2d3…dk × 10^x (no trailing zeros, k ≤ 38, x from -130 to 125) is
 * <pre>
 *   zero:      ZERO (0x80)
 *   positive:  POSITIVE (0x81), x + 130 as one byte, digit pairs, 0x00
 *   negative:  NEGATIVE (0x7F), 255 - (x + 130),   digit pairs with every byte inverted, 0xFF
 * </pre>
 * A digit pair packs two digits as nibbles (d + 1), so each nibble is 1..10 and an odd count pads
 * the last low nibble with 0. Larger exponent means larger magnitude; for equal exponents the
 * digit bytes compare like the digit strings, a shorter string (a prefix) ending first with the
 * terminator {@code 0x00}, which sorts below any digit byte (0x10 and up). Negative numbers invert
 * every byte after the sign (terminator {@code 0xFF}) so that larger magnitudes sort lower:
 * <pre>
 *   -1     -> 7F 7D DF FF
 *   0      -> 80
 *   1      -> 81 82 20 00
 *   1.5    -> 81 82 26 00
 *   10     -> 81 83 20 00
 * </pre>
 * Nothing outside this package assembles key bytes.
 */
public final class KeyCodec {
    /** Number sign markers; NEGATIVE &lt; ZERO &lt; POSITIVE. */
    static final int NEGATIVE = 0x7F;
    static final int ZERO = 0x80;
    static final int POSITIVE = 0x81;
    /** Starts an escape or the terminator in an S or B segment; never followed by anything else. */
    static final int ESCAPE = 0x00;
    /** After {@link #ESCAPE}: the value has a 0x00 byte here. */
    static final int ESCAPED_ZERO = 0xFF;
    /** After {@link #ESCAPE}: the segment ends here. */
    static final int END = 0x01;
    /** Ends an N digit string (inverted for negatives); below every digit byte. */
    static final int DIGITS_END = 0x00;
    /** At most 38 digits, two a byte. */
    private static final int MAX_DIGIT_BYTES = (Numbers.MAX_DIGITS + 1) / 2;
    /** Added to the exponent so that -130..125 fits 0..255 as one unsigned byte. */
    static final int EXPONENT_BIAS = -Numbers.MIN_EXPONENT;

    private KeyCodec() {
    }

    /** Appends the encoding of a key value (S, N or B) to {@code out}. */
    public static void encode(AttributeValue value, ByteWriter out) {
        switch (value) {
            case AttributeValue.S s -> escaped(ByteWriter.utf8(s.value()), out);
            case AttributeValue.B b -> escaped(b.value().toArray(), out);
            case AttributeValue.N n -> number(n.value(), out);
            default -> throw new IllegalArgumentException("not a key type: " + value.type());
        }
    }

    public static byte[] encode(AttributeValue value) {
        ByteWriter out = new ByteWriter(32);
        encode(value, out);
        return out.toByteArray();
    }

    /**
     * Appends the encodings of {@code values} one after another: a tuple. Each encoding is
     * prefix-free, so tuples of one schema sort component-wise: by the first value, then the second…
     * (multi-attribute index keys rely on this).
     */
    public static void encode(List<AttributeValue> values, ByteWriter out) {
        for (AttributeValue v : values) {
            encode(v, out);
        }
    }

    /**
     * Appends the bytes that every encoded S or B value starting with {@code prefix} starts
     * with: the escaped bytes without the terminator. This makes {@code begins_with} a range scan.
     */
    public static void encodePrefix(AttributeValue prefix, ByteWriter out) {
        byte[] bytes = switch (prefix) {
            case AttributeValue.S s -> ByteWriter.utf8(s.value());
            case AttributeValue.B b -> b.value().toArray();
            default -> throw new IllegalArgumentException("begins_with needs S or B, not " + prefix.type());
        };
        escapedBody(bytes, out);
    }

    /** Reads one key value of the given type ({@code S}, {@code N} or {@code B}). */
    public static AttributeValue decode(String type, ByteReader in) {
        return switch (type) {
            case "S" -> new AttributeValue.S(ByteReader.utf8(unescaped(in)));
            case "B" -> new AttributeValue.B(Bytes.wrap(unescaped(in)));
            case "N" -> new AttributeValue.N(number(in));
            default -> throw new IllegalArgumentException("not a key type: " + type);
        };
    }

    private static void escaped(byte[] bytes, ByteWriter out) {
        escapedBody(bytes, out);
        out.write(ESCAPE).write(END);
    }

    private static void escapedBody(byte[] bytes, ByteWriter out) {
        for (byte b : bytes) {
            if (b == 0) {
                out.write(ESCAPE).write(ESCAPED_ZERO);
            } else {
                out.write(b);
            }
        }
    }

    private static byte[] unescaped(ByteReader in) {
        ByteWriter out = new ByteWriter(32);
        while (true) {
            int b = in.read();
            if (b != ESCAPE) {
                out.write(b);
                continue;
            }
            int next = in.read();
            if (next == END) {
                return out.toByteArray();
            }
            if (next != ESCAPED_ZERO) {
                throw new CorruptDataException(
                        "bad escape 00 " + Integer.toHexString(next) + " in key at byte " + (in.position() - 1));
            }
            out.write(0);
        }
    }

    private static void number(BigDecimal value, ByteWriter out) {
        int sign = value.signum();
        if (sign == 0) {
            out.write(ZERO);
            return;
        }
        BigDecimal normal = value.stripTrailingZeros();
        String digits = normal.unscaledValue().abs().toString();
        int exponent = Numbers.adjustedExponent(normal) + EXPONENT_BIAS;
        int invert = sign < 0 ? 0xFF : 0x00;
        out.write(sign < 0 ? NEGATIVE : POSITIVE);
        out.write(exponent ^ invert);
        for (int i = 0; i < digits.length(); i += 2) {
            int high = digits.charAt(i) - '0' + 1;
            int low = i + 1 < digits.length() ? digits.charAt(i + 1) - '0' + 1 : 0;
            out.write(((high << 4) | low) ^ invert);
        }
        out.write(DIGITS_END ^ invert);
    }

    private static BigDecimal number(ByteReader in) {
        int marker = in.read();
        if (marker == ZERO) {
            return BigDecimal.ZERO;
        }
        if (marker != POSITIVE && marker != NEGATIVE) {
            throw new CorruptDataException("bad number marker " + marker);
        }
        int invert = marker == NEGATIVE ? 0xFF : 0x00;
        int exponent = (in.read() ^ invert) - EXPONENT_BIAS;
        StringBuilder digits = new StringBuilder(40);
        while (true) {
            int b = in.read() ^ invert;
            if (b == DIGITS_END && !digits.isEmpty()) {
                break;
            }
            int high = b >>> 4;
            int low = b & 0x0F;
            if (high < 1 || high > 10 || low > 10 || digits.length() >= 2 * MAX_DIGIT_BYTES) {
                throw new CorruptDataException("bad number digits at byte " + (in.position() - 1));
            }
            digits.append((char) ('0' + high - 1));
            if (low == 0) {
                // Only the last pair of an odd digit count is padded.
                if ((in.read() ^ invert) != DIGITS_END) {
                    throw new CorruptDataException("bad number digits at byte " + (in.position() - 1));
                }
                break;
            }
            digits.append((char) ('0' + low - 1));
        }
        if (digits.charAt(digits.length() - 1) == '0') {
            throw new CorruptDataException("number digits not in normal form at byte " + (in.position() - 1));
        }
        BigInteger unscaled = new BigInteger(digits.toString());
        // value = d1.d2…dk × 10^exponent = unscaled × 10^(exponent - (k - 1))
        BigDecimal magnitude = new BigDecimal(unscaled, digits.length() - 1 - exponent);
        return marker == NEGATIVE ? magnitude.negate() : magnitude;
    }
}
