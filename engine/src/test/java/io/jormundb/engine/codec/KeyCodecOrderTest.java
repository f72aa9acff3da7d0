package io.jormundb.engine.codec;

import static io.jormundb.engine.codec.KeyValues.b;
import static io.jormundb.engine.codec.KeyValues.concat;
import static io.jormundb.engine.codec.KeyValues.domainCompare;
import static io.jormundb.engine.codec.KeyValues.n;
import static io.jormundb.engine.codec.KeyValues.s;
import static io.jormundb.engine.codec.KeyValues.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jormundb.engine.value.AttributeValue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ordering property: {@code signum(domainCompare(a, b)) == signum(compareUnsigned(enc(a), enc(b)))}
 * over the cartesian product of the edge-case corpus and over random values, for single values
 * and for partition segment + sort segment.
 */
class KeyCodecOrderTest {

    private static int encodedCompare(AttributeValue a, AttributeValue b) {
        return Arrays.compareUnsigned(KeyCodec.encode(a), KeyCodec.encode(b));
    }

    private static void assertSameOrder(AttributeValue a, AttributeValue b) {
        assertEquals(Integer.signum(domainCompare(a, b)), Integer.signum(encodedCompare(a, b)),
                () -> a + " vs " + b);
    }

    private static void assertSortsBelow(AttributeValue lower, AttributeValue higher) {
        assertTrue(domainCompare(lower, higher) < 0, "test premise: DynamoDB order");
        assertTrue(encodedCompare(lower, higher) < 0, () -> lower + " should sort below " + higher);
    }

    // Named cases: the rules the corpus exists for.

    @Test
    void negativeNumbersSortBelowZero() {
        assertSortsBelow(n("-1E-130"), n("0"));
        assertSortsBelow(n("-9.9999999999999999999999999999999999999E+125"), n("-1"));
        assertSortsBelow(n("0"), n("1E-130"));
    }

    @Test
    void largerNegativeMagnitudesSortLower() {
        assertSortsBelow(n("-10"), n("-9"));
        assertSortsBelow(n("-1.5"), n("-1"));
        assertSortsBelow(n("-1"), n("-0.99999999999999999999999999999999999999"));
    }

    @Test
    void numbersSortNumericallyAcrossMagnitudes() {
        assertSortsBelow(n("9"), n("10"));
        assertSortsBelow(n("1E-130"), n("1E-129"));
        assertSortsBelow(n("1E+124"), n("9.9999999999999999999999999999999999999E+125"));
        assertSortsBelow(n("1"), n("1.0000000000000000000000000000000000001"));
        assertSortsBelow(n("12345678901234567890123456789012345678"), n("12345678901234567890123456789012345679"));
    }

    @Test
    void supplementaryCharactersSortAfterThePrivateUseArea() {
        AttributeValue privateUse = s("\uE000");
        AttributeValue emoji = s("😀");
        assertTrue("😀".compareTo("\uE000") < 0, "String.compareTo gets this wrong; the test must not use it");
        assertSortsBelow(privateUse, emoji);
        assertSortsBelow(s("\uFFFF"), s("\uD800\uDC00"));
    }

    @Test
    void aValueSortsBelowEveryExtensionOfIt() {
        assertSortsBelow(s(""), s("\0"));
        assertSortsBelow(s("a"), s("a\0"));
        assertSortsBelow(s("a\0"), s("a\u0001"));
        assertSortsBelow(b(0x01), b(0x01, 0x00));
        assertSortsBelow(b(0x01, 0x00), b(0x01, 0x00, 0x00));
    }

    @Test
    void binaryBytesCompareUnsigned() {
        assertSortsBelow(b(0x7F), b(0x80));
        assertSortsBelow(b(0x80), b(0xFF));
        assertSortsBelow(b(0xFE, 0xFF), b(0xFF));
    }

    // The cartesian product of the corpus.

    @ParameterizedTest
    @ValueSource(strings = {"S", "B", "N"})
    void everyPairOfTheCorpusSortsInDynamoOrder(String type) {
        for (AttributeValue a : KeyValues.corpus(type)) {
            for (AttributeValue b : KeyValues.corpus(type)) {
                assertSameOrder(a, b);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"S", "B", "N"})
    void noEncodingIsAPrefixOfAnother(String type) {
        for (AttributeValue a : KeyValues.corpus(type)) {
            for (AttributeValue b : KeyValues.corpus(type)) {
                if (!a.equals(b)) {
                    assertFalse(startsWith(KeyCodec.encode(b), KeyCodec.encode(a)), () -> a + " encodes to a prefix of " + b);
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"S, S", "S, B", "S, N", "B, S", "B, B", "B, N", "N, S", "N, B", "N, N"})
    void compositeKeysOfTheCorpusSortByPartitionFirst(String partitionType, String sortType) {
        List<AttributeValue[]> keys = new ArrayList<>();
        List<byte[]> encoded = new ArrayList<>();
        for (AttributeValue pk : KeyValues.corpus(partitionType)) {
            for (AttributeValue sk : KeyValues.corpus(sortType)) {
                keys.add(new AttributeValue[] {pk, sk});
                encoded.add(concat(KeyCodec.encode(pk), KeyCodec.encode(sk)));
            }
        }
        for (int i = 0; i < keys.size(); i++) {
            for (int j = 0; j < keys.size(); j++) {
                int expected = Integer.signum(compositeCompare(keys.get(i), keys.get(j)));
                int actual = Integer.signum(Arrays.compareUnsigned(encoded.get(i), encoded.get(j)));
                if (expected != actual) {
                    throw new AssertionError(Arrays.toString(keys.get(i)) + " vs " + Arrays.toString(keys.get(j))
                            + ": expected " + expected + " but the key bytes give " + actual);
                }
            }
        }
    }

    @Test
    void binarySortKeyStartingWithFFDoesNotLiftItsItemPastTheNextPartition() {
        byte[] first = concat(KeyCodec.encode(s("a")), KeyCodec.encode(b(0xFF, 0x05)));
        byte[] second = concat(KeyCodec.encode(s("a\0")), KeyCodec.encode(b(0x01)));
        assertTrue(Arrays.compareUnsigned(first, second) < 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"S", "B", "N"})
    void prefixRangeOfAPartitionKeyHoldsOnlyThatPartitionsKeys(String type) {
        for (AttributeValue a : KeyValues.corpus(type)) {
            KeyRange partition = KeyRange.prefix(KeyCodec.encode(a));
            for (AttributeValue b : KeyValues.corpus(type)) {
                for (AttributeValue sk : KeyValues.BINARIES) {
                    byte[] key = concat(KeyCodec.encode(b), KeyCodec.encode(sk));
                    boolean inRange = Arrays.compareUnsigned(partition.start(), key) <= 0
                            && Arrays.compareUnsigned(key, partition.end()) < 0;
                    assertEquals(a.equals(b), inRange, () -> "item " + b + "/" + sk + " in the range of " + a);
                }
            }
        }
    }

    // Random values.

    @Property
    void randomStringsSortByUtf8Bytes(@ForAll("strings") AttributeValue a, @ForAll("strings") AttributeValue b) {
        assertSameOrder(a, b);
    }

    @Property
    void randomBinariesSortByUnsignedBytes(@ForAll("binaries") AttributeValue a, @ForAll("binaries") AttributeValue b) {
        assertSameOrder(a, b);
    }

    @Property
    void randomNumbersSortNumerically(@ForAll("numbers") AttributeValue a, @ForAll("numbers") AttributeValue b) {
        assertSameOrder(a, b);
    }

    @Property
    void stringsOverATinyAlphabetSortByUtf8Bytes(@ForAll("smallStrings") String a, @ForAll("smallStrings") String b) {
        assertSameOrder(s(a), s(b));
    }

    @Property
    void randomCompositeKeysSortByPartitionFirst(@ForAll("twoCompositeKeys") List<AttributeValue> keys) {
        AttributeValue[] k1 = {keys.get(0), keys.get(1)};
        AttributeValue[] k2 = {keys.get(2), keys.get(3)};
        byte[] e1 = concat(KeyCodec.encode(k1[0]), KeyCodec.encode(k1[1]));
        byte[] e2 = concat(KeyCodec.encode(k2[0]), KeyCodec.encode(k2[1]));
        assertEquals(Integer.signum(compositeCompare(k1, k2)), Integer.signum(Arrays.compareUnsigned(e1, e2)));
    }

    @Property
    void binaryCompositeKeysOverATinyAlphabetSortByPartitionFirst(
            @ForAll("smallBinaries") byte[] pk1, @ForAll("smallBinaries") byte[] sk1,
            @ForAll("smallBinaries") byte[] pk2, @ForAll("smallBinaries") byte[] sk2) {
        AttributeValue[] k1 = {b(unsigned(pk1)), b(unsigned(sk1))};
        AttributeValue[] k2 = {b(unsigned(pk2)), b(unsigned(sk2))};
        byte[] e1 = concat(KeyCodec.encode(k1[0]), KeyCodec.encode(k1[1]));
        byte[] e2 = concat(KeyCodec.encode(k2[0]), KeyCodec.encode(k2[1]));
        assertEquals(Integer.signum(compositeCompare(k1, k2)), Integer.signum(Arrays.compareUnsigned(e1, e2)));
    }

    private static int compositeCompare(AttributeValue[] a, AttributeValue[] b) {
        int byPartition = domainCompare(a[0], b[0]);
        return byPartition != 0 ? byPartition : domainCompare(a[1], b[1]);
    }

    private static int[] unsigned(byte[] bytes) {
        int[] out = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[i] & 0xFF;
        }
        return out;
    }

    @Provide
    Arbitrary<AttributeValue> strings() {
        return KeyValues.strings();
    }

    @Provide
    Arbitrary<AttributeValue> binaries() {
        return KeyValues.binaries();
    }

    @Provide
    Arbitrary<AttributeValue> numbers() {
        return KeyValues.numbers();
    }

    /** pk1, sk1, pk2, sk2 of one random key schema; half the time pk2 is pk1. */
    @Provide
    Arbitrary<List<AttributeValue>> twoCompositeKeys() {
        Arbitrary<String> types = Arbitraries.of("S", "B", "N");
        return Combinators.combine(types, types).flatAs((pkType, skType) -> Combinators.combine(
                KeyValues.keys(pkType), KeyValues.keys(skType), KeyValues.keys(pkType), KeyValues.keys(skType),
                Arbitraries.of(false, true)).as((pk1, sk1, pk2, sk2, samePartition) ->
                        List.of(pk1, sk1, samePartition ? pk1 : pk2, sk2)));
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
