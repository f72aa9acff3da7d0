package io.jormundb.engine.codec;

import static io.jormundb.engine.codec.KeyValues.bytes;
import static io.jormundb.engine.codec.KeyValues.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jormundb.engine.value.AttributeValue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;

/** decode(encode(v)) == v, alone and as a partition segment followed by a sort segment. */
class KeyCodecRoundTripTest {

    private static AttributeValue roundTrip(AttributeValue value) {
        ByteReader in = new ByteReader(KeyCodec.encode(value));
        AttributeValue decoded = KeyCodec.decode(value.type(), in);
        assertFalse(in.hasRemaining(), "decoding reads exactly one segment");
        return decoded;
    }

    @ParameterizedTest
    @ValueSource(strings = {"S", "B", "N"})
    void everyCorpusValueSurvivesARoundTrip(String type) {
        for (AttributeValue value : KeyValues.corpus(type)) {
            assertEquals(value, roundTrip(value));
        }
    }

    @Property
    void randomStringsSurviveARoundTrip(@ForAll("strings") AttributeValue value) {
        assertEquals(value, roundTrip(value));
    }

    @Property
    void randomBinariesSurviveARoundTrip(@ForAll("binaries") AttributeValue value) {
        assertEquals(value, roundTrip(value));
    }

    @Property
    void randomNumbersSurviveARoundTrip(@ForAll("numbers") AttributeValue value) {
        assertEquals(value, roundTrip(value));
    }

    @ParameterizedTest
    @CsvSource({"S, S", "S, B", "S, N", "B, S", "B, B", "B, N", "N, S", "N, B", "N, N"})
    void everyPartitionAndSortPairOfTheCorpusDecodesBackToBothValues(String partitionType, String sortType) {
        for (AttributeValue pk : KeyValues.corpus(partitionType)) {
            for (AttributeValue sk : KeyValues.corpus(sortType)) {
                assertEquals(List.of(pk, sk), decodePair(pk, sk));
            }
        }
    }

    @Property
    void randomPartitionAndSortSegmentsDecodeBackToBothValues(
            @ForAll("anyKey") AttributeValue pk, @ForAll("anyKey") AttributeValue sk) {
        assertEquals(List.of(pk, sk), decodePair(pk, sk));
    }

    private static List<AttributeValue> decodePair(AttributeValue pk, AttributeValue sk) {
        ByteReader in = new ByteReader(concat(KeyCodec.encode(pk), KeyCodec.encode(sk)));
        List<AttributeValue> decoded = List.of(KeyCodec.decode(pk.type(), in), KeyCodec.decode(sk.type(), in));
        assertFalse(in.hasRemaining());
        return decoded;
    }

    @Property
    void anyBytesDecodeToAValueOrRaiseCorruptData(@ForAll("types") String type, @ForAll byte[] bytes) {
        try {
            KeyCodec.decode(type, new ByteReader(bytes));
        } catch (CorruptDataException expected) {
            // the only failure allowed
        }
    }

    @ParameterizedTest
    @CsvSource({
            "S, 61",                // no terminator
            "S, 61 00",             // half a terminator
            "S, 61 00 02",          // 00 followed by neither FF nor 01
            "B, 00 FF",             // escape, then the end of the input
            "N, ''",                // nothing at all
            "N, 81",                // no exponent
            "N, 81 82",             // no digits
            "N, 81 82 00",          // zero digits
            "N, 81 82 20",          // no digit terminator
            "N, 81 82 20 20 00",    // a padded pair that is not the last
            "N, 81 82 B0 00",       // nibble 11 is not a digit
            "N, 81 82 02 00",       // high nibble 0 is not a digit
            "N, 81 82 21 00",       // trailing zero digit: not normal form
            "N, 7F 7D DF",          // negative without terminator
            "N, 42 82 20 00",       // unknown sign marker
    })
    void damagedKeyBytesRaiseCorruptData(String type, String hex) {
        assertThrows(CorruptDataException.class, () -> KeyCodec.decode(type, new ByteReader(bytes(hex))));
    }

    @Test
    void numberWithMoreThanThirtyEightDigitsRaisesCorruptData() {
        byte[] digits = new byte[20];
        Arrays.fill(digits, (byte) 0x22);
        byte[] key = concat(concat(bytes("81 A7"), digits), bytes("00"));
        assertThrows(CorruptDataException.class, () -> KeyCodec.decode("N", new ByteReader(key)));
    }

    @Test
    void invalidUtf8InAStringKeyRaisesCorruptData() {
        assertThrows(CorruptDataException.class, () -> KeyCodec.decode("S", new ByteReader(bytes("C3 28 00 01"))));
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

    @Provide
    Arbitrary<String> types() {
        return Arbitraries.of("S", "B", "N");
    }

    @Provide
    Arbitrary<AttributeValue> anyKey() {
        return KeyValues.anyKey();
    }
}
