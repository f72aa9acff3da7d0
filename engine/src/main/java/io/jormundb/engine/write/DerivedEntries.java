package io.jormundb.engine.write;

import io.jormundb.engine.catalog.SecondaryIndex;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.codec.ItemCodec;
import io.jormundb.engine.index.IndexEntries;
import io.jormundb.engine.index.IndexEntry;
import io.jormundb.engine.index.TtlEntries;
import io.jormundb.engine.store.Store;
import io.jormundb.engine.value.Bytes;
import io.jormundb.engine.value.Item;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

import java.util.Objects;

/**
 * The secondary index and TTL entries that follow from items, written in the batch of the item
 * change that causes them: the old item's entries come out, the new item's go in, and only what
 * differs is written. Index counts (DynamoDB's IndexSizeBytes and ItemCount) move with the
 * entries, in the head of the item's changelog partition. Used under that partition's lock.
 *
 * <p>An index being backfilled holds only some items' entries: an entry computed from the old item
 * may not exist yet, so its existence is read before it is counted out. Every write after the
 * index was added keeps the entries it touches exact, so an existing entry is always the current
 * item's; the backfill adds only absent ones.
 */
final class DerivedEntries {
    private static final byte[] NO_VALUE = new byte[0];

    private final Store store;

    DerivedEntries(Store store) {
        this.store = store;
    }

    /** Adds the entry changes of {@code oldItem} becoming {@code newItem} to {@code batch}; returns the new head. */
    PartitionHead update(TableDefinition table, byte[] itemKey, Item oldItem, Item newItem, WriteBatch batch,
                         PartitionHead head) throws RocksDBException {
        PartitionHead next = head;
        for (SecondaryIndex index : table.indexes()) {
            IndexEntry before = IndexEntries.ofStored(table, index, oldItem);
            IndexEntry after = IndexEntries.entry(table, index, newItem);
            if (Objects.equals(before, after)) {
                continue;
            }
            if (before != null && index.backfilling() && store.get(before.keyBytes()) == null) {
                before = null;
            }
            if (before != null) {
                if (after == null || !before.key().equals(after.key())) {
                    batch.delete(before.keyBytes());
                }
                next = next.plusIndex(index.id(), -1, -before.value().size());
            }
            if (after != null) {
                batch.put(after.keyBytes(), ItemCodec.encode(after.value()));
                next = next.plusIndex(index.id(), 1, after.value().size());
            }
        }
        Bytes ttlBefore = TtlEntries.entry(table, oldItem, itemKey);
        Bytes ttlAfter = TtlEntries.entry(table, newItem, itemKey);
        if (!Objects.equals(ttlBefore, ttlAfter)) {
            if (ttlBefore != null) {
                batch.delete(ttlBefore.toArray());
            }
            if (ttlAfter != null) {
                batch.put(ttlAfter.toArray(), NO_VALUE);
            }
        }
        return next;
    }

    /**
     * Adds {@code item}'s entry in {@code index} to {@code batch} unless it exists already (then a
     * write since the index was added put it there, for this very item); returns the new head.
     * An item whose index key values are invalid (written before the index existed) stays out of
     * the index, as DynamoDB leaves index key violations out.
     */
    PartitionHead backfillIndex(TableDefinition table, SecondaryIndex index, Item item, WriteBatch batch,
                                PartitionHead head) throws RocksDBException {
        IndexEntry entry = IndexEntries.ofStored(table, index, item);
        if (entry == null || store.get(entry.keyBytes()) != null) {
            return head;
        }
        batch.put(entry.keyBytes(), ItemCodec.encode(entry.value()));
        return head.plusIndex(index.id(), 1, entry.value().size());
    }

    /** Adds {@code item}'s TTL entry (if it has one) to {@code batch}; writing it twice is harmless. */
    void backfillTtl(TableDefinition table, byte[] itemKey, Item item, WriteBatch batch) throws RocksDBException {
        Bytes entry = TtlEntries.entry(table, item, itemKey);
        if (entry != null) {
            batch.put(entry.toArray(), NO_VALUE);
        }
    }
}
