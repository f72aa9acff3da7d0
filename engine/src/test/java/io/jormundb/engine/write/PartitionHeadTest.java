package io.jormundb.engine.write;

import io.jormundb.engine.codec.CorruptDataException;
import io.jormundb.engine.codec.DecoderFuzz;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The stored partition head: golden bytes freeze it, a head of the old (index-less) format still reads. */
class PartitionHeadTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ").withUpperCase();

    @Test
    void aHeadWithIndexCountsHasTheseBytes() {
        TreeMap<Integer, Counts> indexes = new TreeMap<>();
        indexes.put(7, new Counts(2, 300));
        indexes.put(3, new Counts(1, 20));
        PartitionHead head = new PartitionHead(17, new Counts(5, 1000), indexes);
        assertEquals("00 00 00 00 00 00 00 11 00 00 00 00 00 00 00 05 00 00 00 00 00 00 03 E8 "
                + "00 00 00 03 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 14 "
                + "00 00 00 07 00 00 00 00 00 00 00 02 00 00 00 00 00 00 01 2C", HEX.formatHex(head.encode()));
        assertEquals(head, PartitionHead.decode(head.encode()));
    }

    @Test
    void aHeadWrittenBeforeIndexesReadsAsOneWithoutIndexCounts() {
        byte[] old = HEX.parseHex("00 00 00 00 00 00 00 11 00 00 00 00 00 00 00 05 00 00 00 00 00 00 03 E8");
        assertEquals(new PartitionHead(17, new Counts(5, 1000), new TreeMap<>()), PartitionHead.decode(old));
    }

    @Test
    void indexCountsMoveAndGo() {
        PartitionHead head = PartitionHead.EMPTY.plusRecord(1, 40).plusIndex(3, 1, 12).plusIndex(3, 1, 8);
        assertEquals(new Counts(2, 20), head.indexes().get(3));
        assertEquals(1, head.lastSequence());
        assertEquals(List.of(), List.copyOf(head.withoutIndex(3).indexes().keySet()));
    }

    @Test
    void damagedHeadsRaiseCorruptData() {
        assertThrows(CorruptDataException.class, () -> PartitionHead.decode(new byte[30]));
        assertThrows(CorruptDataException.class, () -> PartitionHead.decode(new byte[10]));
        DecoderFuzz.assertDecodesOrRefuses(PartitionHead::decode,
                List.of(new PartitionHead(3, new Counts(1, 2), new TreeMap<>(java.util.Map.of(1, new Counts(1, 1))))
                        .encode()), 20_000);
    }
}
