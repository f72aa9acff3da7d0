package io.jormundb.streams.log;

import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.changelog.ChangeRecord;
import io.jormundb.engine.changelog.ChangeRecordCodec;
import io.jormundb.engine.codec.KeyRange;
import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.store.Store;
import io.jormundb.engine.store.StoreException;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the durable changelog that the write path appends: records per (table, partition) in
 * sequence order, the head (last sequence) and the trim horizon (last sequence no longer
 * kept), and trims old records. Thread-safe; reads never block writers.
 */
public final class Changelog {
    private final Engine engine;
    /** Per table id: the last trimmed sequence of each partition, found lazily from RocksDB. */
    private final ConcurrentHashMap<Long, long[]> trimmed = new ConcurrentHashMap<>();

    public Changelog(Engine engine) {
        this.engine = engine;
    }

    public Engine engine() {
        return engine;
    }

    /** Records of one partition with sequence in {@code (after, upTo]}, at most {@code max}. */
    public List<ChangeRecord> read(TableDefinition table, int partition, long after, long upTo, int max) {
        List<ChangeRecord> out = new ArrayList<>(Math.min(max, 64));
        if (upTo <= after) {
            return out;
        }
        KeyRange range = new KeyRange(Keys.changelog(table.id(), partition, after + 1),
                Keys.changelog(table.id(), partition, upTo + 1));
        try (Store.Cursor cursor = engine.store().cursor(range)) {
            for (cursor.seekFirst(); cursor.valid() && out.size() < max; cursor.next()) {
                out.add(ChangeRecordCodec.decode(cursor.value()));
            }
            cursor.check();
        }
        return out;
    }

    /** The last committed sequence of each partition. */
    public long[] heads(TableDefinition table) {
        long[] heads = new long[table.changelogPartitions()];
        for (int p = 0; p < heads.length; p++) {
            heads[p] = engine.writePath().head(table, p);
        }
        return heads;
    }

    /**
     * The trim horizon: per partition, the last sequence that is no longer kept (0 when nothing
     * was trimmed). Reading after it loses nothing; reading after anything lower would.
     */
    public long[] horizon(TableDefinition table) {
        return trimmed.computeIfAbsent(table.id(), id -> findHorizon(table)).clone();
    }

    private long[] findHorizon(TableDefinition table) {
        long[] horizon = new long[table.changelogPartitions()];
        for (int p = 0; p < horizon.length; p++) {
            long head = engine.writePath().head(table, p);
            long[] first = {head + 1};
            engine.store().forEach(Keys.changelogPartition(table.id(), p), (key, value) -> {
                first[0] = Keys.changelogSequence(key);
                return false;
            });
            horizon[p] = first[0] - 1;
        }
        return horizon;
    }

    /**
     * Deletes the records of {@code table} created before {@code cutoffMillis}, partition by
     * partition, without taking any writer's lock. Returns how many records were removed.
     */
    public long trim(TableDefinition table, long cutoffMillis) {
        long[] horizon = horizon(table);
        long removed = 0;
        for (int p = 0; p < horizon.length; p++) {
            long head = engine.writePath().head(table, p);
            long[] keep = {horizon[p] + 1};
            KeyRange partition = Keys.changelogPartition(table.id(), p);
            engine.store().forEach(new KeyRange(Keys.changelog(table.id(), p, horizon[p] + 1), partition.end()),
                    (key, value) -> {
                        long seq = Keys.changelogSequence(key);
                        if (ChangeRecordCodec.creationTimeMillis(value) >= cutoffMillis || seq > head) {
                            keep[0] = seq;
                            return false;
                        }
                        keep[0] = seq + 1;
                        return true;
                    });
            if (keep[0] > horizon[p] + 1) {
                try (WriteBatch batch = new WriteBatch()) {
                    batch.deleteRange(Keys.changelog(table.id(), p, horizon[p] + 1), Keys.changelog(table.id(), p, keep[0]));
                    engine.store().write(batch);
                } catch (RocksDBException e) {
                    throw new StoreException("cannot trim changelog: " + e.getMessage(), e);
                }
                removed += keep[0] - 1 - horizon[p];
                long newHorizon = keep[0] - 1;
                int partitionIndex = p;
                trimmed.computeIfPresent(table.id(), (id, h) -> {
                    h[partitionIndex] = Math.max(h[partitionIndex], newHorizon);
                    return h;
                });
            }
        }
        return removed;
    }

    /** Forgets what it knew of a deleted table. */
    public void forget(long tableId) {
        trimmed.remove(tableId);
    }
}
