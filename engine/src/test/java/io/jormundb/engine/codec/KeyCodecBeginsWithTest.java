package io.jormundb.engine.codec;

import static io.jormundb.engine.codec.KeyValues.b;
import static io.jormundb.engine.codec.KeyValues.hex;
import static io.jormundb.engine.codec.KeyValues.n;
import static io.jormundb.engine.codec.KeyValues.s;
import static io.jormundb.engine.codec.KeyValues.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Bytes;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

/** {@code encodePrefix} turns begins_with into a range scan: enc(v) starts with it iff v starts with p. */
class KeyCodecBeginsWithTest {
    private static final long TABLE = 7;

    private static byte[] prefixBytes(AttributeValue prefix) {
        ByteWriter out = new ByteWriter();
        KeyCodec.encodePrefix(prefix, out);
        return out.toByteArray();
    }

    @Test
    void prefixIsTheEscapedBytesWithoutTheTerminator() {
        assertEquals("", hex(prefixBytes(s(""))));
        assertEquals("61", hex(prefixBytes(s("a"))));
        assertEquals("61 00 FF", hex(prefixBytes(s("a\0"))));
        assertEquals("F0 9F 98 80", hex(prefixBytes(s("😀"))));
        assertEquals("01 00 FF", hex(prefixBytes(b(0x01, 0x00))));
        assertEquals("FF", hex(prefixBytes(b(0xFF))));
    }

    @Test
    void numbersHaveNoPrefix() {
        assertThrows(IllegalArgumentException.class, () -> prefixBytes(n("1")));
    }

    @Property
    void stringKeyStartsWithThePrefixBytesExactlyWhenTheStringStartsWithThePrefix(
            @ForAll("smallStrings") String value, @ForAll("smallStrings") String prefix) {
        assertEquals(value.startsWith(prefix),
                startsWith(KeyCodec.encode(s(value)), prefixBytes(s(prefix))), () -> value + " / " + prefix);
    }

    @Property
    void binaryKeyStartsWithThePrefixBytesExactlyWhenTheBinaryStartsWithThePrefix(
            @ForAll("smallBinaries") byte[] value, @ForAll("smallBinaries") byte[] prefix) {
        AttributeValue v = new AttributeValue.B(Bytes.of(value));
        AttributeValue p = new AttributeValue.B(Bytes.of(prefix));
        assertEquals(startsWith(value, prefix), startsWith(KeyCodec.encode(v), prefixBytes(p)));
    }

    @Property
    void randomStringPrefixesOfRandomStringsAreFound(@ForAll("strings") AttributeValue value, @ForAll int cut) {
        String v = ((AttributeValue.S) value).value();
        int codePoints = v.codePointCount(0, v.length());
        String prefix = v.substring(0, v.offsetByCodePoints(0, Math.floorMod(cut, codePoints + 1)));
        assertTrue(startsWith(KeyCodec.encode(value), prefixBytes(s(prefix))));
    }

    @Property
    void beginsWithRangeOfAPartitionHoldsExactlyTheSortKeysWithThePrefix(
            @ForAll("smallBinaries") byte[] sortKey, @ForAll("smallBinaries") byte[] prefix) {
        AttributeValue pk = s("p");
        ByteWriter start = Keys.partitionPrefixWriter(TABLE, pk);
        KeyCodec.encodePrefix(new AttributeValue.B(Bytes.of(prefix)), start);
        KeyRange range = KeyRange.prefix(start.toByteArray());
        byte[] item = Keys.item(TABLE, pk, new AttributeValue.B(Bytes.of(sortKey)));
        boolean inRange = Arrays.compareUnsigned(range.start(), item) <= 0
                && Arrays.compareUnsigned(item, range.end()) < 0;
        assertEquals(startsWith(sortKey, prefix), inRange);
    }

    @Provide
    Arbitrary<AttributeValue> strings() {
        return KeyValues.strings();
    }

    @Provide
    Arbitrary<String> smallStrings() {
        return KeyValues.smallAlphabetStrings();
    }

    @Provide
    Arbitrary<byte[]> smallBinaries() {
        return KeyValues.smallAlphabetBinaries();
    }
}
