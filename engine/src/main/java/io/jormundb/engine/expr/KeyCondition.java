package io.jormundb.engine.expr;

import io.jormundb.engine.value.AttributeValue;

/**
 * A Query's key condition: the partition key value, and the condition on the sort key or null
 * when there is none. The values have the key attributes' types (checked when it was made).
 */
public record KeyCondition(AttributeValue partitionKey, SortKeyCondition sortKey) {
}
