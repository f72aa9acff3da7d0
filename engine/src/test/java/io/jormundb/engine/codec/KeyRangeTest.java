package io.jormundb.engine.codec;

import static io.jormundb.engine.codec.KeyValues.bytes;
import static io.jormundb.engine.codec.KeyValues.hex;
import static io.jormundb.engine.codec.KeyValues.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

class KeyRangeTest {

    @ParameterizedTest
    @CsvSource({
            "01 02, 01 03",
            "00, 01",
            "7F, 80",          // no signed-byte overflow
            "01 FF, 02",       // trailing FF bytes carry and drop
            "01 FF FF, 02",
            "01 FE FF, 01 FF",
            "FE, FF",
    })
    void successorIsTheSmallestKeyAboveEveryExtensionOfThePrefix(String prefix, String successor) {
        assertEquals(successor, hex(KeyRange.successor(bytes(prefix))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "FF", "FF FF"})
    void prefixOfOnlyFFBytesHasNoSuccessor(String prefix) {
        assertThrows(IllegalArgumentException.class, () -> KeyRange.successor(bytes(prefix)));
    }

    @Property
    void prefixRangeHoldsExactlyTheKeysWithThePrefix(@ForAll("keys") byte[] prefix, @ForAll("keys") byte[] key) {
        Assume.that(!allFF(prefix));   // includes the empty prefix
        KeyRange range = KeyRange.prefix(prefix);
        boolean inRange = Arrays.compareUnsigned(range.start(), key) <= 0 && Arrays.compareUnsigned(key, range.end()) < 0;
        assertEquals(startsWith(key, prefix), inRange);
    }

    @ParameterizedTest
    @CsvSource({"CATALOG, 01, 02", "ITEMS, 02, 03", "CHANGELOG, 04, 05", "STATE, 05, 06"})
    void keyspaceRangeIsItsPrefixByteUpToTheNext(Keyspace keyspace, String start, String end) {
        assertEquals(start, hex(keyspace.range().start()));
        assertEquals(end, hex(keyspace.range().end()));
    }

    private static boolean allFF(byte[] bytes) {
        for (byte b : bytes) {
            if (b != (byte) 0xFF) {
                return false;
            }
        }
        return true;
    }

    /** Keys over a tiny alphabet with the carry-prone bytes, so that prefixes are common. */
    @Provide
    Arbitrary<byte[]> keys() {
        return Arbitraries.of((byte) 0x00, (byte) 0x7F, (byte) 0x80, (byte) 0xFE, (byte) 0xFF)
                .list().ofMaxSize(4).map(list -> {
                    byte[] out = new byte[list.size()];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = list.get(i);
                    }
                    return out;
                });
    }
}
