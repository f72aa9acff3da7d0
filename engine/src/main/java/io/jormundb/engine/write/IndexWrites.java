package io.jormundb.engine.write;

import io.jormundb.engine.catalog.Catalog;
import io.jormundb.engine.catalog.SecondaryIndex;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.codec.ItemCodec;
import io.jormundb.engine.codec.KeyRange;
import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.store.Store;
import io.jormundb.engine.store.StoreException;
import io.jormundb.engine.value.Bytes;
import io.jormundb.engine.value.Item;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The writes that index changes need besides the commits of the {@link WritePath}, under the same
 * partition locks, so that an index or TTL being added ends up exact while writers keep running:
 * <ol>
 *   <li>The new definition (index CREATING, TTL ENABLING) is published first; from then on every
 *       commit maintains the new entries, because a writer reads the definition under its locks.</li>
 *   <li>{@link #barrier} takes every partition lock of the table once, so writers that read the
 *       older definition have committed: whatever they wrote is visible to what reads next.</li>
 *   <li>{@link #backfill} then walks the table in small steps: for each step it reads a few item
 *       keys, and under each partition's lock re-reads those items and adds their missing entries.
 *       An item changed concurrently is re-read after the change, an item inserted after the
 *       barrier was indexed by its writer, so no write is lost or overwritten with stale data,
 *       and no writer waits for more than one step of one partition.</li>
 * </ol>
 * Removing an index (or TTL) is {@link #drop}: one batch under all the table's partition locks
 * deletes its entries as a range, drops its counts from the partition heads and writes the new
 * definition. Thread-safe.
 */
public final class IndexWrites {
    private final WritePath writePath;
    private final Store store;
    private final Catalog catalog;

    public IndexWrites(WritePath writePath) {
        this.writePath = writePath;
        this.store = writePath.store();
        this.catalog = writePath.catalog();
    }

    /** What a backfill fills: the entries of one secondary index, or the TTL index. */
    public sealed interface Target {
        /** Whether {@code table} (its current definition) still wants this target filled. */
        boolean pending(TableDefinition table);

        /** A secondary index being created, by id (ids are never reused). */
        record Index(int indexId) implements Target {
            @Override
            public boolean pending(TableDefinition table) {
                return table.index(indexId).map(SecondaryIndex::backfilling).orElse(false);
            }
        }

        /** The TTL index of a TTL being enabled on {@code attributeName}. */
        record Ttl(String attributeName) implements Target {
            @Override
            public boolean pending(TableDefinition table) {
                return table.timeToLive() != null && table.timeToLive().backfilling()
                        && table.timeToLive().attributeName().equals(attributeName);
            }
        }
    }

    /** How one {@link #backfill} step ended. */
    public sealed interface Step {
        /** Items remain from {@code next} on; {@code items} were visited. */
        record More(Bytes next, int items) implements Step {
        }

        /** The whole table was visited; {@code items} in this last step. */
        record Done(int items) implements Step {
        }

        /** The table or the target is gone (deleted, disabled): nothing more to do. */
        record Obsolete() implements Step {
        }
    }

    /**
     * Waits until every writer of {@code table} that might have read its definition before now
     * has committed, by taking each of its partition locks once, in the global order.
     */
    public void barrier(TableDefinition table) {
        for (PartitionState state : writePath.livePartitions(table)) {
            state.lock.lock();
            state.lock.unlock();
        }
    }

    /**
     * Fills {@code target} for up to {@code maxItems} items of {@code table} from item key
     * {@code from} on ({@code null}: the first). Call it after {@link #barrier}, with the
     * {@code next} of the previous step, until it is done or obsolete.
     */
    public Step backfill(TableDefinition table, Target target, Bytes from, int maxItems) {
        KeyRange tableRange = Keys.tableItems(table.id());
        List<byte[]> keys = new ArrayList<>(maxItems);
        try (Store.Cursor cursor = store.cursor(new KeyRange(from == null ? tableRange.start() : from.toArray(),
                tableRange.end()))) {
            for (cursor.seekFirst(); cursor.valid() && keys.size() < maxItems; cursor.next()) {
                keys.add(cursor.key());
            }
            cursor.check();
        }
        PartitionState[] states;
        try {
            states = writePath.livePartitions(table);
        } catch (DynamoException gone) {
            return new Step.Obsolete();
        }
        Map<Integer, List<byte[]>> byPartition = new TreeMap<>();
        for (byte[] key : keys) {
            byPartition.computeIfAbsent(Keys.changelogPartitionOfItem(key, states.length), p -> new ArrayList<>())
                    .add(key);
        }
        for (Map.Entry<Integer, List<byte[]>> e : byPartition.entrySet()) {
            if (!fill(states[e.getKey()], table.id(), target, e.getValue())) {
                return new Step.Obsolete();
            }
        }
        if (keys.size() < maxItems) {
            return new Step.Done(keys.size());
        }
        byte[] last = keys.getLast();
        return new Step.More(Bytes.wrap(Arrays.copyOf(last, last.length + 1)), keys.size());
    }

    /** Fills {@code target} for the items under {@code keys} of one partition; false when it is obsolete. */
    private boolean fill(PartitionState state, long tableId, Target target, List<byte[]> keys) {
        state.lock.lock();
        try (WriteBatch batch = new WriteBatch()) {
            TableDefinition current = catalog.byId(tableId).orElse(null);
            if (current == null || !target.pending(current)) {
                return false;
            }
            PartitionHead head = state.head;
            for (byte[] key : keys) {
                byte[] stored = store.get(key);
                if (stored == null) {
                    continue;
                }
                Item item = ItemCodec.decode(stored);
                switch (target) {
                    case Target.Index index -> head = writePath.derived().backfillIndex(current,
                            current.index(index.indexId()).orElseThrow(), item, batch, head);
                    case Target.Ttl ignored -> writePath.derived().backfillTtl(current, key, item, batch);
                }
            }
            if (head != state.head) {
                batch.put(Keys.partitionHead(state.tableId, state.partition), head.encode());
            }
            if (batch.count() > 0) {
                store.write(batch);
                state.head = head;
            }
            return true;
        } catch (RocksDBException e) {
            throw new StoreException("cannot build backfill batch: " + e.getMessage(), e);
        } finally {
            state.lock.unlock();
        }
    }

    /**
     * Removes a secondary index ({@code indexId}) or the TTL index ({@code indexId} null) of
     * {@code table}: with every partition lock held, one batch deletes its entries and, for an
     * index, its counts in the partition heads, and writes the definition {@code change} gives
     * (which may refuse, writing nothing). Returns the new definition.
     */
    public TableDefinition drop(TableDefinition table, Integer indexId, Catalog.Change change) {
        PartitionState[] states = writePath.livePartitions(table);
        for (PartitionState state : states) {
            state.lock.lock();
        }
        try (WriteBatch batch = new WriteBatch()) {
            KeyRange entries = indexId == null ? Keys.tableTtl(table.id()) : Keys.indexEntries(table.id(), indexId);
            batch.deleteRange(entries.start(), entries.end());
            Map<PartitionState, PartitionHead> heads = new IdentityHashMap<>();
            for (PartitionState state : states) {
                if (indexId != null && state.head.indexes().containsKey(indexId)) {
                    PartitionHead head = state.head.withoutIndex(indexId);
                    batch.put(Keys.partitionHead(state.tableId, state.partition), head.encode());
                    heads.put(state, head);
                }
            }
            TableDefinition updated = catalog.change(table, change, batch);
            heads.forEach((state, head) -> state.head = head);
            return updated;
        } catch (RocksDBException e) {
            throw new StoreException("cannot build index removal batch: " + e.getMessage(), e);
        } finally {
            for (int i = states.length - 1; i >= 0; i--) {
                states[i].lock.unlock();
            }
        }
    }
}
