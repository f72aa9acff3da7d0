package io.jormundb.engine.codec;

import static io.jormundb.engine.codec.KeyValues.b;
import static io.jormundb.engine.codec.KeyValues.bytes;
import static io.jormundb.engine.codec.KeyValues.hex;
import static io.jormundb.engine.codec.KeyValues.n;
import static io.jormundb.engine.codec.KeyValues.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jormundb.engine.value.AttributeValue;

import org.junit.jupiter.api.Test;

/**
 * Value to exact bytes, worked by hand from the spec in {@link KeyCodec}'s class comment (as in
 * FoundationDB's TupleSerializationTest). These freeze the key format: a failure here means keys
 * already on disk would no longer be found or would sort differently.
 */
class KeyCodecGoldenVectorsTest {

    private static void assertEncodes(AttributeValue value, String expectedHex) {
        assertEquals(expectedHex, hex(KeyCodec.encode(value)), () -> "encoding of " + value);
        ByteReader in = new ByteReader(bytes(expectedHex));
        assertEquals(value, KeyCodec.decode(value.type(), in), () -> "decoding of " + expectedHex);
        assertFalse(in.hasRemaining(), "decoding reads exactly one segment");
    }

    // S: UTF-8, 00 escaped as 00 FF, terminated by 00 01.

    @Test
    void emptyStringIsJustTheTerminator() {
        assertEncodes(s(""), "00 01");
    }

    @Test
    void asciiStringIsItsBytesThenTheTerminator() {
        assertEncodes(s("a"), "61 00 01");
        assertEncodes(s("ab"), "61 62 00 01");
    }

    @Test
    void zeroCharacterIsEscapedWithFF() {
        assertEncodes(s("a\0"), "61 00 FF 00 01");
        assertEncodes(s("\0"), "00 FF 00 01");
        assertEncodes(s("\0\0"), "00 FF 00 FF 00 01");
    }

    @Test
    void nonAsciiStringsAreUtf8() {
        assertEncodes(s("é"), "C3 A9 00 01");
        assertEncodes(s("\uE000"), "EE 80 80 00 01");
        assertEncodes(s("\uFFFF"), "EF BF BF 00 01");
    }

    @Test
    void supplementaryCharactersAreFourUtf8BytesNotSurrogatePairs() {
        assertEncodes(s("\uD800\uDC00"), "F0 90 80 80 00 01");
        assertEncodes(s("😀"), "F0 9F 98 80 00 01");
        assertEncodes(s("\uDBFF\uDFFF"), "F4 8F BF BF 00 01");
    }

    // B: the raw bytes, escaped and terminated like S.

    @Test
    void emptyBinaryIsJustTheTerminator() {
        assertEncodes(b(), "00 01");
    }

    @Test
    void binaryZeroByteIsEscaped() {
        assertEncodes(b(0x00), "00 FF 00 01");
        assertEncodes(b(0x01, 0x00), "01 00 FF 00 01");
        assertEncodes(b(0x00, 0x01), "00 FF 01 00 01");
        assertEncodes(b(0x00, 0xFF), "00 FF FF 00 01");
    }

    @Test
    void binaryHighBytesAreCopiedUnchanged() {
        assertEncodes(b(0xFF), "FF 00 01");
        assertEncodes(b(0x80), "80 00 01");
    }

    // N: sign, biased exponent, digit nibbles (d + 1), end; all inverted after the sign when negative.

    @Test
    void zeroIsOneByte() {
        assertEncodes(n("0"), "80");
        assertEncodes(n("-0"), "80");
    }

    @Test
    void headerExamplesHold() {
        assertEncodes(n("-1"), "7F 7D DF FF");
        assertEncodes(n("1"), "81 82 20 00");
        assertEncodes(n("1.5"), "81 82 26 00");
        assertEncodes(n("10"), "81 83 20 00");
    }

    @Test
    void negativeNumbersInvertEveryByteAfterTheSign() {
        assertEncodes(n("-10"), "7F 7C DF FF");
        assertEncodes(n("-1.5"), "7F 7D D9 FF");
        assertEncodes(n("-0.01"), "7F 7F DF FF");
    }

    @Test
    void fractionsHaveNegativeExponents() {
        assertEncodes(n("0.01"), "81 80 20 00");
        assertEncodes(n("123"), "81 84 23 40 00");
        assertEncodes(n("100"), "81 84 20 00");
    }

    @Test
    void smallestMagnitudeHasExponentByteZero() {
        assertEncodes(n("1E-130"), "81 00 20 00");
        assertEncodes(n("-1E-130"), "7F FF DF FF");
    }

    @Test
    void largestMagnitudeHasExponentByteFF() {
        assertEncodes(n("1E+125"), "81 FF 20 00");
        assertEncodes(n("9.9999999999999999999999999999999999999E+125"),
                "81 FF " + "AA ".repeat(19) + "00");
        assertEncodes(n("-9.9999999999999999999999999999999999999E+125"),
                "7F 00 " + "55 ".repeat(19) + "FF");
    }

    @Test
    void thirtyEightDigitNumbersUseNineteenDigitBytes() {
        String digits = "23 45 67 89 A1 ".repeat(3) + "23 45 67 89 ";
        String inverted = "DC BA 98 76 5E ".repeat(3) + "DC BA 98 76 ";
        assertEncodes(n("12345678901234567890123456789012345678"), "81 A7 " + digits + "00");
        assertEncodes(n("-12345678901234567890123456789012345678"), "7F 58 " + inverted + "FF");
        assertEncodes(n("0.12345678901234567890123456789012345678"), "81 81 " + digits + "00");
    }
}
