package io.jormundb.engine.store;

import io.jormundb.engine.codec.Family;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The long-lived RocksDB options of one store, sized from one memory budget ({@code cacheBytes}):
 * one LRU block cache shared by every column family, and a {@link WriteBufferManager} charged to
 * that cache, so memtables, data blocks, index and filter blocks all count against the same bytes
 * and the budget is what RocksDB holds, whatever the number of families.
 *
 * <p>A quarter of the budget goes to memtables; the rest holds blocks. Each family has options of
 * its own:
 * <ul>
 * <li>{@link Family#DATA}: items, indexes, catalog, state. GetItem and every conditional write read
 *     one item by its whole key, often one that does not exist (a PutItem of a new item), so a
 *     10-bit whole-key Bloom filter on every level spares a read per SST file that lacks the key.
 *     A sixteenth of the budget per memtable.</li>
 * <li>{@link Family#CHANGELOG}: change records and the commit log, appended in key order and
 *     trimmed from the start by range deletes. Readers scan it, and fetch record bodies the commit
 *     log names, which always exist: the filter is kept, but not on the last level, which holds
 *     most of the log and where such a get always hits ({@code optimize_filters_for_hits}). Twice
 *     DATA's memtable (a record carries old and new images), and a one-hour compaction TTL, which
 *     pushes files holding range tombstones down to the last level within the hour, where the
 *     records they cover are dropped, instead of when the level happens to fill.</li>
 * <li>{@link Family#LOCAL}: a few cursors and MQTT sessions; small memtables.</li>
 * </ul>
 * The live write-ahead log is held to the memtables' share: beyond it, the family whose unflushed
 * writes are the oldest is flushed.
 * Index and filter blocks live in the cache too (with high priority, and pinned for level 0, the
 * files every read checks), so the budget also bounds them as the database grows.
 * Not thread-safe to build; close once, after the database.
 */
final class StoreOptions implements AutoCloseable {
    /** The share of the cache that high-priority blocks (index and filter) may hold. */
    private static final double HIGH_PRIORITY_SHARE = 0.5;
    /** How old a non-last-level changelog file may get before compaction pushes it down. */
    private static final Duration CHANGELOG_COMPACTION_TTL = Duration.ofHours(1);
    /** The size cap of kept write-ahead log files while a WAL retention is set. */
    private static final long WAL_SIZE_CAP_MB = 1024;

    private final long cacheBytes;
    private final LRUCache cache;
    private final WriteBufferManager writeBuffers;
    private final DBOptions db;
    private final Map<Family, ColumnFamilyOptions> families = new EnumMap<>(Family.class);
    private final WriteOptions write;

    StoreOptions(boolean sync, Duration walRetention, long cacheBytes) {
        if (cacheBytes < CacheSize.MIN_BYTES) {
            throw new IllegalArgumentException("a cache of " + cacheBytes + " bytes is below the minimum of "
                    + CacheSize.MIN_BYTES);
        }
        this.cacheBytes = cacheBytes;
        long memtables = cacheBytes / 4;
        cache = new LRUCache(cacheBytes, -1, false, HIGH_PRIORITY_SHARE);
        writeBuffers = new WriteBufferManager(memtables, cache);
        db = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setMaxBackgroundJobs(2)
                .setWriteBufferManager(writeBuffers)
                // RocksDB keeps every log file since the oldest write not flushed yet: LOCAL, written
                // a little and often (a publisher's cursor), fills its memtable only over hours and
                // held the log to RocksDB's default cap, four times every memtable together (1.7 GB
                // with a 1 GB cache), all replayed at the next start. Past this, the family behind
                // the oldest log file is flushed.
                .setMaxTotalWalSize(memtables)
                .setWalTtlSeconds(walRetention.toSeconds())
                .setWalSizeLimitMB(walRetention.isZero() ? 0 : WAL_SIZE_CAP_MB);
        families.put(Family.DATA, family(memtables / 4, false));
        families.put(Family.CHANGELOG, family(memtables / 2, true)
                .setTtl(CHANGELOG_COMPACTION_TTL.toSeconds()));
        families.put(Family.LOCAL, family(memtables / 16, false));
        write = new WriteOptions().setSync(sync);
    }

    private ColumnFamilyOptions family(long writeBufferBytes, boolean filterMissesOnlyAboveLastLevel) {
        return new ColumnFamilyOptions()
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setWriteBufferSize(writeBufferBytes)
                .setOptimizeFiltersForHits(filterMissesOnlyAboveLastLevel)
                .setTableFormatConfig(new BlockBasedTableConfig()
                        .setBlockCache(cache)
                        .setCacheIndexAndFilterBlocks(true)
                        .setCacheIndexAndFilterBlocksWithHighPriority(true)
                        .setPinL0FilterAndIndexBlocksInCache(true)
                        .setFilterPolicy(new BloomFilter(10, false))
                        .setWholeKeyFiltering(true));
    }

    long cacheBytes() {
        return cacheBytes;
    }

    /** Bytes the cache holds now: blocks and the memtables charged to it. */
    long cacheUsage() {
        return cache.getUsage();
    }

    DBOptions db() {
        return db;
    }

    ColumnFamilyOptions of(Family family) {
        return families.get(family);
    }

    WriteOptions write() {
        return write;
    }

    @Override
    public void close() {
        write.close();
        families.values().forEach(ColumnFamilyOptions::close);
        db.close();
        writeBuffers.close();
        cache.close();
    }
}
