package io.jormundb.engine.value;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Item sizes by the rules of the AWS developer guide ("DynamoDB item sizes and formats"): every
 * attribute is its UTF-8 name plus its value; S is its UTF-8 length, B its raw length, N one byte
 * per two significant digits (leading and trailing zeros trimmed) plus one, BOOL and NULL one
 * byte, L and M three bytes plus, per element, one byte and the element (a map element's key
 * counting like an attribute name). Every expected figure is worked by hand.
 */
class ItemSizeTest {

    private static Item item(Object... namesAndValues) {
        Map<String, AttributeValue> attributes = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            attributes.put((String) namesAndValues[i], (AttributeValue) namesAndValues[i + 1]);
        }
        return new Item(attributes);
    }

    private static AttributeValue s(String value) {
        return new AttributeValue.S(value);
    }

    private static AttributeValue n(String text) {
        return AttributeValue.N.parse(text);
    }

    private static AttributeValue b(int length) {
        return new AttributeValue.B(Bytes.of(new byte[length]));
    }

    @Test
    void scalarItemIsNamesPlusValues() {
        Item item = item("id", s("abc"), "n", n("12345"), "b", b(3), "t", AttributeValue.BOOL.TRUE,
                "z", AttributeValue.NULL.INSTANCE);
        // (2 + 3) + (1 + 4) + (1 + 3) + (1 + 1) + (1 + 1)
        assertEquals(18, ItemSize.of(item));
        assertEquals(18, item.size());
    }

    @Test
    void namesAndStringsCountUtf8BytesNotChars() {
        // "ñ" is 2 bytes; "é" 2 and "😀" 4 (one code point, two Java chars)
        assertEquals(8, ItemSize.of(item("ñ", s("é😀"))));
        assertEquals(4, ItemSize.of(s("\uD800\uDC00")));
        assertEquals(3, ItemSize.of(s("\uFFFF")));
    }

    @ParameterizedTest
    @CsvSource({
            "1, 2",          // 1 digit
            "12, 2",         // 2 digits
            "123, 3",        // 3 digits
            "12345, 4",      // 5 digits
            "3.14159, 4",    // 6 digits
            "-1.5, 2",       // the sign costs nothing
            "100, 2",        // trailing zeros trimmed: 1 digit
            "0.001, 2",      // leading zeros trimmed: 1 digit
            "1E+125, 2",
            "1234567890123456789012345678901234567, 20",   // 37 digits
            "12345678901234567890123456789012345678, 20",  // 38 digits
    })
    void numberIsOneBytePerTwoSignificantDigitsPlusOne(String number, long expected) {
        assertEquals(expected, ItemSize.of(n(number)));
    }

    @Test
    void emptyStringAndBinaryAreJustTheirName() {
        assertEquals(1, ItemSize.of(item("e", s(""))));
        assertEquals(1, ItemSize.of(item("e", b(0))));
    }

    @Test
    void listIsThreeBytesPlusOnePerElementPlusTheElements() {
        // 1 + (3 + (1 + 1) + (1 + 2))
        assertEquals(9, ItemSize.of(item("l", new AttributeValue.L(List.of(s("a"), n("1"))))));
        assertEquals(4, ItemSize.of(item("l", new AttributeValue.L(List.of()))));
    }

    @Test
    void mapIsThreeBytesPlusOnePerEntryPlusKeysAndValues() {
        Map<String, AttributeValue> entries = new LinkedHashMap<>();
        entries.put("k", s("v"));
        entries.put("kk", n("12"));
        // 1 + (3 + (1 + 1 + 1) + (1 + 2 + 2))
        assertEquals(12, ItemSize.of(item("m", new AttributeValue.M(entries))));
        assertEquals(4, ItemSize.of(item("m", new AttributeValue.M(Map.of()))));
    }

    @Test
    void nestedContainersAddUp() {
        AttributeValue inner = new AttributeValue.M(Map.of("a", new AttributeValue.L(List.of())));
        AttributeValue outer = new AttributeValue.L(List.of(inner));
        assertEquals(8, ItemSize.of(inner));                // 3 + (1 + 1 + 3)
        assertEquals(12, ItemSize.of(outer));               // 3 + (1 + 8)
        assertEquals(13, ItemSize.of(item("x", outer)));
    }

    @Test
    void setsAreTheSumOfTheirMembers() {
        AttributeValue strings = new AttributeValue.SS(Set.of("a", "bc"));
        AttributeValue numbers = new AttributeValue.NS(Set.of(BigDecimal.ONE, new BigDecimal("12345")));
        AttributeValue binaries = new AttributeValue.BS(Set.of(Bytes.of(new byte[1]), Bytes.of(new byte[2])));
        assertEquals(5, ItemSize.of(item("ss", strings)));   // 2 + 1 + 2
        assertEquals(8, ItemSize.of(item("ns", numbers)));   // 2 + 2 + 4
        assertEquals(5, ItemSize.of(item("bs", binaries)));  // 2 + 1 + 2
    }

    @Test
    void limitIsFourHundredKibibytes() {
        assertEquals(409_600, ItemSize.MAX_ITEM_BYTES);
    }
}
