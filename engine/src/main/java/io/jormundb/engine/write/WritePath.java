package io.jormundb.engine.write;

import io.jormundb.engine.catalog.Catalog;
import io.jormundb.engine.catalog.RetiredTable;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.catalog.TableSpec;
import io.jormundb.engine.changelog.ChangeRecord;
import io.jormundb.engine.changelog.ChangeRecordCodec;
import io.jormundb.engine.changelog.CommitVersions;
import io.jormundb.engine.changelog.Committed;
import io.jormundb.engine.changelog.EventName;
import io.jormundb.engine.changelog.LogEntry;
import io.jormundb.engine.changelog.LogEntryCodec;
import io.jormundb.engine.changelog.Position;
import io.jormundb.engine.codec.ItemCodec;
import io.jormundb.engine.codec.KeyRange;
import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.error.DynamoException.CancellationReason;
import io.jormundb.engine.error.ErrorCode;
import io.jormundb.engine.index.IndexEntries;
import io.jormundb.engine.store.Store;
import io.jormundb.engine.store.StoreException;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Item;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * The one place every item mutation passes (single writes, batches, transactions, TTL expiry).
 * For a group of mutations it:
 * <ol>
 *   <li>takes the locks of the affected items ({@link KeyLocks}, striped by item key, in
 *       ascending order), so that nobody else writes them meanwhile;</li>
 *   <li>reads each current item and asks the mutation for the new one (the condition, the
 *       update) — writers of other items run meanwhile, in the same partition too;</li>
 *   <li>when anything changed, takes the locks of the affected changelog partitions in one
 *       global order (table id, then partition), so that multi-item groups cannot deadlock,
 *       and only under them takes the next commit version v ({@link CommitVersions}) and builds
 *       ONE RocksDB WriteBatch with the item puts/deletes, one change record per changed item at
 *       position (v, 0), (v, 1), … under the next gapless sequence of its partition, one commit
 *       log entry per record, the changed items' secondary index and TTL entries
 *       ({@link DerivedEntries}) and the partition heads;</li>
 *   <li>writes it, updates the in-memory heads and releases the partition locks, then the item
 *       locks;</li>
 *   <li>publishes v (void if the write failed), which moves the readers' frontier once every
 *       smaller version is published too.</li>
 * </ol>
 * Within a partition sequence order and version order are commit order; across partitions
 * readers see versions in order through the frontier. A crash leaves all of a batch or none of
 * it. The table definition whose indexes and TTL the batch maintains is read under the locks, so
 * a writer either committed before an index change took the locks or sees the change
 * ({@link IndexWrites} relies on this). Thread-safe.
 */
public final class WritePath {
    private final Store store;
    private final Catalog catalog;
    private final CommitVersions versions;
    private final Clock clock;
    /** The partitions of every live table and of every retired one whose changelog is kept. */
    private final ConcurrentHashMap<Long, PartitionState[]> partitions = new ConcurrentHashMap<>();
    private final IdempotencyTokens idempotencyTokens;
    private final DerivedEntries derived;
    private final KeyLocks keyLocks = new KeyLocks();
    /** Told of the records each commit appended (the live tail), or {@code null}. */
    private volatile Committed.Listener committedListener;

    public WritePath(Store store, Catalog catalog, CommitVersions versions, Clock clock) {
        this.store = store;
        this.catalog = catalog;
        this.versions = versions;
        this.clock = clock;
        this.idempotencyTokens = new IdempotencyTokens(store, clock);
        this.derived = new DerivedEntries(store);
        for (TableDefinition table : catalog.all()) {
            partitions.put(table.id(), loadHeads(table));
        }
        for (RetiredTable retired : catalog.retiredTables()) {
            partitions.put(retired.definition().id(), loadHeads(retired.definition()));
        }
    }

    /** The commit version counter and the readers' frontier. */
    public CommitVersions versions() {
        return versions;
    }

    /** The ClientRequestTokens of committed transactions, written with their batches. */
    public IdempotencyTokens idempotencyTokens() {
        return idempotencyTokens;
    }

    /** Commits one mutation; failures are thrown as they are. */
    public WriteResult write(Mutation mutation) {
        return write(List.of(mutation), WriteContext.USER).getFirst();
    }

    /**
     * Commits {@code mutations} atomically: all of them or none. With a transactional context a
     * failing mutation cancels the group with one {@link CancellationReason} per mutation;
     * otherwise the first failure is thrown. The caller has made sure no two mutations name the
     * same item.
     */
    public List<WriteResult> write(List<Mutation> mutations, WriteContext context) {
        int n = mutations.size();
        PartitionState[] targets = new PartitionState[n];
        byte[][] itemKeys = new byte[n][];
        for (int i = 0; i < n; i++) {
            Mutation m = mutations.get(i);
            TableDefinition table = m.table();
            AttributeValue hash = m.key().get(table.hashKey().name());
            AttributeValue range = table.rangeKey() == null ? null : m.key().get(table.rangeKey().name());
            itemKeys[i] = Keys.item(table.id(), hash, range);
            targets[i] = livePartitions(table)[Keys.changelogPartitionOfItem(itemKeys[i], table.changelogPartitions())];
        }
        int[] stripes = KeyLocks.stripesOf(itemKeys);
        List<WriteResult> results = new ArrayList<>(n);
        // Each old item as read from RocksDB: its change record copies these bytes.
        byte[][] stored = new byte[n][];
        keyLocks.lock(stripes);
        try {
            // Read, condition and update under the items' own locks: writers of other items of
            // the same partition run meanwhile.
            applyAll(mutations, itemKeys, stored, context, results, definitions(mutations));
            int changed = 0;
            for (WriteResult result : results) {
                changed += result.changed() ? 1 : 0;
            }
            if (changed > 0 || !context.extraPuts().isEmpty()) {
                commitLocked(mutations, targets, itemKeys, stored, results, context, changed);
            }
        } finally {
            keyLocks.unlock(stripes);
        }
        return results;
    }

    /** The current definitions of the tables {@code mutations} write, by id. */
    private Map<Long, TableDefinition> definitions(List<Mutation> mutations) {
        Map<Long, TableDefinition> current = new HashMap<>();
        for (Mutation m : mutations) {
            current.computeIfAbsent(m.table().id(),
                    id -> catalog.byId(id).orElseThrow(DynamoException::resourceNotFound));
        }
        return current;
    }

    /**
     * Commits what {@link #applyAll} computed: under the partition locks (taken in the global
     * order) takes the commit version and writes the batch, then publishes the version. The
     * table definitions whose indexes and TTL the batch maintains are read again under those
     * locks (see the class comment), and a new item is checked once more against them.
     */
    private void commitLocked(List<Mutation> mutations, PartitionState[] targets, byte[][] itemKeys,
                              byte[][] stored, List<WriteResult> results, WriteContext context, int changed) {
        PartitionState[] locked = lockOrder(targets);
        long version = 0;
        int written = 0;
        for (PartitionState state : locked) {
            state.lock.lock();
        }
        try {
            Map<Long, TableDefinition> current = definitions(mutations);
            for (int i = 0; i < mutations.size(); i++) {
                Item next = results.get(i).newItem();
                if (results.get(i).changed() && next != null) {
                    IndexEntries.check(current.get(mutations.get(i).table().id()), next);
                }
            }
            if (changed > 0) {
                version = versions.take();
            }
            commit(mutations, targets, itemKeys, stored, results, context, version, current);
            written = changed;
        } finally {
            for (int i = locked.length - 1; i >= 0; i--) {
                locked[i].lock.unlock();
            }
            if (version > 0) {
                versions.publish(version, written);
            }
        }
    }

    /**
     * Reads each item and asks its mutation for the new one. A new item whose secondary index key
     * values are invalid for the table's {@code definitions} is refused: outright, or in a
     * transaction as that action's ValidationError.
     */
    private void applyAll(List<Mutation> mutations, byte[][] itemKeys, byte[][] stored, WriteContext context,
                          List<WriteResult> results, Map<Long, TableDefinition> definitions) {
        List<CancellationReason> reasons = context.transactional() ? new ArrayList<>() : null;
        boolean failed = false;
        for (int i = 0; i < mutations.size(); i++) {
            stored[i] = store.get(itemKeys[i]);
            Item current = stored[i] == null ? null : ItemCodec.decode(stored[i]);
            WriteResult result;
            try {
                Item next = mutations.get(i).apply(current);
                result = new WriteResult(current, next);
                if (next != null && result.changed()) {
                    IndexEntries.check(definitions.get(mutations.get(i).table().id()), next);
                }
            } catch (DynamoException e) {
                if (reasons == null) {
                    throw e;
                }
                failed = true;
                results.add(new WriteResult(current, current));
                reasons.add(new CancellationReason(reasonCode(e.code()), e.getMessage(), e.item().orElse(null)));
                continue;
            }
            results.add(result);
            if (reasons != null) {
                reasons.add(CancellationReason.NONE);
            }
        }
        if (failed) {
            throw DynamoException.transactionCanceled(reasons);
        }
    }

    private static String reasonCode(ErrorCode code) {
        return switch (code) {
            case CONDITIONAL_CHECK_FAILED -> "ConditionalCheckFailed";
            case ITEM_COLLECTION_SIZE_LIMIT_EXCEEDED -> "ItemCollectionSizeLimitExceeded";
            case TRANSACTION_CONFLICT -> "TransactionConflict";
            default -> "ValidationError";
        };
    }

    /** Writes the group's batch at commit version {@code version} (0: no record changes, only state puts). */
    private void commit(List<Mutation> mutations, PartitionState[] targets, byte[][] itemKeys, byte[][] stored,
                        List<WriteResult> results, WriteContext context, long version,
                        Map<Long, TableDefinition> definitions) {
        long now = clock.millis();
        Map<PartitionState, PartitionHead> advanced = new IdentityHashMap<>();
        Committed.Listener listener = version == 0 ? null : committedListener;
        List<Committed> appended = listener == null ? null : new ArrayList<>(mutations.size());
        try (WriteBatch batch = new WriteBatch()) {
            int index = 0;
            for (int i = 0; i < mutations.size(); i++) {
                WriteResult result = results.get(i);
                if (!result.changed()) {
                    continue;
                }
                PartitionState state = targets[i];
                Item oldItem = result.oldItem();
                Item newItem = result.newItem();
                PartitionHead head = advanced.getOrDefault(state, state.head).plusRecord(
                        (newItem == null ? 0 : 1) - (oldItem == null ? 0 : 1),
                        (newItem == null ? 0 : newItem.size()) - (oldItem == null ? 0 : oldItem.size()));
                byte[] encodedNew = newItem == null ? null : ItemCodec.encode(newItem);
                if (newItem != null) {
                    batch.put(itemKeys[i], encodedNew);
                } else {
                    batch.delete(itemKeys[i]);
                }
                Mutation m = mutations.get(i);
                head = derived.update(definitions.get(m.table().id()), itemKeys[i], oldItem, newItem, batch, head);
                advanced.put(state, head);
                Position position = new Position(version, index++);
                ChangeRecord record = new ChangeRecord(m.table().id(), m.table().name(), state.partition,
                        head.lastSequence(), position, eventName(result), m.key(), oldItem, newItem, now,
                        context.cause(), context.transactionId());
                store.put(batch, Keys.changelog(state.tableId, state.partition, position),
                        ChangeRecordCodec.encode(record, oldItem == null ? null : stored[i], encodedNew));
                if (appended != null) {
                    appended.add(new Committed(definitions.get(m.table().id()), record));
                }
                store.put(batch, Keys.commitLog(position), LogEntryCodec.encode(new LogEntry.Change(position,
                        state.tableId, state.partition, head.lastSequence(), now, partitionKeyHash(m, itemKeys[i]),
                        Keys.keyHash(itemKeys[i]))));
            }
            for (WriteContext.StatePut put : context.extraPuts()) {
                batch.put(put.key(), put.value());
            }
            for (Map.Entry<PartitionState, PartitionHead> e : advanced.entrySet()) {
                batch.put(Keys.partitionHead(e.getKey().tableId, e.getKey().partition), e.getValue().encode());
            }
            store.write(batch);
        } catch (RocksDBException e) {
            throw new StoreException("cannot build write batch: " + e.getMessage(), e);
        }
        advanced.forEach((state, head) -> state.head = head);
        if (appended != null) {
            listener.committed(version, appended);
        }
    }

    /**
     * Tells {@code listener} of the change records of every commit from now on, before its version
     * is published (see {@link Committed.Listener}); one listener, the live tail.
     */
    public void onCommitted(Committed.Listener listener) {
        this.committedListener = listener;
    }

    /** The key hash of the item's partition key: of its item key itself when the table has no sort key. */
    private static long partitionKeyHash(Mutation m, byte[] itemKey) {
        TableDefinition table = m.table();
        return table.rangeKey() == null ? Keys.keyHash(itemKey)
                : Keys.keyHash(Keys.partitionPrefix(table.id(), m.key().get(table.hashKey().name())));
    }

    private static EventName eventName(WriteResult result) {
        if (result.oldItem() == null) {
            return EventName.INSERT;
        }
        return result.newItem() == null ? EventName.REMOVE : EventName.MODIFY;
    }

    /**
     * Creates the table {@code spec} asks for. A table created with a stream takes a commit version
     * (published void: it appends nothing) as its stream's start, so that the stream's bounds are
     * commit boundaries like those of {@link #changeStream}.
     */
    public TableDefinition createTable(TableSpec spec, long nowMillis) {
        if (spec.streamViewType() == null) {
            return catalog.create(spec, nowMillis, null);
        }
        long version = versions.take();
        try {
            return catalog.create(spec, nowMillis, new Position(version, 0));
        } finally {
            versions.publish(version, 0);
        }
    }

    /**
     * Enables or disables the stream of {@code table} at a commit boundary: with every partition
     * lock of the table held (so no write of it is between taking its version and writing its
     * batch), takes the next commit version v, which appends nothing (it is published void), and
     * has the catalog replace the table's definition with what {@code change} makes of the
     * current one and of the boundary (v, 0). Every change of the table committed before has a
     * smaller position, every later one a larger; the catalog keeps the boundary, so the counter
     * never gives v out again, even after a restart.
     */
    public TableDefinition changeStream(TableDefinition table, BiFunction<TableDefinition, Position,
            TableDefinition> change) {
        PartitionState[] states = livePartitions(table);
        for (PartitionState state : states) {
            state.lock.lock();
        }
        long version = 0;
        try {
            version = versions.take();
            Position at = new Position(version, 0);
            return catalog.update(table, current -> change.apply(current, at));
        } finally {
            for (int i = states.length - 1; i >= 0; i--) {
                states[i].lock.unlock();
            }
            if (version > 0) {
                versions.publish(version, 0);
            }
        }
    }

    /**
     * Deletes {@code table}: with every partition lock held (so no write slips in), one batch
     * removes its items, retires its definition (its stream, if enabled, disabled at the deletion)
     * and appends its table-deleted entry at the next commit version, the table's last changelog
     * position. Its changelog stays until retention ends, then the trimmer drops it with the
     * definition.
     */
    public void deleteTable(TableDefinition table) {
        PartitionState[] states = livePartitions(table);
        for (PartitionState state : states) {
            state.lock.lock();
        }
        long version = 0;
        boolean written = false;
        try (WriteBatch batch = new WriteBatch()) {
            TableDefinition current = catalog.byId(table.id()).orElseThrow(() -> DynamoException.tableNotFound(
                    table.name()));
            version = versions.take();
            Position at = new Position(version, 0);
            long now = clock.millis();
            for (KeyRange range : List.of(Keys.tableItems(table.id()), Keys.tableIndexEntries(table.id()),
                    Keys.tableTtl(table.id()))) {
                batch.deleteRange(range.start(), range.end());
            }
            store.put(batch, Keys.commitLog(at), LogEntryCodec.encode(new LogEntry.TableDeleted(at, table.id(), now)));
            catalog.retire(current.withStreamDisabled(now, at), at, batch, () -> store.write(batch));
            written = true;
        } catch (RocksDBException e) {
            throw new StoreException("cannot build delete batch: " + e.getMessage(), e);
        } finally {
            for (int i = states.length - 1; i >= 0; i--) {
                states[i].lock.unlock();
            }
            if (version > 0) {
                versions.publish(version, written ? 1 : 0);
            }
        }
    }

    /**
     * On a follower, which never writes through here: reads the partition heads of table
     * {@code tableId} again from RocksDB, where an applied batch of its leader moved them, or
     * forgets them when the catalog no longer knows the table.
     */
    public void reloadHeads(long tableId) {
        TableDefinition table = catalog.byId(tableId)
                .or(() -> catalog.retired(tableId).map(RetiredTable::definition)).orElse(null);
        if (table == null) {
            partitions.remove(tableId);
        } else {
            partitions.put(tableId, loadHeads(table));
        }
    }

    /** Forgets the partitions of a retired table whose changelog the trimmer removed. */
    public void forget(long tableId) {
        partitions.remove(tableId);
    }

    /** The last sequence committed in a changelog partition (0 when it has none or the table is unknown). */
    public long head(TableDefinition table, int partition) {
        PartitionState[] states = partitions.get(table.id());
        return states == null || partition >= states.length ? 0 : states[partition].head.lastSequence();
    }

    /**
     * Item count and total item size of a table, and of each of its secondary indexes, kept
     * exactly by every commit; zeros for an unknown table.
     */
    public TableStats stats(TableDefinition table) {
        Counts items = Counts.ZERO;
        Map<Integer, Counts> indexes = new HashMap<>();
        for (PartitionState state : partitions.getOrDefault(table.id(), new PartitionState[0])) {
            PartitionHead head = state.head;
            items = items.plus(head.items().itemCount(), head.items().sizeBytes());
            head.indexes().forEach((id, c) -> indexes.merge(id, c, (a, b) -> a.plus(b.itemCount(), b.sizeBytes())));
        }
        return new TableStats(items.itemCount(), items.sizeBytes(), indexes);
    }

    /** Item count and size in bytes of one table, and the same of each of its secondary indexes by id. */
    public record TableStats(long itemCount, long sizeBytes, Map<Integer, Counts> indexes) {
        public TableStats {
            indexes = Map.copyOf(indexes);
        }

        /** The counts of the index with id {@code indexId} (zeros when it has no entries). */
        public Counts index(int indexId) {
            return indexes.getOrDefault(indexId, Counts.ZERO);
        }
    }

    /** The partitions of a live table, for writing; ResourceNotFound for a table that is not live. */
    PartitionState[] livePartitions(TableDefinition table) {
        if (!catalog.isLive(table)) {
            throw DynamoException.resourceNotFound();
        }
        return partitions.computeIfAbsent(table.id(), id -> loadHeads(table));
    }

    private PartitionState[] loadHeads(TableDefinition table) {
        PartitionState[] states = new PartitionState[table.changelogPartitions()];
        for (int p = 0; p < states.length; p++) {
            byte[] head = store.get(Keys.partitionHead(table.id(), p));
            states[p] = new PartitionState(table.id(), p, head == null ? PartitionHead.EMPTY : PartitionHead.decode(head));
        }
        return states;
    }

    /** The index and TTL entry maintenance the commits use, for backfills under the same locks. */
    DerivedEntries derived() {
        return derived;
    }

    Store store() {
        return store;
    }

    Catalog catalog() {
        return catalog;
    }

    /** The distinct partitions of {@code targets}, in the global lock order. */
    private static PartitionState[] lockOrder(PartitionState[] targets) {
        Map<PartitionState, Boolean> distinct = new LinkedHashMap<>();
        for (PartitionState t : targets) {
            distinct.put(t, Boolean.TRUE);
        }
        PartitionState[] ordered = distinct.keySet().toArray(new PartitionState[0]);
        Arrays.sort(ordered, PartitionState::compareTo);
        return ordered;
    }
}
