package io.jormundb.engine.replication;

import io.jormundb.engine.store.Store;
import io.jormundb.engine.store.StoreException;
import org.rocksdb.WriteBatch;

import java.util.ArrayList;
import java.util.List;

/**
 * The leader's side of shipping: reads its write-ahead log (RocksDB's {@code getUpdatesSince})
 * from a follower's place, as {@link WalBatch}es stripped of node-local operations. The log keeps
 * its files as long as the store was opened to retain them ({@code --wal-retention}); a follower
 * whose place is older than the oldest kept batch gets {@link Read.Trimmed} and must bootstrap
 * from a checkpoint. Thread-safe (each read is its own log iterator).
 */
public final class Wal {
    /** What a read of the log found. */
    public sealed interface Read {
        /** The batches from the place asked for, in order; {@code next} is where the following read starts. */
        record Batches(List<WalBatch> batches, long next) implements Read {
            public Batches {
                batches = List.copyOf(batches);
            }
        }

        /** The log no longer holds the place asked for. */
        record Trimmed(long from) implements Read {
        }

        /** The place asked for lies after the end of the log: the follower copies another database. */
        record Ahead(long from, long latest) implements Read {
        }
    }

    private final Store store;

    public Wal(Store store) {
        this.store = store;
    }

    /** The first sequence number the next write will take. */
    public long next() {
        return store.latestSequence() + 1;
    }

    /**
     * The batches from sequence {@code from} (the first sequence of a batch, or {@link #next()}),
     * at most {@code maxBatches} of them and about {@code maxBytes} of operations.
     */
    public Read read(long from, int maxBatches, long maxBytes) {
        long latest = store.latestSequence();
        if (from > latest + 1) {
            return new Read.Ahead(from, latest);
        }
        List<WalBatch> batches = new ArrayList<>();
        if (from == latest + 1) {
            return new Read.Batches(batches, from);
        }
        long[] next = {from};
        long[] bytes = {0};
        boolean[] gap = {false};
        try {
            store.readWal(from, (sequence, batch) -> {
                long after = sequence + batch.count();
                if (after <= next[0]) {
                    return true;
                }
                if (sequence > next[0]) {
                    gap[0] = true;
                    return false;
                }
                WalBatch shipped = strip(sequence, after, batch);
                batches.add(shipped);
                bytes[0] += shipped.operationBytes();
                next[0] = after;
                return batches.size() < maxBatches && bytes[0] < maxBytes;
            });
        } catch (StoreException e) {
            if (batches.isEmpty()) {
                return new Read.Trimmed(from);
            }
        }
        if (gap[0] && batches.isEmpty()) {
            return new Read.Trimmed(from);
        }
        return new Read.Batches(batches, next[0]);
    }

    private WalBatch strip(long sequence, long after, WriteBatch batch) throws org.rocksdb.RocksDBException {
        try (WriteBatch shipped = new WriteBatch(); ShippedCopy copy = new ShippedCopy(store, shipped, key -> { })) {
            batch.iterate(copy);
            return new WalBatch(sequence, after, copy.copied() == 0 ? new byte[0] : shipped.data());
        }
    }
}
