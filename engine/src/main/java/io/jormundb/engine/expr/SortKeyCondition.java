package io.jormundb.engine.expr;

import io.jormundb.engine.value.AttributeValue;

/** The condition on a Query's sort key; {@code upper} is set for BETWEEN only ({@code value} is the lower bound). */
public record SortKeyCondition(Operator op, AttributeValue value, AttributeValue upper) {
    public enum Operator { EQ, LT, LE, GT, GE, BETWEEN, BEGINS_WITH }

    /** Whether a sort key value satisfies this condition (DynamoDB's ordering; other types never do). */
    public boolean test(AttributeValue sortKey) {
        if (sortKey == null) {
            return false;
        }
        return switch (op) {
            case EQ -> Evaluator.compare(Comparator.EQ, sortKey, value);
            case LT -> Evaluator.compare(Comparator.LT, sortKey, value);
            case LE -> Evaluator.compare(Comparator.LE, sortKey, value);
            case GT -> Evaluator.compare(Comparator.GT, sortKey, value);
            case GE -> Evaluator.compare(Comparator.GE, sortKey, value);
            case BETWEEN -> Evaluator.compare(Comparator.GE, sortKey, value)
                    && Evaluator.compare(Comparator.LE, sortKey, upper);
            case BEGINS_WITH -> Values.beginsWith(sortKey, value);
        };
    }
}
