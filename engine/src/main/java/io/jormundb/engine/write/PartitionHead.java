package io.jormundb.engine.write;

import io.jormundb.engine.codec.ByteReader;
import io.jormundb.engine.codec.ByteWriter;
import io.jormundb.engine.codec.CorruptDataException;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a changelog partition's head holds, as persisted under {@code Keys.partitionHead} in the
 * batch of every commit to the partition: its last sequence, the items whose partition key
 * hashes to it and their size, and the same counts for each secondary index of the table (of the
 * entries of those items). Stored big-endian as
 * <pre>
 *   lastSequence(8) itemCount(8) sizeBytes(8) { indexId(4) itemCount(8) sizeBytes(8) }*
 * </pre>
 * indexes in ascending id, none for a table without indexes (so a head written before indexes
 * existed reads as one with none).
 */
record PartitionHead(long lastSequence, Counts items, SortedMap<Integer, Counts> indexes) {
    static final PartitionHead EMPTY = new PartitionHead(0, Counts.ZERO, new TreeMap<>());
    private static final int INDEX_BYTES = 4 + 8 + 8;

    PartitionHead {
        indexes = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(indexes));
    }

    byte[] encode() {
        ByteWriter out = new ByteWriter(24 + INDEX_BYTES * indexes.size())
                .writeLong(lastSequence).writeLong(items.itemCount()).writeLong(items.sizeBytes());
        for (Map.Entry<Integer, Counts> e : indexes.entrySet()) {
            out.writeInt(e.getKey()).writeLong(e.getValue().itemCount()).writeLong(e.getValue().sizeBytes());
        }
        return out.toByteArray();
    }

    static PartitionHead decode(byte[] bytes) {
        ByteReader in = new ByteReader(bytes);
        long sequence = in.readLong();
        Counts items = new Counts(in.readLong(), in.readLong());
        if ((bytes.length - 24) % INDEX_BYTES != 0) {
            throw new CorruptDataException("partition head of " + bytes.length + " bytes");
        }
        SortedMap<Integer, Counts> indexes = new TreeMap<>();
        while (in.hasRemaining()) {
            indexes.put(in.readInt(), new Counts(in.readLong(), in.readLong()));
        }
        return new PartitionHead(sequence, items, indexes);
    }

    /** This head with the counts of index {@code indexId} changed by the given deltas. */
    PartitionHead plusIndex(int indexId, long itemDelta, long bytesDelta) {
        SortedMap<Integer, Counts> next = new TreeMap<>(indexes);
        next.put(indexId, next.getOrDefault(indexId, Counts.ZERO).plus(itemDelta, bytesDelta));
        return new PartitionHead(lastSequence, items, next);
    }

    /** This head without counts for index {@code indexId} (a deleted index). */
    PartitionHead withoutIndex(int indexId) {
        SortedMap<Integer, Counts> next = new TreeMap<>(indexes);
        next.remove(indexId);
        return new PartitionHead(lastSequence, items, next);
    }

    /** This head after one more change record that changed the items by the given deltas. */
    PartitionHead plusRecord(long itemDelta, long bytesDelta) {
        return new PartitionHead(lastSequence + 1, items.plus(itemDelta, bytesDelta), indexes);
    }
}
