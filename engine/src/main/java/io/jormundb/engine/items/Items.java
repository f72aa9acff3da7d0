package io.jormundb.engine.items;

import io.jormundb.engine.catalog.KeyAttribute;
import io.jormundb.engine.catalog.SecondaryIndex;
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
import io.jormundb.engine.value.ValueLimits;
import io.jormundb.engine.write.Mutation;
import io.jormundb.engine.write.WritePath;
import io.jormundb.engine.write.WriteResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
            ValueLimits.check(next);
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

    /** One page of a Query of a table: the items of one partition key, in sort key order. */
    public Page query(TableDefinition table, KeyCondition condition, boolean forward, ReadSpec spec) {
        return query(Source.table(table), condition, forward, spec);
    }

    /**
     * One page of a Query of a table or an index: the items (index entries) of one partition key,
     * in sort key order, one iterator range over the key encoding.
     */
    public Page query(Source source, KeyCondition condition, boolean forward, ReadSpec spec) {
        TableDefinition table = source.table();
        byte[] partition;
        if (source.index() == null) {
            ItemKeys.checkPartitionKeySize(condition.partitionKey());
            partition = Keys.partitionPrefix(table.id(), condition.partitionKey());
        } else {
            partition = Keys.indexPartitionWriter(table.id(), source.index().id(), condition.partition()).toByteArray();
        }
        KeyRange range = sortKeyRange(partition, condition.sortKeyPrefix(), condition.sortKey());
        byte[] start = range.start();
        byte[] end = range.end();
        if (spec.exclusiveStartKey() != null) {
            byte[] after = queryStartKey(source, condition, partition, spec.exclusiveStartKey());
            if (forward) {
                start = max(start, justAfter(after));
            } else {
                end = min(end, after);
            }
        }
        return read(source, start, end, forward, spec);
    }

    /**
     * The keys under {@code partition} (a partition prefix) whose sort key values start with
     * {@code sortPrefix} and whose next sort key value satisfies {@code sk} ({@code null}: any).
     * Key encodings are prefix-free, so "the keys whose next value is v" is the prefix range of
     * v's encoding, whatever follows it (an index entry's item key does).
     */
    private static KeyRange sortKeyRange(byte[] partition, List<AttributeValue> sortPrefix, SortKeyCondition sk) {
        ByteWriter w = new ByteWriter(partition.length + 32).write(partition);
        KeyCodec.encode(sortPrefix, w);
        byte[] prefix = w.toByteArray();
        if (sk == null) {
            return KeyRange.prefix(prefix);
        }
        byte[] value = append(prefix, sk.value());
        return switch (sk.op()) {
            case EQ -> KeyRange.prefix(value);
            case LT -> new KeyRange(prefix, value);
            case LE -> new KeyRange(prefix, KeyRange.successor(value));
            case GT -> new KeyRange(KeyRange.successor(value), KeyRange.successor(prefix));
            case GE -> new KeyRange(value, KeyRange.successor(prefix));
            case BETWEEN -> new KeyRange(value, KeyRange.successor(append(prefix, sk.upper())));
            case BEGINS_WITH -> {
                ByteWriter b = new ByteWriter(prefix.length + 16).write(prefix);
                KeyCodec.encodePrefix(sk.value(), b);
                yield KeyRange.prefix(b.toByteArray());
            }
        };
    }

    /** One page of a Scan of a table, segment {@code segment} of {@code totalSegments} (0 of 1 for all). */
    public Page scan(TableDefinition table, int segment, int totalSegments, ReadSpec spec) {
        return scan(Source.table(table), segment, totalSegments, spec);
    }

    /**
     * One page of a Scan of a table or an index, segment {@code segment} of {@code totalSegments}:
     * one contiguous range of (index) partition key hashes.
     */
    public Page scan(Source source, int segment, int totalSegments, ReadSpec spec) {
        long from = ceilDiv((long) segment << 32, totalSegments);
        long to = ceilDiv((long) (segment + 1) << 32, totalSegments);
        TableDefinition table = source.table();
        KeyRange range = source.index() == null ? Keys.hashRange(table.id(), from, to)
                : Keys.indexHashRange(table.id(), source.index().id(), from, to);
        byte[] start = range.start();
        byte[] end = range.end();
        if (spec.exclusiveStartKey() != null) {
            byte[] key = startKey(source, spec.exclusiveStartKey());
            if (totalSegments > 1 && (Arrays.compareUnsigned(key, start) < 0 || Arrays.compareUnsigned(key, end) >= 0)) {
                throw DynamoException.validation("The provided Exclusive start key does not map to the provided "
                        + "Segment and TotalSegments values. Segment: " + segment + " TotalSegments: " + totalSegments);
            }
            start = max(start, justAfter(key));
        }
        return read(source, start, end, true, spec);
    }

    /**
     * The storage key a Query's ExclusiveStartKey names, which must lie within what the query
     * reads: its sort key values satisfy the sort key condition, its partition is the query's. A
     * table without a sort key has one item per partition, so no query of it can be restarted.
     */
    private static byte[] queryStartKey(Source source, KeyCondition condition, byte[] partition,
                                        Item exclusiveStartKey) {
        TableDefinition table = source.table();
        if (source.index() == null && table.rangeKey() == null) {
            throw DynamoException.validation("The provided exclusive start key is invalid: ExclusiveStartKey: "
                    + describe(exclusiveStartKey));
        }
        byte[] key = startKey(source, exclusiveStartKey);
        List<KeyAttribute> sortKey = (source.index() == null ? table.keySchema() : source.index().keySchema()).range();
        List<AttributeValue> prefix = condition.sortKeyPrefix();
        boolean matches = true;
        for (int i = 0; i < prefix.size(); i++) {
            matches &= new SortKeyCondition(SortKeyCondition.Operator.EQ, prefix.get(i), null)
                    .test(exclusiveStartKey.get(sortKey.get(i).name()));
        }
        if (condition.sortKey() != null) {
            matches &= condition.sortKey().test(exclusiveStartKey.get(sortKey.get(prefix.size()).name()));
        }
        if (!matches) {
            throw DynamoException.validation("The provided starting key does not match the range key predicate");
        }
        if (!startsWith(key, partition)) {
            throw DynamoException.validation(
                    "The provided starting key is outside query boundaries based on provided conditions");
        }
        return key;
    }

    /** A key as DynamoDB's messages show one: {@code {p=AttributeValue: {S:abc}}}. */
    private static String describe(Item key) {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, AttributeValue> e : key.attributes().entrySet()) {
            String value = switch (e.getValue()) {
                case AttributeValue.S v -> v.value();
                case AttributeValue.N v -> v.text();
                case AttributeValue.B v -> v.value().toBase64();
                default -> String.valueOf(e.getValue());
            };
            out.append(out.length() > 1 ? ", " : "").append(e.getKey()).append("=AttributeValue: {")
                    .append(e.getValue().type()).append(':').append(value).append('}');
        }
        return out.append('}').toString();
    }

    /**
     * The storage key an ExclusiveStartKey names: an item key, or for an index the entry key built
     * from the index key attributes and the table key attributes (exactly those) it must hold.
     */
    private static byte[] startKey(Source source, Item exclusiveStartKey) {
        TableDefinition table = source.table();
        SecondaryIndex index = source.index();
        if (index == null) {
            if (!exclusiveStartKey.attributes().keySet().equals(Set.copyOf(table.keyAttributeNames()))) {
                throw DynamoException.validation("The provided starting key is invalid: "
                        + "The provided key element does not match the schema");
            }
            return itemKey(table, ItemKeys.ofKey(table, exclusiveStartKey));
        }
        Set<String> names = index.keyAttributes(table);
        if (!exclusiveStartKey.attributes().keySet().equals(names)) {
            throw DynamoException.validation("The provided starting key is invalid");
        }
        Map<String, AttributeValue> tableKey = new LinkedHashMap<>();
        for (String name : table.keyAttributeNames()) {
            tableKey.put(name, exclusiveStartKey.get(name));
        }
        byte[] itemKey;
        List<AttributeValue> partition;
        List<AttributeValue> sort;
        try {
            itemKey = itemKey(table, ItemKeys.ofKey(table, new Item(tableKey)));
            partition = ItemKeys.indexKey(index.name(), index.keySchema().hash(), exclusiveStartKey, true);
            sort = ItemKeys.indexKey(index.name(), index.keySchema().range(), exclusiveStartKey, false);
        } catch (DynamoException e) {
            throw DynamoException.validation("The provided starting key is invalid: " + e.getMessage());
        }
        return Keys.indexEntry(table.id(), index.id(), partition, sort, itemKey);
    }

    private Page read(Source source, byte[] start, byte[] end, boolean forward, ReadSpec spec) {
        List<Item> items = new ArrayList<>();
        int count = 0;
        int scanned = 0;
        long bytes = 0;
        Item last = null;
        if (Arrays.compareUnsigned(start, end) >= 0) {
            return new Page(items, 0, 0, null, 0);
        }
        try (Store.View view = store.view(); Store.Cursor cursor = view.cursor(new KeyRange(start, end))) {
            if (forward) {
                cursor.seekFirst();
            } else {
                cursor.seekLast();
            }
            while (cursor.valid()) {
                Item read = ItemCodec.decode(cursor.value());
                Item item = source.fetchItems() ? fromTable(view, source.table(), read) : read;
                scanned++;
                bytes += item.size();
                if (spec.filter() == null || spec.filter().test(item)) {
                    count++;
                    if (!spec.countOnly()) {
                        items.add(spec.projection() == null ? source.returned(item) : spec.projection().apply(item));
                    }
                }
                if ((spec.limit() > 0 && scanned >= spec.limit()) || bytes >= PAGE_BYTES) {
                    last = read;
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
        Item lastKey = last == null ? null : source.index() == null ? ItemKeys.project(source.table(), last)
                : projectNames(last, source.index().keyAttributes(source.table()));
        return new Page(items, count, scanned, lastKey, bytes);
    }

    /** The table's item behind an index entry (read in the same view), or the entry when it is gone. */
    private static Item fromTable(Store.View view, TableDefinition table, Item entry) {
        byte[] stored = view.get(Keys.item(table.id(), entry.get(table.hashKey().name()),
                table.rangeKey() == null ? null : entry.get(table.rangeKey().name())));
        return stored == null ? entry : ItemCodec.decode(stored);
    }

    private static Item projectNames(Item item, Set<String> names) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (String name : names) {
            out.put(name, item.get(name));
        }
        return new Item(out);
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
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
