package io.jormundb.engine.codec;

import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Bytes;
import io.jormundb.engine.value.Numbers;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * The order-preserving encoding of key attribute values (S, N, B). For any two values a and b of
 * one type, {@code signum(compare(a, b)) == signum(compareUnsigned(encode(a), encode(b)))}, where
 * compare is DynamoDB's order: strings and binaries by unsigned bytes (of UTF-8 for strings),
 * numbers numerically. Every encoding is self-terminating, so a partition key segment followed
 * by a sort key segment still sorts by partition key first. A key's type is fixed by its table's
 * schema, so segments carry no type byte.
 *
 * <h2>S and B: escaped, terminated bytes</h2>
 * The bytes (UTF-8 for S), with every {@code 0x00} written as {@code 0x00 0xFF}, then the
 * terminator {@code 0x00}. A value that is a prefix of another ends in {@code 0x00}, which sorts
 * below any continuation byte and below the escape {@code 0x00 0xFF}:
 * <pre>
 *   "a"       -> 61 00
 *   "a\0"     -> 61 00 FF 00
 *   "ab"      -> 61 62 00
 *   B[01 00]  -> 01 00 FF 00
 * </pre>
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
 * terminator {@code 0x00}, which sorts below any digit byte. Negative numbers invert every byte
 * after the sign (terminator {@code 0xFF}) so that larger magnitudes sort lower:
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
    /** Ends an S or B segment, and (inverted for negatives) an N digit string. */
    static final int TERMINATOR = 0x00;
    /** Follows a 0x00 byte that belongs to an S or B value. */
    static final int ESCAPE = 0xFF;
    /** Added to the exponent so that -130..125 fits 0..255 as one unsigned byte. */
    static final int EXPONENT_BIAS = -Numbers.MIN_EXPONENT;

    private KeyCodec() {
    }

    /** Appends the encoding of a key value (S, N or B) to {@code out}. */
    public static void encode(AttributeValue value, ByteWriter out) {
        switch (value) {
            case AttributeValue.S s -> escaped(s.value().getBytes(StandardCharsets.UTF_8), out);
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
     * Appends the bytes that every encoded S or B value starting with {@code prefix} starts
     * with: the escaped bytes without the terminator. This makes {@code begins_with} a range scan.
     */
    public static void encodePrefix(AttributeValue prefix, ByteWriter out) {
        byte[] bytes = switch (prefix) {
            case AttributeValue.S s -> s.value().getBytes(StandardCharsets.UTF_8);
            case AttributeValue.B b -> b.value().toArray();
            default -> throw new IllegalArgumentException("begins_with needs S or B, not " + prefix.type());
        };
        escapedBody(bytes, out);
    }

    /** Reads one key value of the given type ({@code S}, {@code N} or {@code B}). */
    public static AttributeValue decode(String type, ByteReader in) {
        return switch (type) {
            case "S" -> new AttributeValue.S(new String(unescaped(in), StandardCharsets.UTF_8));
            case "B" -> new AttributeValue.B(Bytes.wrap(unescaped(in)));
            case "N" -> new AttributeValue.N(number(in));
            default -> throw new IllegalArgumentException("not a key type: " + type);
        };
    }

    private static void escaped(byte[] bytes, ByteWriter out) {
        escapedBody(bytes, out);
        out.write(TERMINATOR);
    }

    private static void escapedBody(byte[] bytes, ByteWriter out) {
        for (byte b : bytes) {
            out.write(b);
            if (b == 0) {
                out.write(ESCAPE);
            }
        }
    }

    private static byte[] unescaped(ByteReader in) {
        ByteWriter out = new ByteWriter(32);
        while (true) {
            int b = in.read();
            if (b == TERMINATOR) {
                if (in.hasRemaining() && in.peek() == ESCAPE) {
                    in.read();
                    out.write(0);
                    continue;
                }
                return out.toByteArray();
            }
            out.write(b);
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
        out.write(TERMINATOR ^ invert);
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
            if (b == TERMINATOR) {
                break;
            }
            digits.append((char) ('0' + (b >>> 4) - 1));
            if ((b & 0x0F) != 0) {
                digits.append((char) ('0' + (b & 0x0F) - 1));
            }
        }
        BigInteger unscaled = new BigInteger(digits.toString());
        // value = 0.d1d2…dk × 10^(exponent+1) = unscaled × 10^(exponent - (k - 1))
        BigDecimal magnitude = new BigDecimal(unscaled, digits.length() - 1 - exponent);
        return marker == NEGATIVE ? magnitude.negate() : magnitude;
    }
}
