package io.jormundb.engine.expr;

import io.jormundb.engine.value.AttributeValue;

/** The sort key part of a Query's key condition. {@code upper} is set for BETWEEN only. */
public record SortKeyCondition(Operator op, AttributeValue value, AttributeValue upper) {
    public enum Operator { EQ, LT, LE, GT, GE, BETWEEN, BEGINS_WITH }
}
