package io.jormundb.streams.log;

import io.jormundb.engine.catalog.KeyAttribute;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.changelog.ChangeRecord;
import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.streams.json.KeyText;

/**
 * A feed's key filter: the changes of one partition key, or of one item (partition and sort
 * key), given as key text ({@link KeyText}). In a table's feed the text is normalised when the
 * feed opens; in the all-tables feed it matches the tables whose key it is the text of.
 *
 * @param sortKey {@code null} for every item of the partition key
 */
public record KeyFilter(String partitionKey, String sortKey) {
    public KeyFilter {
        if (partitionKey == null) {
            throw new IllegalArgumentException("a key filter names a partition key");
        }
    }

    /** Whether {@code record}, a change of {@code table}, is one this filter passes. */
    public boolean matches(TableDefinition table, ChangeRecord record) {
        if (!partitionKey.equals(KeyText.of(record.keys().get(table.hashKey().name())))) {
            return false;
        }
        return sortKey == null || (table.rangeKey() != null
                && sortKey.equals(KeyText.of(record.keys().get(table.rangeKey().name()))));
    }

    /**
     * The key of the trim mark that says how much of this filter's records in {@code table} was
     * trimmed, or {@code null} when no record of the table can pass the filter.
     */
    byte[] trimMarkKey(TableDefinition table) {
        AttributeValue pk = valueIn(table.hashKey(), partitionKey);
        if (pk == null) {
            return null;
        }
        if (sortKey == null) {
            return Keys.trimMarkOfKey(table.id(), Keys.keyHash(Keys.partitionPrefix(table.id(), pk)));
        }
        AttributeValue sk = table.rangeKey() == null ? null : valueIn(table.rangeKey(), sortKey);
        return sk == null ? null : Keys.trimMarkOfKey(table.id(), Keys.keyHash(Keys.item(table.id(), pk, sk)));
    }

    /** The key value whose text is exactly {@code text}, or {@code null} when there is none of this type. */
    private static AttributeValue valueIn(KeyAttribute key, String text) {
        try {
            AttributeValue value = KeyText.parse(key, text);
            return KeyText.of(value).equals(text) ? value : null;
        } catch (DynamoException e) {
            return null;
        }
    }
}
