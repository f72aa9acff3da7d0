package io.jormundb.engine.codec;

import static io.jormundb.engine.codec.KeyValues.bytes;
import static io.jormundb.engine.codec.KeyValues.hex;
import static io.jormundb.engine.codec.KeyValues.n;
import static io.jormundb.engine.codec.KeyValues.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Bytes;
import io.jormundb.engine.value.Item;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The stored item format: golden bytes, round trips, and damaged bytes. */
class ItemCodecTest {

    /** Every type once, in the order written, with its bytes worked by hand from the class comment. */
    private static final Item EVERY_TYPE = item(
            "s", s("é"),
            "n", n("1.5"),
            "m", n("-100"),
            "b", new AttributeValue.B(Bytes.of(new byte[] {0x00, (byte) 0xFF})),
            "t", AttributeValue.BOOL.TRUE,
            "f", AttributeValue.BOOL.FALSE,
            "z", AttributeValue.NULL.INSTANCE,
            "l", new AttributeValue.L(List.of(s(""), n("0"))),
            "o", new AttributeValue.M(Map.of("k", new AttributeValue.L(List.of()))),
            "ss", new AttributeValue.SS(Set.of("a")),
            "ns", new AttributeValue.NS(Set.of(new BigDecimal("128"))),
            "bs", new AttributeValue.BS(Set.of(Bytes.of(new byte[] {0x01}))));

    private static final String EVERY_TYPE_HEX = String.join(" ",
            "01 0C",                         // format 1, 12 attributes
            "01 73", "01 02 C3 A9",          // "s": S, 2 bytes of UTF-8
            "01 6E", "02 02 01 0F",          // "n": N, scale 1 (zigzag 2), unscaled 15
            "01 6D", "02 03 01 FF",          // "m": N -1E+2, scale -2 (zigzag 3), unscaled -1
            "01 62", "03 02 00 FF",          // "b": B, 2 bytes
            "01 74", "04",                   // "t": TRUE
            "01 66", "05",                   // "f": FALSE
            "01 7A", "06",                   // "z": NULL
            "01 6C", "07 02 01 00 02 00 01 00", // "l": L of S "" and N 0
            "01 6F", "08 01 01 6B 07 00",    // "o": M {"k": L []}
            "02 73 73", "09 01 01 61",       // "ss": SS {"a"}
            "02 6E 73", "0A 01 00 02 00 80", // "ns": NS {128}, two's complement 00 80
            "02 62 73", "0B 01 01 01");      // "bs": BS {[01]}

    private static Item item(Object... namesAndValues) {
        Map<String, AttributeValue> attributes = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            attributes.put((String) namesAndValues[i], (AttributeValue) namesAndValues[i + 1]);
        }
        return new Item(attributes);
    }

    private static void assertCorrupt(String hex) {
        assertCorrupt(bytes(hex));
    }

    private static void assertCorrupt(byte[] bytes) {
        assertThrows(CorruptDataException.class, () -> ItemCodec.decode(bytes));
    }

    // Golden vectors.

    @Test
    void classCommentExampleHolds() {
        Item item = item("id", s("a"));
        assertEquals("01 01 02 69 64 01 01 61", hex(ItemCodec.encode(item)));
        assertEquals(item, ItemCodec.decode(bytes("01 01 02 69 64 01 01 61")));
    }

    @Test
    void everyTypeEncodesToItsHandWorkedBytes() {
        assertEquals(EVERY_TYPE_HEX, hex(ItemCodec.encode(EVERY_TYPE)));
        assertEquals(EVERY_TYPE, ItemCodec.decode(bytes(EVERY_TYPE_HEX)));
    }

    @Test
    void emptyItemIsFormatAndZeroCount() {
        assertEquals("01 00", hex(ItemCodec.encode(Item.EMPTY)));
    }

    @Test
    void lengthsOfAHundredAndTwentyEightAndMoreTakeTwoVarintBytes() {
        Item item = item("x", s("a".repeat(128)));
        assertEquals("01 01 01 78 01 80 01 " + "61 ".repeat(128).trim(), hex(ItemCodec.encode(item)));
    }

    @Test
    void numbersKeepLargePositiveAndNegativeScales() {
        // 1E+125: scale -125, zigzag 249 = F9 01; 1E-130: scale 130, zigzag 260 = 84 02.
        assertEquals("01 01 01 61 02 F9 01 01 01", hex(ItemCodec.encode(item("a", n("1E+125")))));
        assertEquals("01 01 01 61 02 84 02 01 01", hex(ItemCodec.encode(item("a", n("1E-130")))));
    }

    // Round trips.

    @Test
    void numbersOfEveryScaleSurviveARoundTrip() {
        for (String text : List.of("0", "1", "-1", "1E+125", "-1E+125", "1E-130", "-1E-130", "123.456", "-0.001",
                "12345678901234567890123456789012345678", "-1.2345678901234567890123456789012345678",
                "9.9999999999999999999999999999999999999E+125", "128", "-128", "255", "-129")) {
            Item item = item("n", n(text), "ns", new AttributeValue.NS(Set.of(new BigDecimal(text))));
            assertEquals(item, ItemCodec.decode(ItemCodec.encode(item)), text);
        }
    }

    @Test
    void emptyStringsBinariesListsAndMapsSurviveARoundTrip() {
        Item item = item("", s(""), "b", new AttributeValue.B(Bytes.EMPTY),
                "l", new AttributeValue.L(List.of()), "m", new AttributeValue.M(Map.of()),
                "ss", new AttributeValue.SS(Set.of("")), "bs", new AttributeValue.BS(Set.of(Bytes.EMPTY)));
        assertEquals(item, ItemCodec.decode(ItemCodec.encode(item)));
    }

    @Test
    void attributeAndMapEntryOrderSurvivesARoundTrip() {
        Map<String, AttributeValue> inner = new LinkedHashMap<>();
        inner.put("z", s("1"));
        inner.put("a", s("2"));
        inner.put("m", s("3"));
        Item item = item("z", new AttributeValue.M(inner), "a", n("1"), "m", n("2"));
        Item decoded = ItemCodec.decode(ItemCodec.encode(item));
        assertEquals(List.of("z", "a", "m"), List.copyOf(decoded.attributes().keySet()));
        assertEquals(List.of("z", "a", "m"), List.copyOf(((AttributeValue.M) decoded.get("z")).values().keySet()));
    }

    @Property
    void randomItemsSurviveARoundTrip(@ForAll("items") Item item) {
        assertEquals(item, ItemCodec.decode(ItemCodec.encode(item)));
    }

    @Test
    void valuesNestedToTheDepthLimitSurviveARoundTrip() {
        Item item = item("deep", nested(ItemCodec.MAX_DEPTH));
        assertEquals(item, ItemCodec.decode(ItemCodec.encode(item)));
    }

    @Test
    void valuesNestedPastTheDepthLimitAreNotWritten() {
        Item item = item("deep", nested(ItemCodec.MAX_DEPTH + 1));
        assertThrows(IllegalArgumentException.class, () -> ItemCodec.encode(item));
    }

    /** A value of {@code depth} levels: lists and maps around a number. */
    private static AttributeValue nested(int depth) {
        AttributeValue value = n("1");
        for (int level = depth - 1; level >= 1; level--) {
            value = level % 2 == 0 ? new AttributeValue.L(List.of(value)) : new AttributeValue.M(Map.of("k", value));
        }
        return value;
    }

    // Damaged bytes: CorruptDataException and nothing else.

    @Test
    void everyTruncationOfAValidItemRaisesCorruptData() {
        byte[] whole = bytes(EVERY_TYPE_HEX);
        for (int length = 0; length < whole.length; length++) {
            assertCorrupt(Arrays.copyOf(whole, length));
        }
    }

    @Test
    void noByteStringMakesTheDecoderDoAnythingButDecodeOrRaiseCorruptData() {
        DecoderFuzz.assertDecodesOrRefuses(ItemCodec::decode, List.of(ItemCodec.encode(EVERY_TYPE),
                ItemCodec.encode(item("id", s("a")))), 200_000);
    }

    @Test
    void aNameOrSetMemberStoredTwiceRaisesCorruptData() {
        assertCorrupt("01 02 02 69 64 01 01 61 02 69 64 01 01 62");
        assertCorrupt("01 01 02 73 73 09 02 01 61 01 61");
    }

    @Test
    void trailingBytesAfterTheItemRaiseCorruptData() {
        assertCorrupt("01 01 02 69 64 01 01 61 00");
    }

    @ParameterizedTest
    @ValueSource(strings = {"00", "0C", "7F", "FF"})
    void unknownValueTagRaisesCorruptData(String tag) {
        assertCorrupt("01 01 01 61 " + tag);
    }

    @ParameterizedTest
    @ValueSource(strings = {"00 00", "02 00", "FF 00"})
    void unknownFormatRaisesCorruptData(String hex) {
        assertCorrupt(hex);
    }

    @Test
    void numberWithoutDigitBytesRaisesCorruptData() {
        assertCorrupt("01 01 01 61 02 00 00");
    }

    @Test
    void storedNumberOutsideDynamoRangeRaisesCorruptData() {
        assertCorrupt("01 01 01 61 02 8F 03 01 01");   // scale -200: 1E+200
        assertCorrupt("01 01 01 61 02 90 02 01 01");   // scale 136 (zigzag 272): 1E-136
        // 10^38 + 1: 39 significant digits, 17 bytes of two's complement
        byte[] unscaled = BigDecimal.TEN.pow(38).add(BigDecimal.ONE).toBigInteger().toByteArray();
        assertCorrupt("01 01 01 61 02 00 " + hex(new byte[] {(byte) unscaled.length}) + " " + hex(unscaled));
    }

    @ParameterizedTest
    @ValueSource(strings = {"09", "0A", "0B"})
    void emptySetRaisesCorruptData(String tag) {
        assertCorrupt("01 01 01 61 " + tag + " 00");
    }

    @Test
    void lengthPastTheEndRaisesCorruptDataEvenWhenHuge() {
        assertCorrupt("01 01 01 61 01 FF FF FF FF 07");   // S of 2^31 - 1 bytes
        assertCorrupt("01 01 01 61 03 FF FF FF FF 07");   // B of 2^31 - 1 bytes
        assertCorrupt("01 01 FF FF FF FF 07 61");         // name of 2^31 - 1 bytes
    }

    @Test
    void varintsBeyondThirtyOneBitsRaiseCorruptData() {
        assertCorrupt("01 80 80 80 80 08");                         // 2^31 attributes
        assertCorrupt("01 FF FF FF FF FF FF FF FF FF 01");          // 2^64 - 1 attributes (negative as a long)
        assertCorrupt("01 80 80 80 80 80 80 80 80 80 80 01");       // more than ten varint bytes
    }

    @Test
    void invalidUtf8InANameOrStringRaisesCorruptData() {
        assertCorrupt("01 01 01 FF 06");
        assertCorrupt("01 01 01 61 01 02 C3 28");
    }

    @Test
    void nestingDeeperThanTheLimitRaisesCorruptDataNotStackOverflow() {
        ByteWriter out = new ByteWriter().write(bytes("01 01 00"));   // one attribute, named ""
        for (int level = 0; level < 100_000; level++) {
            out.write(bytes("07 01"));                                 // a list of one …
        }
        assertCorrupt(out.toByteArray());
    }

    @Property
    void anyBytesDecodeToAnItemOrRaiseCorruptData(@ForAll byte[] bytes) {
        try {
            ItemCodec.decode(bytes);
        } catch (CorruptDataException expected) {
            // the only failure allowed
        }
    }

    @Property
    void damagedEncodingsOfRandomItemsDecodeToAnItemOrRaiseCorruptData(
            @ForAll("items") Item item, @ForAll @IntRange(min = 0, max = 10_000) int position, @ForAll byte replacement) {
        byte[] bytes = ItemCodec.encode(item);
        bytes[position % bytes.length] = replacement;
        try {
            ItemCodec.decode(bytes);
        } catch (CorruptDataException expected) {
            // the only failure allowed
        }
    }

    // Generators.

    @Provide
    Arbitrary<Item> items() {
        return Arbitraries.maps(names(), values(3)).ofMaxSize(6).map(Item::new);
    }

    private static Arbitrary<String> names() {
        return KeyValues.strings().map(v -> ((AttributeValue.S) v).value());
    }

    private static Arbitrary<AttributeValue> values(int depth) {
        Arbitrary<AttributeValue> scalars = Arbitraries.oneOf(
                KeyValues.strings(), KeyValues.numbers(), KeyValues.binaries(),
                Arbitraries.of(AttributeValue.BOOL.TRUE, AttributeValue.BOOL.FALSE, AttributeValue.NULL.INSTANCE),
                names().set().ofMinSize(1).ofMaxSize(4).map(AttributeValue.SS::new),
                KeyValues.numbers().map(v -> ((AttributeValue.N) v).value()).set().ofMinSize(1).ofMaxSize(4)
                        .map(AttributeValue.NS::new),
                KeyValues.binaries().map(v -> ((AttributeValue.B) v).value()).set().ofMinSize(1).ofMaxSize(4)
                        .map(AttributeValue.BS::new));
        if (depth == 0) {
            return scalars;
        }
        Arbitrary<AttributeValue> inner = Arbitraries.lazy(() -> values(depth - 1));
        return Arbitraries.oneOf(scalars, scalars,
                inner.list().ofMaxSize(4).map(AttributeValue.L::new),
                Arbitraries.maps(names(), inner).ofMaxSize(4).map(AttributeValue.M::new));
    }
}
