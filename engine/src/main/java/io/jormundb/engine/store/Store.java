package io.jormundb.engine.store;

import io.jormundb.engine.codec.Family;
import io.jormundb.engine.codec.KeyRange;
import io.jormundb.engine.codec.Keys;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;
import org.rocksdb.TransactionLogIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The one RocksDB instance and its long-lived options. Thread-safe: RocksDB serialises what it
 * must. Everything durable lives here (see the codec package for the key space); the WAL is on,
 * and with {@code sync} every write is fsynced before it returns.
 *
 * <p>Faults that pass. When a write fails for a cause that passes (a full disk, no file
 * descriptors left, an I/O error: see {@link Fault}), RocksDB stops writing for good — a
 * background error that its {@code Resume} (not in RocksJava) clears only for some causes. The
 * store then marks itself {@linkplain #unavailable() unavailable}: every write fails at once with
 * a {@link StoreUnavailableException} naming the cause, reads go on. Every {@link #RECOVERY_INTERVAL}
 * a recovery thread checks whether the cause is gone (it can open and fill a file of
 * {@link #PROBE_BYTES} in the database directory) and, once it is, closes RocksDB and opens it
 * again, which replays its write-ahead log: every acknowledged write is there, since a failed
 * write is never acknowledged. Then writes are served again, without a restart.
 *
 * <p>Each keyspace lives in one column {@link Family}; reads find the family of a key (or of a
 * range's start) by its keyspace byte, so callers never name one. A {@code WriteBatch}'s own
 * {@code put}/{@code delete} write the default family ({@link Family#DATA}); a key of another
 * family is added with {@link #put}/{@link #delete}, which route by keyspace. The families' options
 * and the one memory budget they share are {@link StoreOptions}'.
 */
public final class Store implements AutoCloseable {
    /** The directory RocksDB writes a checkpoint into before it renames it {@code db}. */
    private static final String CHECKPOINT_UNDER_WAY = "db.tmp";

    static {
        NativeLibrary.load();
    }

    /** How often the recovery thread checks whether a fault's cause is gone. */
    public static final Duration RECOVERY_INTERVAL = Duration.ofSeconds(1);
    /** The size of the file the recovery check writes: room for RocksDB to go on. */
    static final int PROBE_BYTES = 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(Store.class);
    /** The log data that opens an {@linkplain #unshippedBatch() unshipped} batch. */
    private static final byte[] UNSHIPPED = "jormundb:unshipped".getBytes(StandardCharsets.US_ASCII);

    private final Path dataDir;
    private final Path dbDir;
    private final StoreOptions options;
    /**
     * The open database and its column families; replaced (and {@code null} while it cannot be
     * reopened) only under the write side of {@link #closeLock}.
     */
    private volatile RocksDB db;
    private volatile Map<Family, ColumnFamilyHandle> families;
    /**
     * Readers and writers hold the read side for the length of each call (a cursor for its
     * lifetime); {@link #close} and a recovery's reopen take the write side, so RocksDB is never
     * closed under a caller (that crashes the JVM), and every call after close fails with a StoreException.
     */
    private final ReentrantReadWriteLock closeLock = new ReentrantReadWriteLock();
    private boolean closed;
    /** Why writes are refused now, or {@code null} while they are served. */
    private volatile String unavailable;
    private final ScheduledExecutorService recovery = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "store-recovery");
        t.setDaemon(true);
        return t;
    });
    /** Guards nothing but {@link #written}, which wakes the readers of the WAL ({@link #awaitWriteAfter}). */
    private final ReentrantLock writeSignal = new ReentrantLock();
    private final Condition written = writeSignal.newCondition();
    /** How many threads wait in {@link #awaitWriteAfter}; writers signal only when some do. */
    private volatile int walWaiters;

    private Store(Path dataDir, Path dbDir, StoreOptions options, Opened opened) {
        this.dataDir = dataDir;
        this.dbDir = dbDir;
        this.options = options;
        this.db = opened.db();
        this.families = opened.families();
        long millis = RECOVERY_INTERVAL.toMillis();
        recovery.scheduleWithFixedDelay(this::recover, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Opens (creating if needed) the database in {@code dataDir}, with every {@link Family}
     * (created when missing: a directory of an older storage format lacks some), the
     * {@linkplain CacheSize#defaultBytes() default} memory budget, and without keeping write-ahead log
     * files once flushed.
     *
     * @throws StoreLockedException when another process holds the directory
     */
    public static Store open(Path dataDir, boolean sync) {
        return open(dataDir, sync, Duration.ZERO, CacheSize.defaultBytes());
    }

    /**
     * {@link #open(Path, boolean)}, keeping write-ahead log files for {@code walRetention} after
     * they are flushed (and up to a size cap), so that followers can read the batches of that
     * window ({@link #readWal}), with block cache and memtables sharing {@code cacheBytes}.
     *
     * @throws IllegalArgumentException when {@code cacheBytes} is below {@link CacheSize#MIN_BYTES}
     */
    public static Store open(Path dataDir, boolean sync, Duration walRetention, long cacheBytes) {
        Path dbDir = dataDir.resolve("db");
        if (!Files.exists(dbDir) && Files.exists(dataDir.resolve(CHECKPOINT_UNDER_WAY))) {
            // Started as it is, the directory would serve an empty database in place of the backup.
            throw new StoreException("data directory " + dataDir.toAbsolutePath() + " holds a checkpoint that was "
                    + "cut short (" + CHECKPOINT_UNDER_WAY + ", no db): delete the directory and take the checkpoint "
                    + "again");
        }
        StoreOptions options = new StoreOptions(sync, walRetention, cacheBytes);
        try {
            Files.createDirectories(dbDir);
            return new Store(dataDir, dbDir, options, openFamilies(options, dbDir));
        } catch (RocksDBException e) {
            options.close();
            String message = String.valueOf(e.getMessage());
            if (message.contains("lock") || message.contains("LOCK")) {
                throw new StoreLockedException(
                        "data directory " + dataDir.toAbsolutePath() + " is in use by another JormunDB server ("
                                + message + ")");
            }
            throw new StoreException("cannot open RocksDB in " + dbDir.toAbsolutePath() + ": " + message, e);
        } catch (java.io.IOException e) {
            options.close();
            throw new StoreException("cannot create data directory " + dbDir.toAbsolutePath() + ": "
                    + FileErrors.reason(e), e);
        }
    }

    /** The memory budget block cache and memtables share. */
    public long cacheBytes() {
        return options.cacheBytes();
    }

    /** The bytes of that budget in use now: cached blocks and memtables. */
    public long cacheUsage() {
        return options.cacheUsage();
    }

    /** A numeric RocksDB property of the whole database ({@code rocksdb.background-errors}, …), for metrics. */
    public long property(String name) {
        return familiesProperty(name, List.of(Family.DATA));
    }

    /** A numeric RocksDB property of each column family ({@code rocksdb.total-sst-files-size}, …) summed. */
    public long familiesProperty(String name) {
        return familiesProperty(name, List.of(Family.values()));
    }

    private long familiesProperty(String name, List<Family> summed) {
        enter();
        try {
            long sum = 0;
            for (Family family : summed) {
                sum += db.getLongProperty(families.get(family), name);
            }
            return sum;
        } catch (RocksDBException e) {
            throw failed("cannot read RocksDB property " + name, e, false);
        } finally {
            exit();
        }
    }

    /** A map-valued RocksDB property ({@code rocksdb.dbstats}, …), for metrics. */
    public java.util.Map<String, String> mapProperty(String name) {
        enter();
        try {
            return db.getMapProperty(name);
        } catch (RocksDBException e) {
            throw new StoreException("cannot read RocksDB property " + name + ": " + e.getMessage(), e);
        } finally {
            exit();
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    public byte[] get(byte[] key) {
        enter();
        try {
            return db.get(handle(key), key);
        } catch (RocksDBException e) {
            throw failed("read failed", e, false);
        } finally {
            exit();
        }
    }

    /** Reads {@code keys} from one snapshot; each result is the value or {@code null}. */
    public List<byte[]> getAll(List<byte[]> keys) {
        try (View view = view()) {
            return view.getAll(keys);
        }
    }

    /** Adds a put of {@code key} to {@code batch}, in the key's column family. */
    public void put(WriteBatch batch, byte[] key, byte[] value) {
        inFamilyOf(key, family -> batch.put(family, key, value));
    }

    /** Adds a delete of {@code key} to {@code batch}, in the key's column family. */
    public void delete(WriteBatch batch, byte[] key) {
        inFamilyOf(key, family -> batch.delete(family, key));
    }

    /** Adds a delete of {@code [begin, end)} to {@code batch}, in the column family of {@code begin}. */
    public void deleteRange(WriteBatch batch, byte[] begin, byte[] end) {
        inFamilyOf(begin, family -> batch.deleteRange(family, begin, end));
    }

    /** Adds one operation to a batch in the column family of {@code key}. */
    @FunctionalInterface
    private interface BatchOperation {
        void add(ColumnFamilyHandle family) throws RocksDBException;
    }

    private void inFamilyOf(byte[] key, BatchOperation operation) {
        enter(); // the handle stays open meanwhile (a recovery reopens the families)
        try {
            operation.add(handle(key));
        } catch (RocksDBException e) {
            throw new StoreException("cannot build write batch: " + e.getMessage(), e);
        } finally {
            exit();
        }
    }

    /** The column family of a key (of a range: of its start), by its keyspace byte. */
    ColumnFamilyHandle handle(byte[] key) {
        return families.get(Keys.familyOf(key));
    }

    /** The handle of {@code family}; valid while the caller is between {@link #enter} and {@link #exit}. */
    ColumnFamilyHandle handle(Family family) {
        return families.get(family);
    }

    /** The open database; valid while the caller is between {@link #enter} and {@link #exit}. */
    RocksDB db() {
        return db;
    }

    WriteOptions writeOptions() {
        return options.write();
    }

    /**
     * A new, empty batch that replication never ships to followers: for what each node does to
     * its own directory, such as a storage format step (a follower takes it when it opens its
     * directory, before it applies any batch of its leader). Its first record is a log-data marker
     * ({@link #marksUnshipped}); nothing else may be added before it.
     */
    public static WriteBatch unshippedBatch() {
        WriteBatch batch = new WriteBatch();
        try {
            batch.putLogData(UNSHIPPED.clone());
            return batch;
        } catch (RocksDBException e) {
            batch.close();
            throw new StoreException("cannot build write batch: " + e.getMessage(), e);
        }
    }

    /** Whether the log data of a batch read from the write-ahead log marks it {@linkplain #unshippedBatch unshipped}. */
    public static boolean marksUnshipped(byte[] logData) {
        return java.util.Arrays.equals(logData, UNSHIPPED);
    }

    /**
     * Writes one batch atomically: all of it or none of it, durable per the sync setting.
     *
     * @throws StoreUnavailableException while the store is {@linkplain #unavailable() unavailable}
     */
    public void write(WriteBatch batch) {
        enter();
        try {
            String reason = unavailable;
            if (reason != null) {
                throw new StoreUnavailableException(reason, null);
            }
            String misrouted;
            assert (misrouted = RoutingCheck.misrouted(batch, families)) == null : misrouted;
            db.write(options.write(), batch);
        } catch (RocksDBException e) {
            throw failed("write failed", e, true);
        } finally {
            exit();
        }
        wakeWalReaders();
    }

    /**
     * Wakes the threads in {@link #awaitWriteAfter} to check their condition again; cheap when
     * none waits, so a writer (or a commit frontier listener) may call it on every write.
     */
    public void wakeWalReaders() {
        if (walWaiters > 0) {
            writeSignal.lock();
            try {
                written.signalAll();
            } finally {
                writeSignal.unlock();
            }
        }
    }

    /** The sequence number of the last write in the write-ahead log (0 for a new database). */
    public long latestSequence() {
        enter();
        try {
            return db.getLatestSequenceNumber();
        } finally {
            exit();
        }
    }

    /**
     * Waits until the write-ahead log holds a write after {@code sequence} or {@code orElse} holds
     * (checked whenever {@link #wakeWalReaders} is called), or {@code maxMillis} passed.
     */
    public void awaitWriteAfter(long sequence, long maxMillis, BooleanSupplier orElse) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        writeSignal.lock();
        walWaiters++;
        try {
            while (latestSequence() <= sequence && !orElse.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                written.awaitNanos(left);
            }
        } finally {
            walWaiters--;
            writeSignal.unlock();
        }
    }

    /**
     * Visits the write batches of the write-ahead log in order, from the one holding
     * {@code sequence} on, each with its first sequence number, until the log ends or
     * {@code visitor} returns false. The batch is valid during the visit only.
     *
     * @throws StoreException when the log no longer holds {@code sequence} (its files are gone)
     */
    public void readWal(long sequence, WalVisitor visitor) {
        enter();
        try (TransactionLogIterator log = db.getUpdatesSince(sequence)) {
            for (; log.isValid(); log.next()) {
                TransactionLogIterator.BatchResult result = log.getBatch();
                try (WriteBatch batch = result.writeBatch()) {
                    if (!visitor.visit(result.sequenceNumber(), batch)) {
                        return;
                    }
                }
            }
            log.status();
        } catch (RocksDBException e) {
            throw new StoreException("cannot read the write-ahead log from sequence " + sequence + ": "
                    + e.getMessage(), e);
        } finally {
            exit();
        }
    }

    /** Visits one write batch of the write-ahead log; returns whether to go on. */
    @FunctionalInterface
    public interface WalVisitor {
        boolean visit(long sequence, WriteBatch batch) throws RocksDBException;
    }

    /**
     * The sequence number of the last write in the (closed) database of data directory
     * {@code dataDir}, a checkpoint's, read without changing it: a copy of that database follows
     * its leader's log from the next one.
     */
    public static long sequenceOf(Path dataDir) {
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions()) {
            List<ColumnFamilyDescriptor> descriptors = familiesIn(dataDir);
            try (RocksDB db = RocksDB.openReadOnly(options, dataDir.resolve("db").toString(), descriptors, handles)) {
                try {
                    return db.getLatestSequenceNumber();
                } finally {
                    handles.forEach(ColumnFamilyHandle::close);
                }
            }
        } catch (RocksDBException e) {
            throw new StoreException("cannot read the checkpoint in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The column families of the (closed) database of data directory {@code dataDir}, with default
     * options: every family it has, whichever storage format wrote it.
     */
    public static List<ColumnFamilyDescriptor> familiesIn(Path dataDir) throws RocksDBException {
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        try (Options listing = new Options()) {
            for (byte[] name : RocksDB.listColumnFamilies(listing, dataDir.resolve("db").toString())) {
                descriptors.add(new ColumnFamilyDescriptor(name));
            }
        }
        return descriptors;
    }

    /**
     * Why writes are refused now (the disk is full, no descriptors are left), or empty while
     * they are served. The store recovers on its own once the cause is gone.
     */
    public Optional<String> unavailable() {
        return Optional.ofNullable(unavailable);
    }

    /**
     * The exception for {@code e}: a {@link StoreUnavailableException} when its cause passes —
     * and then, for a failed write, the store is unavailable until the recovery thread finds the
     * cause gone — or a plain StoreException.
     */
    private StoreException failed(String what, RocksDBException e, boolean write) {
        String reason = Fault.passing(e);
        if (reason == null) {
            return new StoreException(what + ": " + e.getMessage(), e);
        }
        if (write && unavailable == null) {
            unavailable = reason;
            LOG.warn("writes stop: {} ({}); they resume on their own once the cause is gone", reason, e.getMessage());
        }
        return new StoreUnavailableException(reason, e);
    }

    /**
     * One recovery attempt, while unavailable: once the cause is gone ({@link #causeGone}),
     * closes RocksDB (if open) and opens it again, which clears its background error and
     * replays its write-ahead log. Gives up for this round when a caller holds the store for
     * long (the next round tries again).
     */
    private void recover() {
        String reason = unavailable;
        if (reason == null || !causeGone()) {
            return;
        }
        try {
            if (!closeLock.writeLock().tryLock(RECOVERY_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            if (closed) {
                return;
            }
            if (db != null) {
                RocksDB stopped = db;
                db = null;
                families.values().forEach(ColumnFamilyHandle::close);
                try {
                    stopped.closeE();
                } catch (RocksDBException e) {
                    LOG.info("closing the stopped database: {}", e.getMessage());
                }
            }
            long start = System.nanoTime();
            Opened opened = openFamilies(options, dbDir);
            families = opened.families();
            db = opened.db();
            unavailable = null;
            LOG.info("writes resume: reopened the database in {} ms after: {}",
                    (System.nanoTime() - start) / 1_000_000, reason);
        } catch (RocksDBException e) {
            String now = Fault.passing(e);
            unavailable = now != null ? now : "cannot reopen the database: " + e.getMessage();
            LOG.warn("cannot reopen the database yet: {}", e.getMessage());
        } finally {
            closeLock.writeLock().unlock();
        }
    }

    /** Whether a file of {@link #PROBE_BYTES} can be opened, written and synced in the database directory. */
    private boolean causeGone() {
        Path probe = dbDir.resolve("recovery-probe.tmp");
        try {
            try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
                for (int written = 0; written < PROBE_BYTES; written += zeros.capacity()) {
                    zeros.clear();
                    while (zeros.hasRemaining()) {
                        channel.write(zeros);
                    }
                }
                channel.force(true);
            }
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // Out of descriptors the file was never made; otherwise the next probe truncates it.
            }
        }
    }

    /** An open database and the handles of its column families. */
    private record Opened(RocksDB db, Map<Family, ColumnFamilyHandle> families) {
    }

    /** Opens the database of {@code dbDir} with every column family of {@link Family}. */
    private static Opened openFamilies(StoreOptions options, Path dbDir)
            throws RocksDBException {
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (Family family : Family.values()) {
            descriptors.add(new ColumnFamilyDescriptor(family.columnFamilyName().getBytes(StandardCharsets.UTF_8),
                    options.of(family)));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB db = RocksDB.open(options.db(), dbDir.toString(), descriptors, handles);
        Map<Family, ColumnFamilyHandle> families = new EnumMap<>(Family.class);
        for (Family family : Family.values()) {
            families.put(family, handles.get(family.ordinal()));
        }
        return new Opened(db, families);
    }

    /** A cursor over {@code range}, forward or backward, on the latest data; the caller closes it. */
    public Cursor cursor(KeyRange range) {
        enter();
        try {
            return new Cursor(this, range, null);
        } catch (RuntimeException e) {
            exit();
            throw e;
        }
    }

    /**
     * A consistent view of the store as it is now: every read through it sees the same writes,
     * whatever commits meanwhile (a RocksDB snapshot). The caller closes it.
     */
    public View view() {
        enter();
        try {
            return new View(this);
        } catch (RuntimeException e) {
            exit();
            throw e;
        }
    }

    /**
     * Visits the entries of {@code range} in key order until {@code visitor} returns false.
     */
    public void forEach(KeyRange range, EntryVisitor visitor) {
        try (Cursor cursor = cursor(range)) {
            for (cursor.seekFirst(); cursor.valid(); cursor.next()) {
                if (!visitor.visit(cursor.key(), cursor.value())) {
                    return;
                }
            }
        }
    }

    /** What {@link #checkpoint} wrote: the new data directory, its files and their bytes. */
    public record Checkpointed(Path dataDir, long files, long bytes) {
    }

    /**
     * Writes a consistent copy of the whole database, as of now, into the new data directory
     * {@code target} (which must hold no database): a RocksDB checkpoint, whose files are hard
     * links when {@code target} is on the same filesystem and copies otherwise. A server started
     * on {@code target} finds everything committed before the call. RocksDB writes the copy as
     * {@value #CHECKPOINT_UNDER_WAY} and renames it {@code db} once complete; a directory a crash
     * left with only the first is refused by {@link #open}.
     */
    public Checkpointed checkpoint(Path target) {
        enter();
        try (Checkpoint checkpoint = Checkpoint.create(db)) {
            if (Files.exists(target.resolve("db")) || Files.exists(target.resolve(CHECKPOINT_UNDER_WAY))) {
                throw new StoreException("checkpoint directory " + target + " already holds a database");
            }
            Files.createDirectories(target);
            Path dbDir = target.resolve("db");
            checkpoint.createCheckpoint(dbDir.toString());
            long[] totals = new long[2];
            try (var files = Files.walk(dbDir)) {
                files.filter(Files::isRegularFile).forEach(f -> {
                    totals[0]++;
                    totals[1] += f.toFile().length();
                });
            }
            return new Checkpointed(target, totals[0], totals[1]);
        } catch (RocksDBException e) {
            throw new StoreException("cannot write a checkpoint to " + target + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StoreException("cannot write a checkpoint to " + target + ": " + FileErrors.reason(e), e);
        } finally {
            exit();
        }
    }

    /** Flushes memtables and the WAL, then closes; idempotent. */
    @Override
    public void close() {
        recovery.shutdownNow();
        closeLock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (db != null) {
                try {
                    db.syncWal();
                } catch (RocksDBException ignored) {
                    // Closing still writes what the WAL holds; nothing more to do here.
                }
                // RocksJava: a database's column family handles are closed before the database.
                families.values().forEach(ColumnFamilyHandle::close);
                db.close();
            }
            options.close();
        } finally {
            closeLock.writeLock().unlock();
        }
    }

    void enter() {
        closeLock.readLock().lock();
        if (closed) {
            closeLock.readLock().unlock();
            throw new StoreException("the store is closed");
        }
        if (db == null) {
            String reason = unavailable;
            closeLock.readLock().unlock();
            throw new StoreUnavailableException(reason, null);
        }
    }

    void exit() {
        closeLock.readLock().unlock();
    }

    /** Visits one key/value pair; returns whether to go on. */
    @FunctionalInterface
    public interface EntryVisitor {
        boolean visit(byte[] key, byte[] value);
    }

    /** An iterator bounded to one key range. Not thread-safe; close it (the store waits for that). */
    public static final class Cursor implements AutoCloseable {
        private final Store store;
        private final ReadOptions readOptions;
        private final Slice lower;
        private final Slice upper;
        private final RocksIterator iterator;
        private final byte[] start;

        Cursor(Store store, KeyRange range, Snapshot snapshot) {
            this.store = store;
            start = range.start();
            lower = new Slice(start);
            upper = new Slice(range.end());
            readOptions = new ReadOptions().setIterateLowerBound(lower).setIterateUpperBound(upper);
            if (snapshot != null) {
                readOptions.setSnapshot(snapshot);
            }
            iterator = store.db.newIterator(store.handle(start), readOptions);
        }

        public void seekFirst() {
            iterator.seek(start);
        }

        public void seekLast() {
            iterator.seekToLast();
        }

        /** Positions at the first key at or after {@code key}. */
        public void seek(byte[] key) {
            iterator.seek(key);
        }

        /** Positions at the last key at or before {@code key}. */
        public void seekForPrev(byte[] key) {
            iterator.seekForPrev(key);
        }

        public boolean valid() {
            return iterator.isValid();
        }

        public void next() {
            iterator.next();
        }

        public void prev() {
            iterator.prev();
        }

        public byte[] key() {
            return iterator.key();
        }

        public byte[] value() {
            return iterator.value();
        }

        /** Throws if the iteration stopped because of an error rather than the end of the range. */
        public void check() {
            try {
                iterator.status();
            } catch (RocksDBException e) {
                throw store.failed("iteration failed", e, false);
            }
        }

        @Override
        public void close() {
            iterator.close();
            readOptions.close();
            lower.close();
            upper.close();
            store.exit();
        }
    }

    /**
     * A consistent, read-only view of the store (see {@link Store#view}). Not thread-safe; close
     * it, and the cursors it opened first.
     */
    public static final class View implements AutoCloseable {
        private final Store store;
        private final Snapshot snapshot;
        private final ReadOptions readOptions;

        View(Store store) {
            this.store = store;
            this.snapshot = store.db.getSnapshot();
            this.readOptions = new ReadOptions().setSnapshot(snapshot);
        }

        public byte[] get(byte[] key) {
            try {
                return store.db.get(store.handle(key), readOptions, key);
            } catch (RocksDBException e) {
                throw store.failed("read failed", e, false);
            }
        }

        /** The values of {@code keys} (each the value or {@code null}), in their order. */
        public List<byte[]> getAll(List<byte[]> keys) {
            try {
                List<ColumnFamilyHandle> handles = new ArrayList<>(keys.size());
                for (byte[] key : keys) {
                    handles.add(store.handle(key));
                }
                return store.db.multiGetAsList(readOptions, handles, keys);
            } catch (RocksDBException e) {
                throw store.failed("read failed", e, false);
            }
        }

        /** A cursor over {@code range} in this view; close it before the view. */
        public Cursor cursor(KeyRange range) {
            store.enter();
            try {
                return new Cursor(store, range, snapshot);
            } catch (RuntimeException e) {
                store.exit();
                throw e;
            }
        }

        @Override
        public void close() {
            readOptions.close();
            store.db.releaseSnapshot(snapshot);
            store.exit();
        }
    }
}
