package io.jormundb.streams.shards;

import io.jormundb.engine.catalog.RetiredTable;
import io.jormundb.engine.catalog.StreamViewType;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.catalog.TableStream;
import io.jormundb.engine.changelog.ChangeRecord;
import io.jormundb.engine.changelog.CommitVersions;
import io.jormundb.engine.changelog.Position;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.error.ErrorCode;
import io.jormundb.streams.log.Changelog;
import io.jormundb.streams.log.Entry;
import io.jormundb.streams.log.Read;
import io.jormundb.streams.log.Scope;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * DynamoDB Streams over the changelog (DESIGN: "The changelog"): a table's streams
 * ({@link TableStream}), their shards (one per changelog partition) and reading them through
 * shard iterators. A stream shows the changes of its table at positions in
 * {@code [enabledAt, disabledAt)}, in each shard in commit order; SSE and MQTT go on serving the
 * whole changelog. A stream is listed while it is enabled and, once disabled (by UpdateTable or
 * DeleteTable), for the changelog retention after that; a deleted table's streams go at the
 * latest when the trimmer drops the table.
 *
 * <p>Reads never block and never wait for new records: GetRecords answers with what is there.
 * Thread-safe; it keeps no state of its own (an iterator carries all a reader needs).
 */
public final class DynamoStreams {
    /** How long a shard iterator may be used after it was made. */
    public static final Duration ITERATOR_LIFETIME = Duration.ofMinutes(15);
    /** The most records one GetRecords returns. */
    public static final int MAX_RECORDS = 1000;
    /** The most bytes (of {@link #sizeBytes}) one GetRecords returns, unless its first record alone is larger. */
    public static final long MAX_BYTES = 1024 * 1024;
    /** Records read from RocksDB at a time, so that a read of large items stops near {@link #MAX_BYTES}. */
    private static final int READ_CHUNK = 100;

    private final Changelog changelog;
    private final Duration retention;

    public DynamoStreams(Changelog changelog, Duration retention) {
        this.changelog = changelog;
        this.retention = retention;
    }

    /** The changelog retention, which is also how long a disabled stream stays. */
    public Duration retention() {
        return retention;
    }

    /**
     * The streams of every table ({@code tableName} {@code null}) or of the tables named
     * {@code tableName}, live or deleted, by table name, then label.
     *
     * @throws DynamoException ResourceNotFound when no table of that name is live or kept
     */
    public List<StreamRef> streams(String tableName) {
        List<TableDefinition> tables = tables(tableName);
        if (tableName != null && tables.isEmpty()) {
            throw DynamoException.tableNotFound(tableName);
        }
        return streamsOf(tables);
    }

    /**
     * The stream {@code arn} names.
     *
     * @throws DynamoException ResourceNotFound when there is none (or no longer)
     */
    public StreamRef stream(StreamArn arn) {
        for (StreamRef s : streamsOf(tables(arn.tableName()))) {
            if (s.label().equals(arn.label())) {
                return s;
            }
        }
        throw new DynamoException(ErrorCode.RESOURCE_NOT_FOUND, "Requested resource not found: Stream: " + arn
                + " not found");
    }

    /**
     * The name of the table whose stream {@code iteratorText} reads, or empty when it is no
     * iterator or names no table kept (GetRecords then says so itself): what an access check of
     * GetRecords needs before it reads.
     */
    public java.util.Optional<String> tableOf(String iteratorText) {
        ShardIterator iterator;
        try {
            iterator = ShardIterator.decode(iteratorText);
        } catch (DynamoException e) {
            return java.util.Optional.empty();
        }
        return tables(null).stream().filter(t -> t.id() == iterator.tableId()).map(TableDefinition::name).findFirst();
    }

    /** The live and retired tables named {@code name} (all of them: {@code null}). */
    private List<TableDefinition> tables(String name) {
        List<TableDefinition> tables = new ArrayList<>();
        for (TableDefinition t : changelog.engine().catalog().all()) {
            tables.add(t);
        }
        for (RetiredTable r : changelog.engine().catalog().retiredTables()) {
            tables.add(r.definition());
        }
        tables.removeIf(t -> name != null && !t.name().equals(name));
        return tables;
    }

    /** The streams of {@code tables} still shown, by table name, then label. */
    private List<StreamRef> streamsOf(List<TableDefinition> tables) {
        long now = changelog.engine().clock().millis();
        List<StreamRef> streams = new ArrayList<>();
        for (TableDefinition t : tables) {
            for (TableStream s : t.streams()) {
                if (kept(s, now)) {
                    streams.add(new StreamRef(t, s));
                }
            }
        }
        streams.sort(Comparator.comparing((StreamRef s) -> s.table().name())
                .thenComparingLong(s -> s.stream().enabledMillis()));
        return streams;
    }

    /**
     * The EndingSequenceNumber of the shard of {@code stream} for changelog partition
     * {@code partition}: its last record, or where the stream was disabled when it has none;
     * {@code null} while the stream is enabled (the shard is open).
     */
    private Position end(StreamRef stream, int partition) {
        TableStream s = stream.stream();
        if (s.isEnabled()) {
            return null;
        }
        return changelog.lastBefore(stream.table(), partition, s.disabledAt())
                .filter(last -> last.compareTo(s.enabledAt()) >= 0).orElse(s.disabledAt());
    }

    /** The shards of {@code stream}, one per changelog partition, in partition order. */
    public List<Shard> shards(StreamRef stream) {
        TableStream s = stream.stream();
        List<Shard> shards = new ArrayList<>();
        for (int p = 0; p < stream.table().changelogPartitions(); p++) {
            Position end = end(stream, p);
            Position start = Position.max(s.enabledAt(), trimmed(stream.table(), p).next());
            shards.add(new Shard(stream.shard(p), end != null && start.isAfter(end) ? end : start, end));
        }
        return shards;
    }

    /**
     * A new iterator of shard {@code shardId} of {@code stream}.
     *
     * @param sequence the position of the SequenceNumber for {@code AT_SEQUENCE_NUMBER} and
     *                 {@code AFTER_SEQUENCE_NUMBER}, otherwise ignored
     * @throws DynamoException ResourceNotFound for a shard the stream does not have, a
     *                         ValidationException for a sequence number outside the shard, and a
     *                         TrimmedDataAccessException for one older than the oldest record kept
     */
    public String iterator(StreamRef stream, String shardId, IteratorType type, Position sequence) {
        TableStream s = stream.stream();
        int partition = ShardId.parse(shardId)
                .filter(id -> id.streamMillis() == s.enabledMillis()
                        && id.partition() < stream.table().changelogPartitions())
                .orElseThrow(() -> new DynamoException(ErrorCode.RESOURCE_NOT_FOUND,
                        "Requested resource not found: Shard does not exist")).partition();
        CommitVersions.Frontier frontier = changelog.frontier();
        Position trimmed = trimmed(stream.table(), partition);
        Position after = switch (type) {
            case TRIM_HORIZON -> Position.max(s.enabledAt(), trimmed);
            case LATEST -> Position.max(s.enabledAt(), bound(s, frontier));
            case AT_SEQUENCE_NUMBER -> before(inShard(stream, partition, sequence, frontier));
            case AFTER_SEQUENCE_NUMBER -> inShard(stream, partition, sequence, frontier);
        };
        if (trimmed.isAfter(after)) {
            throw trimmedData();
        }
        return new ShardIterator(stream.table().id(), s.enabledMillis(), partition, after,
                changelog.engine().clock().millis()).encode();
    }

    /**
     * What one GetRecords returns: the stream read, its records, and the iterator to go on with
     * ({@code null}: the shard is closed and read to its end).
     */
    public record Records(StreamRef stream, List<ChangeRecord> records, String nextIterator) {
    }

    /**
     * Reads at most {@code limit} records ({@link #MAX_BYTES} at most) after the position of
     * {@code iteratorText}, at once.
     *
     * @throws DynamoException ValidationException "Invalid ShardIterator" for text that is no
     *                         iterator, ExpiredIteratorException for one older than
     *                         {@link #ITERATOR_LIFETIME}, TrimmedDataAccessException when a record
     *                         after its position was trimmed (or its stream is gone with its
     *                         retention)
     */
    public Records read(String iteratorText, int limit) {
        ShardIterator iterator = ShardIterator.decode(iteratorText);
        long now = changelog.engine().clock().millis();
        if (now - iterator.createdMillis() >= ITERATOR_LIFETIME.toMillis()) {
            throw new DynamoException(ErrorCode.EXPIRED_ITERATOR, "Shard iterator has expired");
        }
        StreamRef stream = find(iterator.tableId(), iterator.streamMillis(), now).orElseThrow(DynamoStreams::trimmedData);
        if (iterator.partition() >= stream.table().changelogPartitions()) {
            throw DynamoException.validation("Invalid ShardIterator");
        }
        TableStream s = stream.stream();
        CommitVersions.Frontier frontier = changelog.frontier();
        Position bound = bound(s, frontier);
        Scope.Table shard = new Scope.Table(stream.table(), iterator.partition(), null);
        List<ChangeRecord> records = new ArrayList<>();
        Position reached = Position.max(iterator.after(), s.enabledAt());
        long bytes = 0;
        reading:
        while (reached.compareTo(bound) < 0 && records.size() < limit) {
            Read read = changelog.read(shard, reached, bound, Math.min(limit - records.size(), READ_CHUNK));
            if (!(read instanceof Read.Entries entries)) {
                if (records.isEmpty()) {
                    throw trimmedData();
                }
                break;
            }
            for (Entry entry : entries.entries()) {
                ChangeRecord record = ((Entry.Change) entry).record();
                long size = sizeBytes(record, s.viewType());
                if (!records.isEmpty() && bytes + size > MAX_BYTES) {
                    break reading;
                }
                records.add(record);
                bytes += size;
                reached = record.position();
            }
            reached = entries.reached();
        }
        boolean readAll = reached.compareTo(bound) >= 0;
        boolean ended = !s.isEnabled() && frontier.version() >= s.disabledAt().version() && readAll;
        String next = ended ? null : new ShardIterator(stream.table().id(), s.enabledMillis(), iterator.partition(),
                reached, now).encode();
        return new Records(stream, records, next);
    }

    /** The size of what a record shows in a stream of view {@code view}: its keys and the images the view includes. */
    public static long sizeBytes(ChangeRecord record, StreamViewType view) {
        long size = record.keys().size();
        if (record.oldImage() != null && view.showsOldImage()) {
            size += record.oldImage().size();
        }
        if (record.newImage() != null && view.showsNewImage()) {
            size += record.newImage().size();
        }
        return size;
    }

    /** Whether a stream is still shown: enabled, or disabled less than the retention ago. */
    private boolean kept(TableStream stream, long now) {
        return stream.isEnabled() || now - stream.disabledMillis() < retention.toMillis();
    }

    /** The stream of table {@code tableId} enabled at {@code streamMillis}, if it is still shown. */
    private Optional<StreamRef> find(long tableId, long streamMillis, long now) {
        Optional<TableDefinition> table = changelog.engine().catalog().byId(tableId)
                .or(() -> changelog.engine().catalog().retired(tableId).map(RetiredTable::definition));
        return table.flatMap(t -> t.streams().stream()
                .filter(s -> s.enabledMillis() == streamMillis && kept(s, now))
                .findFirst().map(s -> new StreamRef(t, s)));
    }

    /** The last position a reader of {@code stream} may read now: the newest visible one, or the last before its end. */
    private static Position bound(TableStream stream, CommitVersions.Frontier frontier) {
        Position visible = frontier.lastEntry();
        if (stream.isEnabled()) {
            return visible;
        }
        Position last = stream.disabledAt().previous();
        return last.compareTo(visible) < 0 ? last : visible;
    }

    /**
     * The position of {@code sequence}, checked to lie in the shard: not before the stream's start,
     * not after its end, not past what was committed.
     */
    private Position inShard(StreamRef stream, int partition, Position sequence, CommitVersions.Frontier frontier) {
        Position end = end(stream, partition);
        if (sequence.compareTo(stream.stream().enabledAt()) < 0 || (end != null && sequence.isAfter(end))
                || sequence.version() > frontier.version()) {
            throw DynamoException.validation("Invalid SequenceNumber " + sequence.sequenceNumber()
                    + ": it is not in shard " + stream.shard(partition));
        }
        return sequence;
    }

    private static Position before(Position position) {
        return position.equals(Position.START) ? position : position.previous();
    }

    private Position trimmed(TableDefinition table, int partition) {
        return changelog.trimmed(new Scope.Table(table, partition, null));
    }

    private static DynamoException trimmedData() {
        return new DynamoException(ErrorCode.TRIMMED_DATA_ACCESS, "The data you are trying to access has been trimmed");
    }
}
