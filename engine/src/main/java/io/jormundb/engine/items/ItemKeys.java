package io.jormundb.engine.items;

import io.jormundb.engine.catalog.KeyAttribute;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Item;
import io.jormundb.engine.value.ItemSize;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks items and keys against a table's key schema, with DynamoDB's messages: every write, every
 * Key parameter and a Query's partition key pass through here. A key value is never an empty S or
 * B, a partition key value is at most {@value #MAX_PARTITION_KEY_BYTES} bytes and a sort key value
 * at most {@value #MAX_SORT_KEY_BYTES} (UTF-8 bytes of an S, bytes of a B; an N is at most 21).
 */
public final class ItemKeys {
    /** DynamoDB's limit on the size of a partition key value. */
    public static final int MAX_PARTITION_KEY_BYTES = 2048;
    /** DynamoDB's limit on the size of a sort key value. */
    public static final int MAX_SORT_KEY_BYTES = 1024;

    private ItemKeys() {
    }

    /**
     * The key of a full item (PutItem): every key attribute present, of its schema type, not an
     * empty string or binary, and within the size limits.
     */
    public static Item ofItem(TableDefinition table, Item item) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (KeyAttribute k : table.keyAttributes()) {
            AttributeValue v = item.get(k.name());
            if (v == null) {
                throw DynamoException.validation(
                        "One or more parameter values were invalid: Missing the key " + k.name() + " in the item");
            }
            if (!v.type().equals(k.type())) {
                throw DynamoException.validation("One or more parameter values were invalid: Type mismatch for key "
                        + k.name() + " expected: " + k.type() + " actual: " + v.type());
            }
            checkValue(table, k, v);
            key.put(k.name(), v);
        }
        return new Item(key);
    }

    /**
     * A Key parameter (GetItem, DeleteItem, UpdateItem): exactly the key attributes, of their
     * schema types, not empty and within the size limits.
     */
    public static Item ofKey(TableDefinition table, Item key) {
        List<KeyAttribute> keys = table.keyAttributes();
        if (key.attributes().size() != keys.size()) {
            throw DynamoException.validation("The provided key element does not match the schema");
        }
        Map<String, AttributeValue> ordered = new LinkedHashMap<>();
        for (KeyAttribute k : keys) {
            AttributeValue v = key.get(k.name());
            if (v == null || !v.type().equals(k.type())) {
                throw DynamoException.validation("The provided key element does not match the schema");
            }
            checkValue(table, k, v);
            ordered.put(k.name(), v);
        }
        return new Item(ordered);
    }

    /** The key attributes of an item known to be valid (a stored one). */
    public static Item project(TableDefinition table, Item item) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (KeyAttribute k : table.keyAttributes()) {
            key.put(k.name(), item.get(k.name()));
        }
        return new Item(key);
    }

    /**
     * The values of one part of a secondary index's key in an item about to be written: the
     * partition key attributes ({@code partition}) or the sort key attributes, or {@code null} when
     * one of them is absent (the item is not in the index). Each present value must have its
     * defined type and not be an empty S or B; together they are limited like a table's partition
     * or sort key value.
     */
    public static List<AttributeValue> indexKey(String indexName, List<KeyAttribute> keys, Item item,
                                                boolean partition) {
        List<AttributeValue> values = new ArrayList<>(keys.size());
        long size = 0;
        for (KeyAttribute k : keys) {
            AttributeValue v = item.get(k.name());
            if (v == null) {
                continue;
            }
            if (!v.type().equals(k.type())) {
                throw DynamoException.validation("One or more parameter values were invalid: Type mismatch for Index Key "
                        + k.name() + " Expected: " + k.type() + " Actual: " + v.type() + " IndexName: " + indexName);
            }
            if (isEmpty(v)) {
                throw DynamoException.validation("One or more parameter values are not valid. A value specified for a "
                        + "secondary index key is not supported. The AttributeValue for a key attribute cannot contain "
                        + "an empty " + emptyKind(v) + " value. IndexName: " + indexName + ", IndexKey: " + k.name());
            }
            size += ItemSize.of(v);
            values.add(v);
        }
        checkSize(size, partition);
        return values.size() == keys.size() ? values : null;
    }

    /** A Query's partition key value, of the schema type already: within the size limit. */
    static void checkPartitionKeySize(AttributeValue value) {
        checkSize(ItemSize.of(value), true);
    }

    private static void checkSize(long size, boolean partition) {
        if (partition && size > MAX_PARTITION_KEY_BYTES) {
            // Sic: DynamoDB writes no space between "of" and the limit.
            throw DynamoException.validation("One or more parameter values were invalid: "
                    + "Size of hashkey has exceeded the maximum size limit of" + MAX_PARTITION_KEY_BYTES + " bytes");
        }
        if (!partition && size > MAX_SORT_KEY_BYTES) {
            throw DynamoException.validation("One or more parameter values were invalid: "
                    + "Aggregated size of all range keys has exceeded the size limit of " + MAX_SORT_KEY_BYTES + " bytes");
        }
    }

    private static void checkValue(TableDefinition table, KeyAttribute k, AttributeValue v) {
        checkNotEmpty(k, v);
        checkSize(ItemSize.of(v), k.equals(table.hashKey()));
    }

    private static void checkNotEmpty(KeyAttribute k, AttributeValue v) {
        if (isEmpty(v)) {
            throw DynamoException.validation("One or more parameter values are not valid. The AttributeValue for a "
                    + "key attribute cannot contain an empty " + emptyKind(v) + " value. Key: " + k.name());
        }
    }

    private static boolean isEmpty(AttributeValue v) {
        return switch (v) {
            case AttributeValue.S s -> s.value().isEmpty();
            case AttributeValue.B b -> b.value().length() == 0;
            default -> false;
        };
    }

    private static String emptyKind(AttributeValue v) {
        return v instanceof AttributeValue.S ? "string" : "binary";
    }
}
