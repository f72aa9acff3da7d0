package io.jormundb.engine.expr;

import io.jormundb.engine.value.AttributeValue;

/** A Query's key condition: the partition key value, and optionally a sort key condition. */
public record KeyCondition(AttributeValue partitionKey, SortKeyCondition sortKey) {
}
