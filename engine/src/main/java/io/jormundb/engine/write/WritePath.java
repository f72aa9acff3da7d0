package io.jormundb.engine.write;

import io.jormundb.engine.catalog.Catalog;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.changelog.ChangeRecord;
import io.jormundb.engine.changelog.ChangeRecordCodec;
import io.jormundb.engine.changelog.EventName;
import io.jormundb.engine.codec.ByteReader;
import io.jormundb.engine.codec.ByteWriter;
import io.jormundb.engine.codec.ItemCodec;
import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.error.DynamoException.CancellationReason;
import io.jormundb.engine.error.ErrorCode;
import io.jormundb.engine.store.Store;
import io.jormundb.engine.store.StoreException;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Item;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one place every item mutation passes (single writes, batches, transactions, TTL expiry).
 * For a group of mutations it:
 * <ol>
 *   <li>takes the locks of the affected changelog partitions in one global order
 *       (table id, then partition), so that writers to different partitions run in parallel and
 *       multi-item groups cannot deadlock;</li>
 *   <li>reads each current item and asks the mutation for the new one;</li>
 *   <li>builds ONE RocksDB WriteBatch with the item puts/deletes, one change record per changed
 *       item under the next gapless sequence of its partition, and the partition heads;</li>
 *   <li>writes it, and only then updates the in-memory heads and releases the locks;</li>
 *   <li>wakes the {@link CommitListener}s of the partitions that advanced.</li>
 * </ol>
 * Sequence order is therefore commit order, and no reader can see sequence n+1 before n. A
 * crash leaves all of a batch or none of it. Thread-safe.
 */
public final class WritePath {
    private final Store store;
    private final Catalog catalog;
    private final Clock clock;
    private final ConcurrentHashMap<Long, PartitionState[]> partitions = new ConcurrentHashMap<>();
    private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();
    private final IdempotencyTokens idempotencyTokens;

    public WritePath(Store store, Catalog catalog, Clock clock) {
        this.store = store;
        this.catalog = catalog;
        this.clock = clock;
        this.idempotencyTokens = new IdempotencyTokens(store, clock);
        for (TableDefinition table : catalog.all()) {
            partitions.put(table.id(), loadHeads(table));
        }
    }

    public void addListener(CommitListener listener) {
        listeners.add(listener);
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
            targets[i] = partitionsOf(table)[Keys.changelogPartitionOfItem(itemKeys[i], table.changelogPartitions())];
        }
        PartitionState[] locked = lockOrder(targets);
        List<WriteResult> results = new ArrayList<>(n);
        Map<PartitionState, long[]> advanced = new IdentityHashMap<>();
        for (PartitionState state : locked) {
            state.lock.lock();
        }
        try {
            for (Mutation m : mutations) {
                if (!catalog.isLive(m.table())) {
                    throw DynamoException.resourceNotFound();
                }
            }
            applyAll(mutations, itemKeys, context, results);
            commit(mutations, targets, itemKeys, results, context, advanced);
        } finally {
            for (int i = locked.length - 1; i >= 0; i--) {
                locked[i].lock.unlock();
            }
        }
        for (Map.Entry<PartitionState, long[]> e : advanced.entrySet()) {
            TableDefinition table = catalog.byId(e.getKey().tableId).orElse(null);
            if (table != null) {
                for (CommitListener listener : listeners) {
                    listener.committed(table, e.getKey().partition, e.getValue()[0]);
                }
            }
        }
        return results;
    }

    private void applyAll(List<Mutation> mutations, byte[][] itemKeys, WriteContext context,
                          List<WriteResult> results) {
        List<CancellationReason> reasons = context.transactional() ? new ArrayList<>() : null;
        boolean failed = false;
        for (int i = 0; i < mutations.size(); i++) {
            byte[] stored = store.get(itemKeys[i]);
            Item current = stored == null ? null : ItemCodec.decode(stored);
            try {
                Item next = mutations.get(i).apply(current);
                results.add(new WriteResult(current, next));
                if (reasons != null) {
                    reasons.add(CancellationReason.NONE);
                }
            } catch (DynamoException e) {
                if (reasons == null) {
                    throw e;
                }
                failed = true;
                results.add(new WriteResult(current, current));
                reasons.add(new CancellationReason(reasonCode(e.code()), e.getMessage(), e.item().orElse(null)));
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

    private void commit(List<Mutation> mutations, PartitionState[] targets, byte[][] itemKeys,
                        List<WriteResult> results, WriteContext context, Map<PartitionState, long[]> advanced) {
        long now = clock.millis();
        try (WriteBatch batch = new WriteBatch()) {
            for (int i = 0; i < mutations.size(); i++) {
                WriteResult result = results.get(i);
                if (!result.changed()) {
                    continue;
                }
                PartitionState state = targets[i];
                long[] head = advanced.computeIfAbsent(state,
                        s -> new long[] {s.lastSequence, s.itemCount, s.sizeBytes});
                head[0]++;
                if (result.oldItem() != null) {
                    head[1]--;
                    head[2] -= result.oldItem().size();
                }
                if (result.newItem() != null) {
                    head[1]++;
                    head[2] += result.newItem().size();
                    batch.put(itemKeys[i], ItemCodec.encode(result.newItem()));
                } else {
                    batch.delete(itemKeys[i]);
                }
                Mutation m = mutations.get(i);
                ChangeRecord record = new ChangeRecord(m.table().id(), m.table().name(), state.partition, head[0],
                        eventName(result), m.key(), result.oldItem(), result.newItem(), now, context.cause(),
                        context.transactionId());
                batch.put(Keys.changelog(state.tableId, state.partition, head[0]), ChangeRecordCodec.encode(record));
            }
            for (WriteContext.StatePut put : context.extraPuts()) {
                batch.put(put.key(), put.value());
            }
            if (advanced.isEmpty() && context.extraPuts().isEmpty()) {
                return;
            }
            for (Map.Entry<PartitionState, long[]> e : advanced.entrySet()) {
                batch.put(Keys.partitionHead(e.getKey().tableId, e.getKey().partition), encodeHead(e.getValue()));
            }
            store.write(batch);
        } catch (RocksDBException e) {
            advanced.clear();
            throw new StoreException("cannot build write batch: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            advanced.clear();
            throw e;
        }
        for (Map.Entry<PartitionState, long[]> e : advanced.entrySet()) {
            PartitionState state = e.getKey();
            long[] head = e.getValue();
            state.itemCount = head[1];
            state.sizeBytes = head[2];
            state.lastSequence = head[0];
        }
    }

    private static EventName eventName(WriteResult result) {
        if (result.oldItem() == null) {
            return EventName.INSERT;
        }
        return result.newItem() == null ? EventName.REMOVE : EventName.MODIFY;
    }

    /**
     * Deletes {@code table}: its items, changelog, heads and catalog entry in one batch, with
     * every partition lock held so no write slips in; then tells the listeners.
     */
    public void deleteTable(TableDefinition table) {
        PartitionState[] states = partitionsOf(table);
        for (PartitionState state : states) {
            state.lock.lock();
        }
        try (WriteBatch batch = new WriteBatch()) {
            batch.deleteRange(Keys.tableItems(table.id()).start(), Keys.tableItems(table.id()).end());
            batch.deleteRange(Keys.changelogTable(table.id()).start(), Keys.changelogTable(table.id()).end());
            batch.deleteRange(Keys.partitionHeads(table.id()).start(), Keys.partitionHeads(table.id()).end());
            catalog.remove(table, batch, () -> store.write(batch));
            partitions.remove(table.id());
        } catch (RocksDBException e) {
            throw new StoreException("cannot build delete batch: " + e.getMessage(), e);
        } finally {
            for (int i = states.length - 1; i >= 0; i--) {
                states[i].lock.unlock();
            }
        }
        for (CommitListener listener : listeners) {
            listener.tableDeleted(table);
        }
    }

    /** The last sequence committed in a changelog partition (0 when it has none). */
    public long head(TableDefinition table, int partition) {
        return partitionsOf(table)[partition].lastSequence;
    }

    /** Item count and total item size of a table, kept exactly by every commit. */
    public TableStats stats(TableDefinition table) {
        long count = 0;
        long bytes = 0;
        for (PartitionState state : partitionsOf(table)) {
            count += state.itemCount;
            bytes += state.sizeBytes;
        }
        return new TableStats(count, bytes);
    }

    /** Item count and size in bytes of one table. */
    public record TableStats(long itemCount, long sizeBytes) {
    }

    private PartitionState[] partitionsOf(TableDefinition table) {
        PartitionState[] states = partitions.get(table.id());
        if (states != null) {
            return states;
        }
        if (!catalog.isLive(table)) {
            throw DynamoException.resourceNotFound();
        }
        return partitions.computeIfAbsent(table.id(), id -> loadHeads(table));
    }

    private PartitionState[] loadHeads(TableDefinition table) {
        PartitionState[] states = new PartitionState[table.changelogPartitions()];
        for (int p = 0; p < states.length; p++) {
            byte[] head = store.get(Keys.partitionHead(table.id(), p));
            if (head == null) {
                states[p] = new PartitionState(table.id(), p, 0, 0, 0);
            } else {
                ByteReader in = new ByteReader(head);
                states[p] = new PartitionState(table.id(), p, in.readLong(), in.readLong(), in.readLong());
            }
        }
        return states;
    }

    private static byte[] encodeHead(long[] head) {
        return new ByteWriter(24).writeLong(head[0]).writeLong(head[1]).writeLong(head[2]).toByteArray();
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
