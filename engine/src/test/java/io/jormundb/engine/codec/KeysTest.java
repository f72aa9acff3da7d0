package io.jormundb.engine.codec;

import io.jormundb.engine.changelog.Position;

import static io.jormundb.engine.codec.KeyValues.b;
import static io.jormundb.engine.codec.KeyValues.bytes;
import static io.jormundb.engine.codec.KeyValues.hex;
import static io.jormundb.engine.codec.KeyValues.n;
import static io.jormundb.engine.codec.KeyValues.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jormundb.engine.value.AttributeValue;
import java.util.List;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The key layout, the partition hash (part of the storage format) and scan segments. */
class KeysTest {
    private static final long TABLE = 7;
    private static final long TWO_TO_32 = 1L << 32;

    // MurmurHash3_x86_32, seed 0. Expected values agree with smhasher's reference as implemented
    // independently by Apache commons-codec (MurmurHash3.hash32x86) and Guava (murmur3_32_fixed).

    @ParameterizedTest
    @CsvSource({
            "'', 00000000",
            "hello, 248bfa47",
            "The quick brown fox jumps over the lazy dog, 2e4ff723",
            "a, 3c2569b2",        // one tail byte
            "ab, 9bbfd75f",       // two tail bytes
            "abc, b3dd93fa",      // three tail bytes
            "abcd, 43ed676a",     // one block, no tail
            "abcde, e89b9af6",    // one block and a tail
    })
    void murmur3MatchesTheReferenceVectors(String input, String expectedHex) {
        int expected = Integer.parseUnsignedInt(expectedHex, 16);
        assertEquals(expected, Keys.murmur3(input.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void murmur3ReadsBytesUnsigned() {
        assertEquals(0x2e7aa4e0, Keys.murmur3(bytes("80 FF 00 C3 9F 7F AA")));
    }

    @Test
    void partitionHashIsMurmur3OfTheKeyEncoding() {
        assertEquals(0x7f7adc68, Keys.partitionHash(s("a")));     // 61 00 01
        assertEquals(0x71df9c0e, Keys.partitionHash(b(0x01)));    // 01 00 01
        assertEquals(0xa25ea3b4, Keys.partitionHash(n("1")));     // 81 82 20 00
        assertEquals(0xa25ea3b4, Keys.partitionHash(n("1.000")), "equal numbers hash alike");
        assertEquals(0x0feb9e1d, Keys.partitionHash(n("0")));     // 80
    }

    @Test
    void changelogPartitionTakesTheHashAsUnsigned() {
        assertEquals(0x86ae5de3, Keys.partitionHash(s("u1")));    // negative as an int: 2259574243
        assertEquals(3, Keys.changelogPartition(s("u1"), 10));
        assertEquals(3, Keys.changelogPartition(s("u1"), 4));
        assertEquals(1, Keys.changelogPartition(n("0"), 4));
    }

    @Test
    void theChangelogPartitionOfAnItemKeyIsThatOfItsPartitionKey() {
        for (AttributeValue pk : List.of(s("u1"), s("a"), b(0x01), n("0"), n("-7.5"))) {
            for (int partitions : new int[] {1, 4, 10}) {
                assertEquals(Keys.changelogPartition(pk, partitions),
                        Keys.changelogPartitionOfItem(Keys.item(TABLE, pk, n("15")), partitions), pk + " of " + partitions);
            }
        }
    }

    // Layout.

    @Test
    void itemKeyMatchesThePackageInfoExample() {
        assertEquals("02 00 00 00 00 00 00 00 07 86 AE 5D E3 75 31 00 01 81 83 26 00",
                hex(Keys.item(TABLE, s("u1"), n("15"))));
    }

    @Test
    void itemKeyWithoutSortKeyIsThePartitionPrefix() {
        assertEquals("02 00 00 00 00 00 00 00 07 86 AE 5D E3 75 31 00 01", hex(Keys.item(TABLE, s("u1"), null)));
        assertArrayEquals(Keys.item(TABLE, s("u1"), null), Keys.partitionPrefix(TABLE, s("u1")));
    }

    @Test
    void tableItemsRangeEndsWhereTheNextTableStarts() {
        KeyRange range = Keys.tableItems(TABLE);
        assertEquals("02 00 00 00 00 00 00 00 07", hex(range.start()));
        assertEquals("02 00 00 00 00 00 00 00 08", hex(range.end()));
    }

    @Test
    void changelogKeyIsTablePartitionPositionBigEndian() {
        byte[] key = Keys.changelog(TABLE, 3, new Position(258, 2));
        assertEquals("04 00 00 00 00 00 00 00 07 00 00 00 03 00 00 00 00 00 00 01 02 00 00 00 02", hex(key));
        assertEquals(new Position(258, 2), Keys.positionOf(key));
    }

    @Test
    void commitLogKeyIsThePositionAlone() {
        byte[] key = Keys.commitLog(new Position(912, 3));
        assertEquals("06 00 00 00 00 00 00 03 90 00 00 00 03", hex(key));
        assertEquals(new Position(912, 3), Keys.positionOf(key));
    }

    @Test
    void changelogAndCommitLogKeysSortByPosition() {
        List<Position> positions = List.of(Position.START, new Position(0, 1), new Position(1, 0),
                new Position(1, Position.MAX_INDEX), new Position(255, 0), new Position(256, 0),
                new Position(1L << 40, 7), new Position(Long.MAX_VALUE, 0));
        KeyRange partition = Keys.changelogPartition(TABLE, 3);
        for (int i = 0; i < positions.size(); i++) {
            Position p = positions.get(i);
            byte[] key = Keys.changelog(TABLE, 3, p);
            assertEquals(p, Keys.positionOf(key));
            assertEquals(p, Keys.positionOf(Keys.commitLog(p)));
            assertTrue(contains(partition, key));
            if (i > 0) {
                Position before = positions.get(i - 1);
                assertTrue(Arrays.compareUnsigned(Keys.changelog(TABLE, 3, before), key) < 0);
                assertTrue(Arrays.compareUnsigned(Keys.commitLog(before), Keys.commitLog(p)) < 0);
            }
        }
        assertFalse(contains(partition, Keys.changelog(TABLE, 4, Position.START)));
    }

    // Secondary indexes and TTL.

    @Test
    void indexEntryKeyMatchesThePackageInfoExample() {
        byte[] itemKey = Keys.item(TABLE, s("u1"), n("15"));
        byte[] key = Keys.indexEntry(TABLE, 5, List.of(s("gold")), List.of(n("3")), itemKey);
        assertEquals("03 00 00 00 00 00 00 00 07 00 00 00 05 " + hex(intBytes(Keys.partitionHash(s("gold"))))
                + " 67 6F 6C 64 00 01 81 82 40 00 75 31 00 01 81 83 26 00", hex(key));
        assertEquals(0x0DD84F90, Keys.partitionHash(s("gold")), "the hash is frozen with the format");
    }

    @Test
    void aMultiAttributeIndexKeyIsTheTupleOfItsValuesAndHashesThemTogether() {
        byte[] itemKey = Keys.item(TABLE, s("m1"), null);
        byte[] key = Keys.indexEntry(TABLE, 9, List.of(s("T1"), n("2025")), List.of(s("R2"), n("3")), itemKey);
        assertEquals("03 00 00 00 00 00 00 00 07 00 00 00 09 " + hex(intBytes(Keys.partitionHash(List.of(s("T1"),
                n("2025"))))) + " 54 31 00 01 81 85 31 36 00 52 32 00 01 81 82 40 00 6D 31 00 01", hex(key));
        assertEquals(Keys.partitionHash(s("T1")), Keys.partitionHash(List.of(s("T1"))),
                "one value hashes as a table partition key does");
        assertTrue(contains(Keys.indexEntries(TABLE, 9), key));
        assertTrue(contains(Keys.tableIndexEntries(TABLE), key));
        assertFalse(contains(Keys.indexEntries(TABLE, 10), key));
    }

    @Property
    void tuplesOfKeyValuesSortComponentWise(@ForAll("anyKey") AttributeValue a1, @ForAll("anyKey") AttributeValue a2,
                                            @ForAll("anyKey") AttributeValue b1, @ForAll("anyKey") AttributeValue b2) {
        // Within one schema the types of each position agree; the order is by first value, then second.
        AttributeValue c1 = a1.type().equals(b1.type()) ? b1 : a1;
        AttributeValue c2 = a2.type().equals(b2.type()) ? b2 : a2;
        int expected = KeyValues.domainCompare(a1, c1) != 0 ? KeyValues.domainCompare(a1, c1)
                : KeyValues.domainCompare(a2, c2);
        byte[] left = Keys.indexEntry(TABLE, 1, List.of(s("p")), List.of(a1, a2), Keys.item(TABLE, s("x"), null));
        byte[] right = Keys.indexEntry(TABLE, 1, List.of(s("p")), List.of(c1, c2), Keys.item(TABLE, s("x"), null));
        assertEquals(Integer.signum(expected), Integer.signum(Arrays.compareUnsigned(left, right)));
    }

    @Test
    void indexHashRangesSplitOneIndexLikeScanSegments() {
        KeyRange whole = Keys.indexEntries(TABLE, 5);
        assertArrayEquals(whole.start(), Arrays.copyOf(Keys.indexHashRange(TABLE, 5, 0, 1L << 31).start(), 13));
        assertArrayEquals(whole.end(), Keys.indexHashRange(TABLE, 5, 1L << 31, TWO_TO_32).end());
        assertEquals("03 00 00 00 00 00 00 00 07 00 00 00 05 80 00 00 00",
                hex(Keys.indexHashRange(TABLE, 5, 1L << 31, TWO_TO_32).start()));
    }

    @Test
    void ttlEntryKeyIsTableExpiryWithFlippedSignThenTheItemKey() {
        byte[] itemKey = Keys.item(TABLE, s("u1"), n("15"));
        byte[] key = Keys.ttlEntry(TABLE, 1_700_000_000L, itemKey);
        assertEquals("07 00 00 00 00 00 00 00 07 80 00 00 00 65 53 F1 00 86 AE 5D E3 75 31 00 01 81 83 26 00",
                hex(key));
        assertEquals(1_700_000_000L, Keys.expiryOfTtlEntry(key));
        assertArrayEquals(itemKey, Keys.itemOfTtlEntry(key));
        assertEquals(List.of(s("u1"), n("15")), Keys.keyValuesOfItem(itemKey, "S", "N"));
        assertEquals(-5L, Keys.expiryOfTtlEntry(Keys.ttlEntry(TABLE, -5, itemKey)));
    }

    @Test
    void ttlEntriesDueBetweenTwoSecondsAreOneRangeInExpiryOrder() {
        byte[] itemKey = Keys.item(TABLE, s("u1"), null);
        KeyRange due = Keys.ttlDue(TABLE, -1, 100);
        for (long expiry : new long[] {-1, 0, 99}) {
            assertTrue(contains(due, Keys.ttlEntry(TABLE, expiry, itemKey)), expiry + " is due");
            assertTrue(contains(Keys.tableTtl(TABLE), Keys.ttlEntry(TABLE, expiry, itemKey)));
        }
        for (long expiry : new long[] {Long.MIN_VALUE, -2, 100, 101, Long.MAX_VALUE}) {
            assertFalse(contains(due, Keys.ttlEntry(TABLE, expiry, itemKey)), expiry + " is not due");
        }
        assertFalse(contains(due, Keys.ttlEntry(TABLE + 1, 5, itemKey)));
    }

    private static byte[] intBytes(int v) {
        return new ByteWriter(4).writeInt(v).toByteArray();
    }

    @Test
    void mqttKeysLieInTheirOwnNodeSubKeyspaceWithTheBrokerRecordBeforeEverySession() {
        assertEquals("08 01 00", hex(Keys.mqttBroker()));
        byte[] session = Keys.mqttSession("sensor-1");
        assertEquals("08 01 01 73 65 6E 73 6F 72 2D 31", hex(session));
        assertEquals("sensor-1", Keys.mqttSessionClientId(session));
        assertEquals("grüße", Keys.mqttSessionClientId(Keys.mqttSession("grüße")));
        KeyRange sessions = Keys.mqttSessions();
        assertTrue(contains(sessions, session));
        assertTrue(contains(sessions, Keys.mqttSession("")));
        assertFalse(contains(sessions, Keys.mqttBroker()));
        assertFalse(contains(sessions, Keys.cursor("mqtt")));
    }

    @Test
    void nodeStateLiesInTheLocalFamilyAndEverythingElseInTheShippedOne() {
        for (byte[] local : List.of(Keys.cursor("mqtt"), Keys.mqttBroker(), Keys.mqttSession("c"), Keys.following(),
                Keys.nodeId())) {
            assertEquals(Family.LOCAL, Keys.familyOf(local), hex(local));
        }
        for (byte[] data : List.of(Keys.format(), Keys.table("T"), Keys.item(TABLE, s("u1"), null),
                Keys.partitionHead(TABLE, 0), Keys.counter("table-id"), new byte[0])) {
            assertEquals(Family.DATA, Keys.familyOf(data), hex(data));
        }
        assertFalse(Family.LOCAL.shipped());
        assertTrue(Family.DATA.shipped());
        assertEquals("default", Family.DATA.columnFamilyName());
    }

    @Test
    void aFollowerTellsCatalogAndPartitionHeadKeysFromTheRest() {
        assertTrue(Keys.isRetiredTable(Keys.retiredTable(TABLE)));
        assertFalse(Keys.isRetiredTable(Keys.partitionHead(TABLE, 1)));
        assertFalse(Keys.isRetiredTable(Keys.table("T")));
        assertEquals(TABLE, Keys.tableOfPartitionHead(Keys.partitionHead(TABLE, 3)));
        assertEquals(-1, Keys.tableOfPartitionHead(Keys.retiredTable(TABLE)));
        assertEquals(-1, Keys.tableOfPartitionHead(Keys.item(TABLE, s("u1"), null)));
        assertTrue(Keyspace.CATALOG.holds(Keys.table("T")));
        assertFalse(Keyspace.CATALOG.holds(Keys.retiredTable(TABLE)));
        assertFalse(Keyspace.CATALOG.holds(new byte[0]));
    }

    @Test
    void format2NodeStateKeysMoveUnderNodeWithTheirNames() {
        assertEquals("08 00 6D 71 74 74", hex(Keys.fromFormat2(new byte[] {0x05, 0x03, 'm', 'q', 't', 't'})));
        assertEquals(hex(Keys.mqttSession("c")), hex(Keys.fromFormat2(new byte[] {0x05, 0x07, 0x01, 'c'})));
        assertEquals(hex(Keys.mqttBroker()), hex(Keys.fromFormat2(new byte[] {0x05, 0x07, 0x00})));
        assertEquals(2, Keys.format2NodeState().size());
        assertTrue(contains(Keys.format2NodeState().get(0), new byte[] {0x05, 0x03, 'x'}));
        assertTrue(contains(Keys.format2NodeState().get(1), new byte[] {0x05, 0x07, 0x01, 'x'}));
    }

    @Test
    void keyHashIsFnv1a64() {
        assertEquals(0xcbf29ce484222325L, Keys.keyHash(new byte[0]));
        assertEquals(0xaf63dc4c8601ec8cL, Keys.keyHash("a".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    // Scan segments: segment s of n is [ceil(s·2^32/n), ceil((s+1)·2^32/n)).

    private static long segmentStart(long segment, long total) {
        return (segment * TWO_TO_32 + total - 1) / total;
    }

    private static KeyRange segment(long segment, long total) {
        return Keys.hashRange(TABLE, segmentStart(segment, total), segmentStart(segment + 1, total));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 10, 16, 1000, 4096, 1_000_000})
    void segmentsCoverTheTableWithoutGapOrOverlap(int total) {
        KeyRange table = Keys.tableItems(TABLE);
        KeyRange previous = segment(0, total);
        assertEquals("02 00 00 00 00 00 00 00 07 00 00 00 00", hex(previous.start()));
        for (int s = 1; s < total; s++) {
            KeyRange current = segment(s, total);
            assertArrayEquals(previous.end(), current.start(), "segment " + s + " starts where " + (s - 1) + " ends");
            assertTrue(Arrays.compareUnsigned(current.start(), current.end()) < 0, "segment " + s + " is not empty");
            previous = current;
        }
        assertArrayEquals(table.end(), previous.end(), "the last segment ends where the table does");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 7, 1000})
    void keysOnEitherSideOfASegmentBoundaryFallInNeighbouringSegments(int total) {
        for (int s = 1; s < total; s++) {
            long boundary = segmentStart(s, total);
            assertEquals(s - 1, segmentOf(keyWithHash(boundary - 1, "FF FF FF"), total));
            assertEquals(s, segmentOf(keyWithHash(boundary, "00"), total));
        }
        assertEquals(0, segmentOf(keyWithHash(0, "00"), total));
        assertEquals(total - 1, segmentOf(keyWithHash(TWO_TO_32 - 1, "FF FF FF FF"), total));
    }

    @Property
    void everyItemKeyFallsInTheOneSegmentOfItsHash(
            @ForAll("anyKey") AttributeValue pk, @ForAll @IntRange(min = 1, max = 1000) int total) {
        long hash = Integer.toUnsignedLong(Keys.partitionHash(pk));
        long expected = 0;
        while (segmentStart(expected + 1, total) <= hash) {
            expected++;
        }
        assertEquals(expected, segmentOf(Keys.item(TABLE, pk, s("sort")), total));
    }

    /** The single segment that holds {@code key}; fails if none or several do. */
    private static long segmentOf(byte[] key, int total) {
        long found = -1;
        for (int s = 0; s < total; s++) {
            if (contains(segment(s, total), key)) {
                assertEquals(-1, found, "key in two segments");
                found = s;
            }
        }
        assertTrue(found >= 0, "key in no segment");
        return found;
    }

    private static byte[] keyWithHash(long hash, String suffixHex) {
        return Keyspace.ITEMS.key().writeLong(TABLE).writeInt((int) hash).write(bytes(suffixHex)).toByteArray();
    }

    private static boolean contains(KeyRange range, byte[] key) {
        return Arrays.compareUnsigned(range.start(), key) <= 0 && Arrays.compareUnsigned(key, range.end()) < 0;
    }

    @Provide
    Arbitrary<AttributeValue> anyKey() {
        return KeyValues.anyKey();
    }
}
