package io.jormundb.engine.items;

import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.codec.ByteWriter;
import io.jormundb.engine.codec.ItemCodec;
import io.jormundb.engine.codec.KeyCodec;
import io.jormundb.engine.codec.KeyRange;
import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.expr.Condition;
import io.jormundb.engine.expr.KeyCondition;
import io.jormundb.engine.expr.SortKeyCondition;
import io.jormundb.engine.expr.Update;
import io.jormundb.engine.store.Store;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Item;
import io.jormundb.engine.value.ItemSize;
import io.jormundb.engine.write.Mutation;
import io.jormundb.engine.write.WritePath;
import io.jormundb.engine.write.WriteResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Item operations: reads straight from RocksDB; writes are {@link Mutation}s built here (so that
 * every write validates and checks its condition alike) and committed by the {@link WritePath}. Query and Scan are iterator seeks over the order-preserving key encoding;
 * nothing is sorted in memory. Thread-safe.
 */
public final class Items {
    /** A Query or Scan page stops once it has read this much item data (DynamoDB's 1 MB). */
    public static final long PAGE_BYTES = 1024 * 1024;

    private final Store store;
    private final WritePath writePath;

    public Items(Store store, WritePath writePath) {
        this.store = store;
        this.writePath = writePath;
    }

    /** The item with {@code key} (a validated Key parameter), or {@code null}. */
    public Item get(TableDefinition table, Item key) {
        Item k = ItemKeys.ofKey(table, key);
        byte[] stored = store.get(itemKey(table, k));
        return stored == null ? null : ItemCodec.decode(stored);
    }

    /** A table and one of its item keys. */
    public record ItemRef(TableDefinition table, Item key) {
    }

    /**
     * Reads several items from one RocksDB snapshot, so that no write (or transaction) is seen
     * in part. Each result is the item or {@code null}, in the order of {@code refs}.
     */
    public List<Item> getAll(List<ItemRef> refs) {
        List<byte[]> keys = new ArrayList<>(refs.size());
        for (ItemRef ref : refs) {
            keys.add(itemKey(ref.table(), ItemKeys.ofKey(ref.table(), ref.key())));
        }
        List<Item> out = new ArrayList<>(refs.size());
        for (byte[] stored : store.getAll(keys)) {
            out.add(stored == null ? null : ItemCodec.decode(stored));
        }
        return out;
    }

    /**
     * A validated PutItem as a mutation, for single writes, batches and transactions alike.
     *
     * @param condition tested against the current item ({@link Item#EMPTY} when absent), or
     *                  {@code null} for none
     * @param returnOldOnConditionFailure put the current item into the ConditionalCheckFailedException
     */
    public static Mutation putMutation(TableDefinition table, Item item, Condition condition,
                                       boolean returnOldOnConditionFailure) {
        Item key = ItemKeys.ofItem(table, item);
        if (item.size() > ItemSize.MAX_ITEM_BYTES) {
            throw DynamoException.validation("Item size has exceeded the maximum allowed size");
        }
        return mutation(table, key, current -> item, condition, returnOldOnConditionFailure);
    }

    /** A validated DeleteItem as a mutation. */
    public static Mutation deleteMutation(TableDefinition table, Item key, Condition condition,
                                          boolean returnOldOnConditionFailure) {
        return mutation(table, ItemKeys.ofKey(table, key), current -> null, condition, returnOldOnConditionFailure);
    }

    /**
     * A validated UpdateItem as a mutation. {@code update} gets the current item, or for a new
     * item (upsert) one holding just the key — unless it only removes, which leaves a missing item
     * missing; its result is checked against the item size limit.
     */
    public static Mutation updateMutation(TableDefinition table, Item key, Update update,
                                          Condition condition, boolean returnOldOnConditionFailure) {
        Item validKey = ItemKeys.ofKey(table, key);
        return mutation(table, validKey, current -> {
            if (current == null && !update.createsItem()) {
                return null;
            }
            Item next = update.apply(current == null ? validKey : current);
            if (next.size() > ItemSize.MAX_ITEM_BYTES) {
                throw DynamoException.validation("Item size to update has exceeded the maximum allowed size");
            }
            return next;
        }, condition, returnOldOnConditionFailure);
    }

    /** A ConditionCheck (transactions): fails like a write would, changes nothing. */
    public static Mutation conditionCheck(TableDefinition table, Item key, Condition condition,
                                          boolean returnOldOnConditionFailure) {
        return mutation(table, ItemKeys.ofKey(table, key), current -> current, condition, returnOldOnConditionFailure);
    }

    /** A mutation that checks {@code condition} against the current item before {@code change}. */
    private static Mutation mutation(TableDefinition table, Item key, UnaryOperator<Item> change,
                                    Condition condition, boolean returnOldOnConditionFailure) {
        return Mutation.of(table, key, current -> {
            if (condition != null && !condition.test(current == null ? Item.EMPTY : current)) {
                throw DynamoException.conditionalCheckFailed(returnOldOnConditionFailure ? current : null);
            }
            return change.apply(current);
        });
    }

    /** One page of a Query: the items of one partition key, in sort key order. */
    public Page query(TableDefinition table, KeyCondition condition, boolean forward, ReadSpec spec) {
        ItemKeys.checkPartitionKeySize(condition.partitionKey());
        byte[] prefix = Keys.partitionPrefix(table.id(), condition.partitionKey());
        byte[] start = prefix;
        byte[] end = KeyRange.successor(prefix);
        SortKeyCondition sk = condition.sortKey();
        if (sk != null) {
            byte[] value = append(prefix, sk.value());
            switch (sk.op()) {
                case EQ -> {
                    start = value;
                    end = justAfter(value);
                }
                case LT -> end = value;
                case LE -> end = justAfter(value);
                case GT -> start = justAfter(value);
                case GE -> start = value;
                case BETWEEN -> {
                    start = value;
                    end = justAfter(append(prefix, sk.upper()));
                }
                case BEGINS_WITH -> {
                    ByteWriter w = new ByteWriter(prefix.length + 16).write(prefix);
                    KeyCodec.encodePrefix(sk.value(), w);
                    KeyRange r = KeyRange.prefix(w.toByteArray());
                    start = r.start();
                    end = r.end();
                }
            }
        }
        if (spec.exclusiveStartKey() != null) {
            Item esk = ItemKeys.ofKey(table, spec.exclusiveStartKey());
            if (!esk.get(table.hashKey().name()).equals(condition.partitionKey())) {
                throw DynamoException.validation("The provided starting key is invalid: "
                        + "The provided key element does not match the schema");
            }
            byte[] after = itemKey(table, esk);
            if (forward) {
                start = max(start, justAfter(after));
            } else {
                end = min(end, after);
            }
        }
        return read(table, start, end, forward, spec);
    }

    /** One page of a Scan of segment {@code segment} of {@code totalSegments} (0 of 1 for all). */
    public Page scan(TableDefinition table, int segment, int totalSegments, ReadSpec spec) {
        long from = ceilDiv((long) segment << 32, totalSegments);
        long to = ceilDiv((long) (segment + 1) << 32, totalSegments);
        KeyRange range = Keys.hashRange(table.id(), from, to);
        byte[] start = range.start();
        byte[] end = range.end();
        if (spec.exclusiveStartKey() != null) {
            Item esk = ItemKeys.ofKey(table, spec.exclusiveStartKey());
            byte[] key = itemKey(table, esk);
            if (totalSegments > 1 && (Arrays.compareUnsigned(key, start) < 0 || Arrays.compareUnsigned(key, end) >= 0)) {
                throw DynamoException.validation("The provided Exclusive start key does not map to the provided "
                        + "Segment and TotalSegments values. Segment: " + segment + " TotalSegments: " + totalSegments);
            }
            start = max(start, justAfter(key));
        }
        return read(table, start, end, true, spec);
    }

    private Page read(TableDefinition table, byte[] start, byte[] end, boolean forward, ReadSpec spec) {
        List<Item> items = new ArrayList<>();
        int count = 0;
        int scanned = 0;
        long bytes = 0;
        Item last = null;
        if (Arrays.compareUnsigned(start, end) >= 0) {
            return new Page(items, 0, 0, null, 0);
        }
        try (Store.Cursor cursor = store.cursor(new KeyRange(start, end))) {
            if (forward) {
                cursor.seekFirst();
            } else {
                cursor.seekLast();
            }
            while (cursor.valid()) {
                Item item = ItemCodec.decode(cursor.value());
                scanned++;
                bytes += item.size();
                if (spec.filter() == null || spec.filter().test(item)) {
                    count++;
                    if (!spec.countOnly()) {
                        items.add(spec.projection() == null ? item : spec.projection().apply(item));
                    }
                }
                if ((spec.limit() > 0 && scanned >= spec.limit()) || bytes >= PAGE_BYTES) {
                    last = item;
                    break;
                }
                if (forward) {
                    cursor.next();
                } else {
                    cursor.prev();
                }
            }
            cursor.check();
        }
        return new Page(items, count, scanned, last == null ? null : ItemKeys.project(table, last), bytes);
    }

    /** The storage key of an item key, which identifies the item (duplicate checks of batches). */
    public static byte[] itemKey(TableDefinition table, Item key) {
        return Keys.item(table.id(), key.get(table.hashKey().name()),
                table.rangeKey() == null ? null : key.get(table.rangeKey().name()));
    }

    private static byte[] append(byte[] prefix, AttributeValue value) {
        ByteWriter w = new ByteWriter(prefix.length + 16).write(prefix);
        KeyCodec.encode(value, w);
        return w.toByteArray();
    }

    /** The smallest key greater than {@code key}: the key followed by 0x00. */
    private static byte[] justAfter(byte[] key) {
        return Arrays.copyOf(key, key.length + 1);
    }

    private static byte[] max(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b) >= 0 ? a : b;
    }

    private static byte[] min(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b) <= 0 ? a : b;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
