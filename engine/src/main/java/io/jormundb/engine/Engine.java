package io.jormundb.engine;

import io.jormundb.engine.catalog.Catalog;
import io.jormundb.engine.changelog.CommitVersions;
import io.jormundb.engine.changelog.LeaderEpoch;
import io.jormundb.engine.changelog.LogEntryCodec;
import io.jormundb.engine.changelog.Position;
import io.jormundb.engine.codec.ByteReader;
import io.jormundb.engine.codec.ByteWriter;
import io.jormundb.engine.codec.Family;
import io.jormundb.engine.codec.KeyRange;
import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.codec.Keyspace;
import io.jormundb.engine.indexing.Indexing;
import io.jormundb.engine.items.Items;
import io.jormundb.engine.replication.Following;
import io.jormundb.engine.replication.NodeId;
import io.jormundb.engine.store.CacheSize;
import io.jormundb.engine.store.FamilyMove;
import io.jormundb.engine.store.FileErrors;
import io.jormundb.engine.store.Store;
import io.jormundb.engine.store.StoreException;
import io.jormundb.engine.ttl.Expirer;
import io.jormundb.engine.write.IndexWrites;
import io.jormundb.engine.write.WritePath;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The engine as one object: the store, the catalog, the write path and item operations over
 * them, index and TTL maintenance, opened together from a data directory and closed together.
 */
public final class Engine implements AutoCloseable {
    /**
     * The storage format this engine writes and reads (4: the changelog in its own column family;
     * 3, node-local state in its own family, and 2, the changelog in one commit order, are
     * upgraded to it on open).
     */
    public static final int FORMAT = 4;
    /** The format before the node-local column family, which {@link #checkFormat} upgrades. */
    private static final int FORMAT_SHARED_STATE = 2;
    /** The format before the changelog's column family, which {@link #checkFormat} upgrades. */
    private static final int FORMAT_SHARED_CHANGELOG = 3;
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final Store store;
    private final Catalog catalog;
    private final WritePath writePath;
    private final Items items;
    private final Clock clock;
    private final Indexing indexing;
    private final Expirer expirer;

    private Engine(Store store, Catalog catalog, WritePath writePath, Clock clock) {
        this.store = store;
        this.catalog = catalog;
        this.writePath = writePath;
        this.items = new Items(store, writePath);
        this.clock = clock;
        this.indexing = new Indexing(catalog, new IndexWrites(writePath));
        this.expirer = new Expirer(store, catalog, writePath, clock);
    }

    /**
     * Opens the engine on {@code dataDir}, with the {@linkplain CacheSize#defaultBytes() default}
     * memory budget.
     *
     * @param defaultChangelogPartitions changelog partitions of tables created without their own
     * @param sync                       fsync the WAL on every write
     * @throws io.jormundb.engine.store.StoreLockedException when another server uses the directory
     */
    public static Engine open(Path dataDir, int defaultChangelogPartitions, boolean sync, Clock clock) {
        return open(dataDir, defaultChangelogPartitions, sync, Duration.ZERO, CacheSize.defaultBytes(), false,
                clock);
    }

    /**
     * {@link #open(Path, int, boolean, Clock)} for a replicating server.
     *
     * @param walRetention how long a leader keeps write-ahead log files for its followers
     * @param cacheBytes   the memory RocksDB's block cache and memtables share
     * @param follower     a follower's engine: it resumes no index backfill (its leader's
     *                     batches bring their effects), and its commit frontier starts where its
     *                     recorded {@link Following place} says (not at its last log entry: the
     *                     leader may have committed a later version before an earlier one
     *                     arrived) and moves by {@link CommitVersions#follow}, not by writers
     */
    public static Engine open(Path dataDir, int defaultChangelogPartitions, boolean sync, Duration walRetention,
                              long cacheBytes, boolean follower, Clock clock) {
        Store store = Store.open(dataDir, sync, walRetention, cacheBytes);
        try {
            checkFormat(store);
            Catalog catalog = new Catalog(store, defaultChangelogPartitions, clock);
            Following following = Following.of(store);
            CommitVersions versions = !follower || following == null ? recoverVersions(store, catalog)
                    : new CommitVersions(following.frontier().version(), following.frontier().lastEntry());
            Path copyMarker = dataDir.resolve(NodeId.COPY_MARKER);
            boolean copy = Files.exists(copyMarker);
            if (!follower && (following != null || copy)) {
                versions = newEpoch(store, versions, copy ? copyMarker : null, clock);
            }
            Engine engine = new Engine(store, catalog, new WritePath(store, catalog, versions, clock), clock);
            if (!follower) {
                engine.indexing.resume();
            }
            return engine;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Marks a new data directory with {@link #FORMAT}, or checks the mark of an existing one,
     * upgrading formats 2 and 3 step by step. A directory written before the commit-version
     * changelog (format 1, unmarked) is refused: its changelog cannot be read as one commit order.
     */
    private static void checkFormat(Store store) {
        byte[] mark = store.get(Keys.format());
        if (mark != null) {
            int format = new ByteReader(mark).readVarInt();
            if (format == FORMAT_SHARED_STATE) {
                moveNodeState(store);
                format = FORMAT_SHARED_CHANGELOG;
            }
            if (format == FORMAT_SHARED_CHANGELOG) {
                moveChangelog(store);
                format = FORMAT;
            }
            if (format != FORMAT) {
                throw new StoreException("data directory " + store.dataDir().toAbsolutePath() + " holds storage format "
                        + format + "; this JormunDB reads format " + FORMAT);
            }
            return;
        }
        boolean empty;
        try (Store.Cursor cursor = store.cursor(new KeyRange(new byte[] {0}, new byte[] {(byte) 0xFF}))) {
            cursor.seekFirst();
            empty = !cursor.valid();
        }
        if (!empty) {
            throw new StoreException("data directory " + store.dataDir().toAbsolutePath() + " was written by an "
                    + "earlier JormunDB (storage format 1, before the database-wide commit version); this one reads "
                    + "format " + FORMAT + ": start it on a new --data-dir");
        }
        try (WriteBatch batch = new WriteBatch()) {
            batch.put(Keys.format(), formatMark(FORMAT));
            store.write(batch);
        } catch (RocksDBException e) {
            throw new StoreException("cannot mark the storage format: " + e.getMessage(), e);
        }
    }

    private static byte[] formatMark(int format) {
        return new ByteWriter(2).writeVarInt(format).toByteArray();
    }

    /**
     * Upgrades a directory of storage format 2: moves its reader cursors and MQTT state from the
     * shared STATE keyspace to this node's own (NODE, in the {@code local} column family) and
     * marks format 3, all in one batch, so a crash leaves format 2 or format 3 and nothing between.
     * (Shipped to followers as it is: its removals from STATE are what a follower's own step did.)
     */
    private static void moveNodeState(Store store) {
        try (WriteBatch batch = new WriteBatch()) {
            for (KeyRange range : Keys.format2NodeState()) {
                store.forEach(range, (key, value) -> {
                    store.put(batch, Keys.fromFormat2(key), value);
                    store.delete(batch, key);
                    return true;
                });
            }
            batch.put(Keys.format(), formatMark(FORMAT_SHARED_CHANGELOG));
            store.write(batch);
        } catch (RocksDBException e) {
            throw new StoreException("cannot upgrade the storage format: " + e.getMessage(), e);
        }
    }

    /**
     * Upgrades a directory of storage format 3: moves the changelog keyspaces from the default
     * column family to the changelog's own, in three phases, each announced with a log line (a
     * big log takes a while): copy them (in chunks; a crash before the next phase leaves format
     * 3, and the next start copies again from the start), then drop the old copy and mark format
     * 4 in one batch, then compact the old range to free its space. Followers are shipped none of
     * it: each moves its own keys when it opens its directory.
     */
    private static void moveChangelog(Store store) {
        List<KeyRange> ranges = Arrays.stream(Keyspace.values()).filter(k -> k.family() == Family.CHANGELOG)
                .map(Keyspace::range).toList();
        FamilyMove move = new FamilyMove(store, Family.DATA);
        long start = System.nanoTime();
        LOG.info("storage format 3 to 4 (1/3): copying the changelog into its own column family");
        long copied = ranges.stream().mapToLong(move::copy).sum();
        LOG.info("storage format 3 to 4 (2/3): copied {} changelog keys in {} ms; dropping the old copy", copied,
                (System.nanoTime() - start) / 1_000_000);
        try (WriteBatch batch = Store.unshippedBatch()) {
            ranges.forEach(range -> move.drop(batch, range));
            store.put(batch, Keys.format(), formatMark(FORMAT));
            store.write(batch);
        }
        LOG.info("storage format 3 to 4 (3/3): format 4 marked; compacting the old copy away");
        ranges.forEach(move::compact);
        LOG.info("storage format 3 to 4: done in {} ms", (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * The commit version counter where the changelog left it: its last entry or its last trimmed
     * one, unless the catalog records a later stream boundary (a version that appended nothing)
     * or the current leader epoch starts above both ({@link #newEpoch}).
     */
    private static CommitVersions recoverVersions(Store store, Catalog catalog) {
        Position last = LogEntryCodec.decodeTrimMark(store.get(Keys.trimMark())).position();
        try (Store.Cursor cursor = store.cursor(Keyspace.COMMIT_LOG.range())) {
            cursor.seekLast();
            if (cursor.valid()) {
                last = Position.max(last, Keys.positionOf(cursor.key()));
            }
            cursor.check();
        }
        Position floor = new Position(LeaderEpoch.of(store).floor(), 0);
        return new CommitVersions(Math.max(Math.max(last.version(), catalog.lastStreamBoundary().version()),
                floor.version()), Position.max(last, floor));
    }

    /**
     * Starts a leader epoch: this leader's log was written up to here by another node — it was a
     * follower (its place is dropped: it follows nobody now) or it is a checkpoint's copy (its
     * {@code copyMarker}, {@code null} when there is none: it drops the node id it copied, so
     * that {@link NodeId#of} makes it one of its own, then the marker) — which may have taken later versions than this
     * copy holds (acknowledged and never shipped here). Its versions go on above a new
     * {@linkplain LeaderEpoch epoch's} floor (taken from {@code clock}), which is recorded (and
     * shipped to its followers) in the same write, and the frontier's last entry is the floor's
     * position: a resume token, a sequence number or a cursor of the former leader's lies before
     * it and resumes with this leader's first change, never after some. (A crash before the
     * marker is gone starts one more epoch at the next start: a gap in versions, no harm.)
     */
    private static CommitVersions newEpoch(Store store, CommitVersions versions, Path copyMarker, Clock clock) {
        LeaderEpoch epoch = LeaderEpoch.after(versions.frontier().version(), clock.instant());
        try (WriteBatch batch = new WriteBatch()) {
            store.put(batch, Keys.leaderEpoch(), epoch.encode());
            store.delete(batch, Keys.following());
            if (copyMarker != null) {
                store.delete(batch, Keys.nodeId());
            }
            store.write(batch);
        }
        if (copyMarker != null) {
            try {
                Files.deleteIfExists(copyMarker);
            } catch (IOException e) {
                throw new StoreException("cannot remove " + copyMarker + ": " + FileErrors.reason(e), e);
            }
        }
        LOG.info("leader epoch: this server leads a log another node led up to version {} (it was a follower, or its "
                + "directory is a checkpoint's copy); its commit versions go on from {}", epoch.lastBefore(),
                epoch.floor() + 1);
        long floor = epoch.floor();
        return new CommitVersions(floor, Position.max(versions.frontier().lastEntry(), new Position(floor, 0)));
    }

    public Store store() {
        return store;
    }

    public Catalog catalog() {
        return catalog;
    }

    public WritePath writePath() {
        return writePath;
    }

    public Items items() {
        return items;
    }

    public Clock clock() {
        return clock;
    }

    /** Adding and removing global secondary indexes and TTL, with their backfills. */
    public Indexing indexing() {
        return indexing;
    }

    /** The TTL expirer; the server starts it with its interval. */
    public Expirer expirer() {
        return expirer;
    }

    /** Stops the expirer and the backfills, then closes RocksDB. */
    @Override
    public void close() {
        try {
            expirer.close();
            indexing.close();
        } finally {
            store.close();
        }
    }
}
