package io.jormundb.engine.store;

import io.jormundb.engine.codec.Family;
import io.jormundb.engine.codec.KeyRange;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;

/**
 * Moves a key range from the column family that held it to the one its keyspace names now: the
 * one place that names a family, for a storage format step. The step copies (in batches of about
 * {@link #CHUNK_BYTES}, so a log of any size fits in memory), then drops the old copy and marks
 * the new format in one batch of its own, then compacts the old range to free its space. Every
 * write is {@linkplain Store#unshippedBatch() unshipped}: each node moves its own keys.
 *
 * <p>Restartable: the copy first clears the target range, so a copy cut short by a crash (the
 * directory still has the old format mark) is simply done again from the start.
 */
public final class FamilyMove {
    /** The size of one copy batch. */
    static final long CHUNK_BYTES = 16L << 20;

    private final Store store;
    private final Family from;

    /** A move out of {@code from}, in {@code store}. */
    public FamilyMove(Store store, Family from) {
        this.store = store;
        this.from = from;
    }

    /**
     * Copies every key of {@code range} from the old family into the family its keyspace names,
     * after clearing that range there; returns how many keys it copied.
     */
    public long copy(KeyRange range) {
        long copied = 0;
        store.enter();
        try (Slice lower = new Slice(range.start());
             Slice upper = new Slice(range.end());
             ReadOptions bounds = new ReadOptions().setIterateLowerBound(lower).setIterateUpperBound(upper);
             RocksIterator source = store.db().newIterator(store.handle(from), bounds)) {
            WriteBatch batch = Store.unshippedBatch();
            try {
                batch.deleteRange(store.handle(range.start()), range.start(), range.end());
                for (source.seek(range.start()); source.isValid(); source.next()) {
                    byte[] key = source.key();
                    batch.put(store.handle(key), key, source.value());
                    copied++;
                    if (batch.getDataSize() >= CHUNK_BYTES) {
                        store.db().write(store.writeOptions(), batch);
                        batch.close();
                        batch = Store.unshippedBatch();
                    }
                }
                source.status();
                store.db().write(store.writeOptions(), batch);
            } finally {
                batch.close();
            }
            return copied;
        } catch (RocksDBException e) {
            throw new StoreException("cannot copy " + range + " out of column family " + from.columnFamilyName()
                    + " after " + copied + " keys: " + e.getMessage(), e);
        } finally {
            store.exit();
        }
    }

    /** Adds a delete of {@code range} in the old family to {@code batch}. */
    public void drop(WriteBatch batch, KeyRange range) {
        store.enter();
        try {
            batch.deleteRange(store.handle(from), range.start(), range.end());
        } catch (RocksDBException e) {
            throw new StoreException("cannot build write batch: " + e.getMessage(), e);
        } finally {
            store.exit();
        }
    }

    /** Compacts {@code range} of the old family, which frees the space of the keys dropped there now. */
    public void compact(KeyRange range) {
        store.enter();
        try {
            store.db().compactRange(store.handle(from), range.start(), range.end());
        } catch (RocksDBException e) {
            throw new StoreException("cannot compact " + range + " in column family " + from.columnFamilyName()
                    + ": " + e.getMessage(), e);
        } finally {
            store.exit();
        }
    }
}
