package io.jormundb.streams.log;

import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.RetiredTable;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.changelog.ChangeRecord;
import io.jormundb.engine.changelog.ChangeRecordCodec;
import io.jormundb.engine.changelog.CommitVersions;
import io.jormundb.engine.changelog.LeaderEpoch;
import io.jormundb.engine.changelog.LogEntry;
import io.jormundb.engine.changelog.LogEntryCodec;
import io.jormundb.engine.changelog.LogEntryCodec.TrimMark;
import io.jormundb.engine.changelog.Position;
import io.jormundb.engine.codec.CorruptDataException;
import io.jormundb.engine.codec.KeyRange;
import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.codec.Keyspace;
import io.jormundb.engine.store.Store;
import io.jormundb.engine.store.StoreException;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * Reads and trims the durable changelog that the write path appends, in commit order
 * (DESIGN: "The changelog"). Every read runs on one consistent view of RocksDB and first checks
 * the scope's trim mark in that same view, so a reader can never skip records that were trimmed
 * under it without being told. Reads see only what the frontier published. Thread-safe; never
 * blocks writers.
 *
 * <p>Trimming removes the oldest entries of the commit log (and their record bodies) as one
 * prefix, chunk by chunk, and in the same batch records trim marks: the last position removed in
 * the whole log, in each table, each changelog partition (with its sequence), each partition key
 * and each item. A reader's position expires exactly when the mark of its scope passes it.
 */
public final class Changelog {
    /** Entries trimmed per batch. */
    private static final int TRIM_CHUNK = 4096;

    private final Engine engine;

    public Changelog(Engine engine) {
        this.engine = engine;
    }

    public Engine engine() {
        return engine;
    }

    /** What readers may read: every version up to the frontier is durable. */
    public CommitVersions.Frontier frontier() {
        return engine.writePath().versions().frontier();
    }

    /** The position of the newest entry readers may read ("now"). */
    public Position head() {
        return frontier().lastEntry();
    }

    /**
     * Commit versions after {@code from} up to the frontier: how far a reader at {@code from} is
     * behind, the jump to a leader epoch's floor left out.
     */
    public long versionsBehind(Position from) {
        return LeaderEpoch.of(engine.store()).versionsBetween(from.version(), frontier().version());
    }

    /** Commit versions after {@code from} up to {@code to}, the jump to a leader epoch's floor left out. */
    public long versionsBetween(Position from, Position to) {
        return LeaderEpoch.of(engine.store()).versionsBetween(from.version(), to.version());
    }

    /**
     * Reads the entries of {@code scope} in {@code (after, upTo]} in commit order, at most
     * {@code max}, or answers {@link Read.Trimmed} when a record of the scope after {@code after}
     * was trimmed. Key filters are the caller's to apply; the scope's tables and partitions are
     * the read's.
     */
    public Read read(Scope scope, Position after, Position upTo, int max) {
        try (Store.View view = engine.store().view()) {
            Position trimmed = trimmed(view, scope);
            if (trimmed.isAfter(after)) {
                return new Read.Trimmed(trimmed);
            }
            return switch (scope) {
                case Scope.AllTables ignored -> readLog(view, after, upTo, max, id -> true);
                case Scope.Table t -> readPartitions(view, t.table(), t.partition(), after, upTo, max);
            };
        }
    }

    /**
     * The commit log's entries in {@code (after, upTo]}, at most {@code max}, with the change
     * records of the tables {@code wanted} accepts (others are passed over, not returned). For
     * the live tail, which reads once for every subscriber.
     */
    public Read.Entries readLog(Position after, Position upTo, int max, LongPredicate wanted) {
        try (Store.View view = engine.store().view()) {
            return readLog(view, after, upTo, max, wanted);
        }
    }

    /** The last position trimmed in {@code scope} (where a reader resumes to get the oldest records kept). */
    public Position trimmed(Scope scope) {
        try (Store.View view = engine.store().view()) {
            return trimmed(view, scope);
        }
    }

    /**
     * The position of the last change record kept in changelog partition {@code partition} of
     * {@code table} before {@code before}, as RocksDB holds it (a record written but not yet
     * published included: callers ask below a boundary every such write precedes).
     */
    public Optional<Position> lastBefore(TableDefinition table, int partition, Position before) {
        try (Store.Cursor cursor = engine.store().cursor(new KeyRange(Keys.changelog(table.id(), partition,
                Position.START), Keys.changelog(table.id(), partition, before)))) {
            cursor.seekLast();
            Optional<Position> last = cursor.valid() ? Optional.of(Keys.positionOf(cursor.key())) : Optional.empty();
            cursor.check();
            return last;
        }
    }

    /** Change records of {@code table} still kept (for metrics). */
    public long recordsKept(TableDefinition table) {
        long kept = 0;
        for (int p = 0; p < table.changelogPartitions(); p++) {
            TrimMark mark = LogEntryCodec.decodeTrimMark(engine.store().get(Keys.trimMark(table.id(), p)));
            kept += Math.max(0, engine.writePath().head(table, p) - mark.sequence());
        }
        return kept;
    }

    private Read.Entries readLog(Store.View view, Position after, Position upTo, int max, LongPredicate wanted) {
        List<Object> slots = new ArrayList<>();
        List<byte[]> bodyKeys = new ArrayList<>();
        List<TableDefinition> bodyTables = new ArrayList<>();
        Position reached = upTo;
        int examined = 0;
        try (Store.Cursor cursor = view.cursor(new KeyRange(Keys.commitLog(after.next()), Keys.commitLog(upTo.next())))) {
            for (cursor.seekFirst(); cursor.valid(); cursor.next()) {
                Position position = Keys.positionOf(cursor.key());
                if (examined == max) {
                    reached = previous(slots, bodyKeys, after);
                    break;
                }
                examined++;
                LogEntry entry = LogEntryCodec.decode(position, cursor.value());
                TableDefinition table = engine.catalog().definition(entry.tableId()).orElse(null);
                if (table == null || !wanted.test(entry.tableId())) {
                    slots.add(position);
                    continue;
                }
                switch (entry) {
                    case LogEntry.Change c -> {
                        slots.add(bodyKeys.size());
                        bodyKeys.add(Keys.changelog(c.tableId(), c.partition(), position));
                        bodyTables.add(table);
                    }
                    case LogEntry.TableDeleted d -> slots.add(new Entry.TableDeleted(table, position));
                }
            }
            cursor.check();
        }
        List<byte[]> bodies = bodyKeys.isEmpty() ? List.of() : view.getAll(bodyKeys);
        List<Entry> entries = new ArrayList<>(slots.size());
        for (Object slot : slots) {
            switch (slot) {
                case Integer i -> {
                    byte[] body = bodies.get(i);
                    if (body == null) {
                        throw new CorruptDataException("commit log entry without its change record");
                    }
                    entries.add(new Entry.Change(bodyTables.get(i), checked(ChangeRecordCodec.decode(body),
                            Keys.positionOf(bodyKeys.get(i)))));
                }
                case Entry e -> entries.add(e);
                default -> {
                }
            }
        }
        return new Read.Entries(entries, reached);
    }

    /** The position of the last slot examined (a log read stopped at its maximum). */
    private static Position previous(List<Object> slots, List<byte[]> bodyKeys, Position after) {
        if (slots.isEmpty()) {
            return after;
        }
        return switch (slots.getLast()) {
            case Position p -> p;
            case Integer i -> Keys.positionOf(bodyKeys.get(i));
            case Entry e -> e.position();
            default -> throw new IllegalStateException("unknown slot");
        };
    }

    /** One table's partitions (or one of them), merged by position. */
    private Read.Entries readPartitions(Store.View view, TableDefinition table, int partition, Position after,
                                        Position upTo, int max) {
        List<Store.Cursor> cursors = new ArrayList<>();
        PriorityQueue<Store.Cursor> heads = new PriorityQueue<>(
                (a, b) -> Keys.positionOf(a.key()).compareTo(Keys.positionOf(b.key())));
        List<Entry> entries = new ArrayList<>();
        Position reached = upTo;
        try {
            int from = partition < 0 ? 0 : partition;
            int to = partition < 0 ? table.changelogPartitions() : partition + 1;
            for (int p = from; p < to; p++) {
                Store.Cursor cursor = view.cursor(new KeyRange(Keys.changelog(table.id(), p, after.next()),
                        Keys.changelog(table.id(), p, upTo.next())));
                cursors.add(cursor);
                cursor.seekFirst();
                if (cursor.valid()) {
                    heads.add(cursor);
                }
                cursor.check();
            }
            while (!heads.isEmpty()) {
                Store.Cursor next = heads.poll();
                Position position = Keys.positionOf(next.key());
                if (entries.size() == max) {
                    reached = entries.getLast().position();
                    break;
                }
                entries.add(new Entry.Change(table, checked(ChangeRecordCodec.decode(next.value()), position)));
                next.next();
                if (next.valid()) {
                    heads.add(next);
                }
                next.check();
            }
        } finally {
            for (Store.Cursor cursor : cursors) {
                cursor.close();
            }
        }
        return new Read.Entries(entries, reached);
    }

    /** A record read under {@code key}'s position, checked to be the record of that position. */
    private static ChangeRecord checked(ChangeRecord record, Position position) {
        if (!record.position().equals(position)) {
            throw new CorruptDataException("change record of " + record.position() + " stored under " + position);
        }
        return record;
    }

    private Position trimmed(Store.View view, Scope scope) {
        return switch (scope) {
            case Scope.AllTables all when all.filter() == null -> mark(view, Keys.trimMark());
            case Scope.AllTables all -> {
                Position last = Position.START;
                for (TableDefinition t : everyTable()) {
                    byte[] key = all.filter().trimMarkKey(t);
                    if (key != null) {
                        last = Position.max(last, mark(view, key));
                    }
                }
                yield last;
            }
            case Scope.Table t when t.filter() != null -> {
                byte[] key = t.filter().trimMarkKey(t.table());
                yield key == null ? Position.START : mark(view, key);
            }
            case Scope.Table t -> mark(view, t.partition() < 0 ? Keys.trimMark(t.table().id())
                    : Keys.trimMark(t.table().id(), t.partition()));
        };
    }

    private static Position mark(Store.View view, byte[] key) {
        return LogEntryCodec.decodeTrimMark(view.get(key)).position();
    }

    private List<TableDefinition> everyTable() {
        List<TableDefinition> tables = new ArrayList<>(engine.catalog().all());
        for (RetiredTable r : engine.catalog().retiredTables()) {
            tables.add(r.definition());
        }
        return tables;
    }

    /**
     * Removes the entries committed before {@code cutoffMillis} (and never one the frontier has
     * not published), oldest first, with their trim marks; drops a deleted table once its last
     * entry is gone. Returns how many change records were removed. Takes no writer's lock.
     */
    public long trim(long cutoffMillis) {
        engine.catalog().expireDropped();
        long removed = 0;
        while (true) {
            Position visible = head();
            List<LogEntry> chunk = new ArrayList<>();
            try (Store.Cursor cursor = engine.store().cursor(Keyspace.COMMIT_LOG.range())) {
                for (cursor.seekFirst(); cursor.valid() && chunk.size() < TRIM_CHUNK; cursor.next()) {
                    Position position = Keys.positionOf(cursor.key());
                    LogEntry entry = LogEntryCodec.decode(position, cursor.value());
                    if (position.isAfter(visible) || entry.createdMillis() >= cutoffMillis) {
                        break;
                    }
                    chunk.add(entry);
                }
                cursor.check();
            }
            if (chunk.isEmpty()) {
                return removed;
            }
            removed += trimChunk(chunk);
            if (chunk.size() < TRIM_CHUNK) {
                return removed;
            }
        }
    }

    private record KeyMark(long tableId, long keyHash) {
    }

    private record PartitionMark(long tableId, int partition) {
    }

    /** Removes one chunk, the oldest entries of the log, in one batch; returns its change records. */
    private long trimChunk(List<LogEntry> chunk) {
        Position last = chunk.getLast().position();
        Map<Long, Position> tables = new HashMap<>();
        Map<PartitionMark, TrimMark> partitions = new HashMap<>();
        Map<KeyMark, Position> keys = new HashMap<>();
        Set<Long> dropped = new HashSet<>();
        long records = 0;
        for (LogEntry entry : chunk) {
            switch (entry) {
                case LogEntry.Change c -> {
                    records++;
                    tables.put(c.tableId(), c.position());
                    partitions.put(new PartitionMark(c.tableId(), c.partition()), new TrimMark(c.position(), c.sequence()));
                    keys.put(new KeyMark(c.tableId(), c.keyHash()), c.position());
                    keys.put(new KeyMark(c.tableId(), c.itemHash()), c.position());
                }
                case LogEntry.TableDeleted d -> dropped.add(d.tableId());
            }
        }
        try (WriteBatch batch = new WriteBatch()) {
            engine.store().deleteRange(batch, Keys.commitLog(Position.START), Keys.commitLog(last.next()));
            batch.put(Keys.trimMark(), LogEntryCodec.encode(new TrimMark(last, 0)));
            for (Map.Entry<PartitionMark, TrimMark> e : partitions.entrySet()) {
                long tableId = e.getKey().tableId();
                int p = e.getKey().partition();
                engine.store().deleteRange(batch, Keys.changelog(tableId, p, Position.START),
                        Keys.changelog(tableId, p, last.next()));
                if (!dropped.contains(tableId)) {
                    batch.put(Keys.trimMark(tableId, p), LogEntryCodec.encode(e.getValue()));
                }
            }
            for (Map.Entry<Long, Position> e : tables.entrySet()) {
                if (!dropped.contains(e.getKey())) {
                    batch.put(Keys.trimMark(e.getKey()), LogEntryCodec.encode(new TrimMark(e.getValue(), 0)));
                }
            }
            for (Map.Entry<KeyMark, Position> e : keys.entrySet()) {
                if (!dropped.contains(e.getKey().tableId())) {
                    batch.put(Keys.trimMarkOfKey(e.getKey().tableId(), e.getKey().keyHash()),
                            LogEntryCodec.encode(new TrimMark(e.getValue(), 0)));
                }
            }
            for (long tableId : dropped) {
                KeyRange marks = Keys.trimMarks(tableId);
                KeyRange changelog = Keys.changelogTable(tableId);
                KeyRange heads = Keys.partitionHeads(tableId);
                batch.deleteRange(marks.start(), marks.end());
                engine.store().deleteRange(batch, changelog.start(), changelog.end());
                batch.deleteRange(heads.start(), heads.end());
                engine.catalog().drop(tableId, batch);
            }
            engine.store().write(batch);
        } catch (RocksDBException e) {
            throw new StoreException("cannot trim the changelog: " + e.getMessage(), e);
        }
        for (long tableId : dropped) {
            engine.catalog().forgetRetired(tableId);
            engine.writePath().forget(tableId);
        }
        return records;
    }
}
