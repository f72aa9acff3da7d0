package io.jormundb.engine.expr;

import io.jormundb.engine.value.AttributeValue;

import java.util.List;

/**
 * A Query's key condition: the values of every partition key attribute (one for a table, up to
 * four for a global index with a multi-attribute key), the values of the sort key attributes
 * given with {@code =} before the last one given, and the condition on that last one, or null
 * when no sort key attribute is given. The values have the key attributes' types (checked when
 * it was made).
 *
 * @param sortKeyPrefix equality values of the leading sort key attributes; empty for a table
 */
public record KeyCondition(List<AttributeValue> partition, List<AttributeValue> sortKeyPrefix,
                           SortKeyCondition sortKey) {
    public KeyCondition {
        partition = List.copyOf(partition);
        sortKeyPrefix = List.copyOf(sortKeyPrefix);
    }

    /** The value of the first (for a table: the only) partition key attribute. */
    public AttributeValue partitionKey() {
        return partition.getFirst();
    }
}
