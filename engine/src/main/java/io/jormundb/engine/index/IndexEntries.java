package io.jormundb.engine.index;

import io.jormundb.engine.catalog.SecondaryIndex;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.items.ItemKeys;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Bytes;
import io.jormundb.engine.value.Item;

import java.util.List;

/**
 * An item's entries in its table's secondary indexes. An item lacking any of an index's key
 * attributes has no entry in it (sparse indexes); one whose index key value is invalid is refused
 * with DynamoDB's ValidationException ({@link ItemKeys#indexKey}). Thread-safe.
 */
public final class IndexEntries {
    private IndexEntries() {
    }

    /** Refuses {@code item} when a key attribute of any of the table's indexes holds an invalid value. */
    public static void check(TableDefinition table, Item item) {
        for (SecondaryIndex index : table.indexes()) {
            ItemKeys.indexKey(index.name(), index.keySchema().hash(), item, true);
            ItemKeys.indexKey(index.name(), index.keySchema().range(), item, false);
        }
    }

    /**
     * The entry of a stored {@code item} ({@code null} for none) in {@code index}, or {@code null}
     * when it has none: also when its index key values break the index's rules. Such an item was
     * written before the index was added, and DynamoDB leaves it out of the index (an index key
     * violation) while it can still be read, corrected or deleted.
     */
    public static IndexEntry ofStored(TableDefinition table, SecondaryIndex index, Item item) {
        try {
            return entry(table, index, item);
        } catch (DynamoException violation) {
            return null;
        }
    }

    /**
     * The entry of {@code item} (about to be written; {@code null} for none) in {@code index} of
     * {@code table}, or {@code null} when it has none.
     */
    public static IndexEntry entry(TableDefinition table, SecondaryIndex index, Item item) {
        if (item == null) {
            return null;
        }
        List<AttributeValue> partition = ItemKeys.indexKey(index.name(), index.keySchema().hash(), item, true);
        List<AttributeValue> sort = ItemKeys.indexKey(index.name(), index.keySchema().range(), item, false);
        if (partition == null || sort == null) {
            return null;
        }
        byte[] itemKey = Keys.item(table.id(), item.get(table.hashKey().name()),
                table.rangeKey() == null ? null : item.get(table.rangeKey().name()));
        byte[] key = Keys.indexEntry(table.id(), index.id(), partition, sort, itemKey);
        return new IndexEntry(Bytes.wrap(key), index.projection().apply(item, index.keyAttributes(table)));
    }
}
