package io.jormundb.engine.codec;

import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Bytes;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Key values for the KeyCodec tests: an edge-case corpus per type, random generators, and
 * DynamoDB's order to check the encoding against. The order is written from DynamoDB's rules,
 * not from the codec: S by unsigned UTF-8 bytes (never {@link String#compareTo}, which puts
 * supplementary characters below U+E000–U+FFFF), B by unsigned bytes, N numerically.
 */
public final class KeyValues {
    static final HexFormat HEX = HexFormat.ofDelimiter(" ").withUpperCase();

    static final List<AttributeValue> STRINGS = Stream.of(
            "", "a", "a\0", "a\0\0", "a\0b", "a\u0001", "aa", "ab", "b", "\0", "\0\0", "\u0001",
            "\u007F", "\u0080", "é", "\u07FF", "\u0800", "\uD7FF", "\uE000", "\uF8FF", "\uFFFD", "\uFFFF",
            "\uD800\uDC00", "😀", "😀a", "a😀", "\uDBFF\uDFFF", "\uFFFF\0", "\uE000😀")
            .<AttributeValue>map(AttributeValue.S::new).toList();

    static final List<AttributeValue> BINARIES = Stream.of(
            new int[] {}, new int[] {0x00}, new int[] {0x00, 0x00}, new int[] {0x00, 0x01},
            new int[] {0x00, 0xFF}, new int[] {0x01}, new int[] {0x01, 0x00}, new int[] {0x01, 0x00, 0x05},
            new int[] {0x01, 0x00, 0xFF}, new int[] {0x01, 0x01}, new int[] {0x01, 0xFF}, new int[] {0x7F},
            new int[] {0x80}, new int[] {0x80, 0x00}, new int[] {0xFE}, new int[] {0xFF},
            new int[] {0xFF, 0x00}, new int[] {0xFF, 0x01}, new int[] {0xFF, 0x05}, new int[] {0xFF, 0xFF})
            .<AttributeValue>map(KeyValues::b).toList();

    static final List<AttributeValue> NUMBERS = Stream.of(
            "0", "1", "-1", "1.5", "-1.5", "2", "-2", "9", "10", "-10", "11", "19", "99", "100", "101",
            "0.1", "-0.1", "0.11", "0.01", "-0.01", "0.0101", "123.456", "-123.456",
            "1E-130", "-1E-130", "1.1E-130", "-1.1E-130", "2E-130", "1E-129", "9.9E-100", "-9.9E-100",
            "1E+125", "-1E+125", "1E+38", "1E+37", "1.0000000000000000000000000000000000001",
            "9.9999999999999999999999999999999999999E+125", "-9.9999999999999999999999999999999999999E+125",
            "12345678901234567890123456789012345678", "-12345678901234567890123456789012345678",
            "12345678901234567890123456789012345679", "1234567890123456789012345678901234567.8",
            "0.12345678901234567890123456789012345678", "-0.12345678901234567890123456789012345678",
            "99999999999999999999999999999999999999", "-99999999999999999999999999999999999999")
            .<AttributeValue>map(AttributeValue.N::parse).toList();

    private static final int[] EDGE_CODE_POINTS = {
            0x00, 0x01, 'a', 'b', 0x7F, 0x80, 0xE9, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF,
            0x10000, 0x1F600, 0x10FFFF};

    private KeyValues() {
    }

    static AttributeValue s(String value) {
        return new AttributeValue.S(value);
    }

    static AttributeValue n(String text) {
        return AttributeValue.N.parse(text);
    }

    static AttributeValue b(int... unsignedBytes) {
        byte[] bytes = new byte[unsignedBytes.length];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) unsignedBytes[i];
        }
        return new AttributeValue.B(Bytes.of(bytes));
    }

    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    public static byte[] bytes(String hex) {
        return HEX.parseHex(hex);
    }

    static List<AttributeValue> corpus(String type) {
        return switch (type) {
            case "S" -> STRINGS;
            case "B" -> BINARIES;
            case "N" -> NUMBERS;
            default -> throw new IllegalArgumentException(type);
        };
    }

    /** DynamoDB's order of two key values of one type. */
    static int domainCompare(AttributeValue a, AttributeValue b) {
        return switch (a) {
            case AttributeValue.S s -> Arrays.compareUnsigned(utf8(s), utf8((AttributeValue.S) b));
            case AttributeValue.B x -> Arrays.compareUnsigned(x.value().toArray(), ((AttributeValue.B) b).value().toArray());
            case AttributeValue.N x -> x.value().compareTo(((AttributeValue.N) b).value());
            default -> throw new IllegalArgumentException("not a key type: " + a.type());
        };
    }

    static byte[] utf8(AttributeValue.S s) {
        return s.value().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Strings of whole code points (no lone surrogates), often from an edge-case alphabet. */
    static Arbitrary<AttributeValue> strings() {
        return codePoints().list().ofMaxSize(10).map(KeyValues::string).map(AttributeValue.S::new);
    }

    /** Strings over a tiny alphabet, so that one is often a prefix of another. */
    static Arbitrary<String> smallAlphabetStrings() {
        return Arbitraries.of(0x00, (int) 'a', 0xFFFF, 0x1F600).list().ofMaxSize(5).map(KeyValues::string);
    }

    static Arbitrary<AttributeValue> binaries() {
        Arbitrary<Byte> edge = Arbitraries.of((byte) 0x00, (byte) 0x01, (byte) 0x7F, (byte) 0x80, (byte) 0xFF);
        return Arbitraries.oneOf(edge, Arbitraries.bytes()).list().ofMaxSize(10)
                .map(KeyValues::byteArray).map(x -> new AttributeValue.B(Bytes.of(x)));
    }

    /** Byte strings over a tiny alphabet, so that one is often a prefix of another. */
    static Arbitrary<byte[]> smallAlphabetBinaries() {
        return Arbitraries.of((byte) 0x00, (byte) 0x01, (byte) 0xFF).list().ofMaxSize(5).map(KeyValues::byteArray);
    }

    /**
     * Numbers of 1 to 38 significant digits over the whole exponent range, either sign, mixed
     * with the corpus.
     */
    static Arbitrary<AttributeValue> numbers() {
        Arbitrary<AttributeValue> random = Combinators.combine(
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(38),
                Arbitraries.integers().between(-130, 125),
                Arbitraries.of(false, true)).as((digits, exponent, negative) -> {
                    BigInteger unscaled = new BigInteger(digits);
                    if (unscaled.signum() == 0) {
                        return new AttributeValue.N(BigDecimal.ZERO);
                    }
                    int precision = unscaled.toString().length();
                    BigDecimal value = new BigDecimal(unscaled, precision - 1 - exponent);
                    return new AttributeValue.N(negative ? value.negate() : value);
                });
        return Arbitraries.oneOf(random, Arbitraries.of(NUMBERS));
    }

    static Arbitrary<AttributeValue> keys(String type) {
        return switch (type) {
            case "S" -> strings();
            case "B" -> binaries();
            case "N" -> numbers();
            default -> throw new IllegalArgumentException(type);
        };
    }

    /** A random key value of a random key type. */
    static Arbitrary<AttributeValue> anyKey() {
        return Arbitraries.of("S", "B", "N").flatMap(KeyValues::keys);
    }

    private static Arbitrary<Integer> codePoints() {
        Arbitrary<Integer> any = Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE);
        return Arbitraries.oneOf(Arbitraries.of(Arrays.stream(EDGE_CODE_POINTS).boxed().toList()), any);
    }

    private static String string(List<Integer> codePoints) {
        StringBuilder sb = new StringBuilder();
        codePoints.forEach(sb::appendCodePoint);
        return sb.toString();
    }

    private static byte[] byteArray(List<Byte> list) {
        byte[] out = new byte[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }
}
