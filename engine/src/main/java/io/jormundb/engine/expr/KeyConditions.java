package io.jormundb.engine.expr;

import io.jormundb.engine.catalog.KeyAttribute;
import io.jormundb.engine.catalog.KeySchema;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.value.AttributeValue;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a Query's key condition into a {@link KeyCondition}: from an expression, exactly
 * {@code pk = :v}, optionally AND one condition on the sort key, in any order; and checks it
 * against the key schema with DynamoDB's messages. The legacy {@code KeyConditions} reach the
 * schema check through {@link #check}.
 *
 * <p>For a global index with a multi-attribute key the same holds per attribute: every partition
 * key attribute with {@code =}, and sort key attributes left to right without a gap, each with
 * {@code =} but the last one given, which may have any sort key condition.
 */
final class KeyConditions {
    private static final String PREFIX = "Invalid condition in KeyConditionExpression: ";

    /** One condition on one attribute; {@code op} is null for a legacy operator no index can serve. */
    record Part(String attribute, SortKeyCondition.Operator op, List<AttributeValue> values) {
    }

    private KeyConditions() {
    }

    static KeyCondition fromExpression(Expr.Cond cond, KeySchema schema) {
        List<Part> parts = new ArrayList<>();
        collect(cond, parts);
        checkCount(parts, schema);
        return check(parts, schema);
    }

    /** A key condition names one or two attributes, or up to every attribute of a larger key schema. */
    static void checkCount(List<Part> parts, KeySchema schema) {
        if (parts.isEmpty() || parts.size() > Math.max(2, schema.attributes().size())) {
            throw DynamoException.validation("Conditions can be of length 1 or 2 only");
        }
    }

    private static void collect(Expr.Cond cond, List<Part> parts) {
        switch (cond) {
            case Expr.And and -> {
                collect(and.left(), parts);
                collect(and.right(), parts);
            }
            case Expr.Or ignored -> throw invalidOperator("OR");
            case Expr.Not ignored -> throw invalidOperator("NOT");
            case Expr.In ignored -> throw invalidOperator("IN");
            case Expr.Exists ignored -> throw invalidOperator("attribute_exists");
            case Expr.NotExists ignored -> throw invalidOperator("attribute_not_exists");
            case Expr.TypeIs ignored -> throw invalidOperator("attribute_type");
            case Expr.Contains ignored -> throw invalidOperator("contains");
            case Expr.Always ignored -> throw new IllegalStateException("no such key condition");
            case Expr.Compare compare -> {
                if (compare.comparator() == Comparator.NE) {
                    throw invalidOperator("<>");
                }
                leaf(List.of(compare.left(), compare.right()), compare.comparator(), null, parts);
            }
            case Expr.Between between -> {
                if (!(between.value() instanceof Expr.PathOf)) {
                    throw DynamoException.validation(
                            PREFIX + "BETWEEN operator must have the key attribute as its first operand");
                }
                leaf(List.of(between.value(), between.lower(), between.upper()), null,
                        SortKeyCondition.Operator.BETWEEN, parts);
            }
            case Expr.BeginsWith beginsWith -> {
                if (!(beginsWith.value() instanceof Expr.PathOf)) {
                    throw DynamoException.validation(
                            PREFIX + "begins_with operator must have the key attribute as its first operand");
                }
                leaf(List.of(beginsWith.value(), beginsWith.prefix()), null, SortKeyCondition.Operator.BEGINS_WITH,
                        parts);
            }
        }
    }

    private static void leaf(List<Expr.Operand> operands, Comparator comparator, SortKeyCondition.Operator op,
                             List<Part> parts) {
        String attribute = null;
        int attributeAt = 0;
        List<AttributeValue> values = new ArrayList<>();
        for (int i = 0; i < operands.size(); i++) {
            switch (operands.get(i)) {
                case Expr.PathOf pathOf -> {
                    if (attribute != null) {
                        throw DynamoException.validation(PREFIX + "Multiple attribute names used in one condition");
                    }
                    if (pathOf.path().length() > 1) {
                        throw DynamoException.validation(
                                "KeyConditionExpressions cannot have conditions on nested attributes");
                    }
                    attribute = pathOf.path().attribute();
                    attributeAt = i;
                }
                case Expr.Literal literal -> values.add(literal.value());
                default -> throw DynamoException.validation("KeyConditionExpressions cannot contain nested operations");
            }
        }
        if (attribute == null) {
            throw DynamoException.validation(PREFIX + "No key attribute specified");
        }
        for (Part part : parts) {
            if (part.attribute().equals(attribute)) {
                throw DynamoException.validation("KeyConditionExpressions must only contain one condition per key");
            }
        }
        if (comparator != null) {
            Comparator c = attributeAt == 0 ? comparator : comparator.mirrored();
            op = switch (c) {
                case EQ -> SortKeyCondition.Operator.EQ;
                case LT -> SortKeyCondition.Operator.LT;
                case LE -> SortKeyCondition.Operator.LE;
                case GT -> SortKeyCondition.Operator.GT;
                case GE -> SortKeyCondition.Operator.GE;
                case NE -> throw new IllegalStateException();
            };
        }
        parts.add(new Part(attribute, op, values));
    }

    private static DynamoException invalidOperator(String operator) {
        return DynamoException.validation("Invalid operator used in KeyConditionExpression: " + operator);
    }

    /** Checks conditions against the key schema, partition key attributes first, then the sort key ones. */
    static KeyCondition check(List<Part> parts, KeySchema schema) {
        List<KeyAttribute> hashKeys = schema.hash();
        List<KeyAttribute> rangeKeys = schema.range();
        if (rangeKeys.isEmpty() && parts.size() > hashKeys.size()) {
            throw DynamoException.validation("Query key condition not supported");
        }
        List<AttributeValue> partition = new ArrayList<>();
        for (KeyAttribute hashKey : hashKeys) {
            Part hash = find(parts, hashKey.name());
            if (hash == null) {
                throw DynamoException.validation("Query condition missed key schema element: " + hashKey.name());
            }
            checkPart(hash, hashKey);
            if (hash.op() != SortKeyCondition.Operator.EQ) {
                throw DynamoException.validation("Query key condition not supported");
            }
            partition.add(hash.values().getFirst());
        }
        List<Part> ranges = new ArrayList<>();
        KeyAttribute firstMissing = null;
        for (KeyAttribute rangeKey : rangeKeys) {
            Part range = find(parts, rangeKey.name());
            if (range == null && firstMissing == null) {
                firstMissing = rangeKey;
            }
            ranges.add(range);
        }
        if (parts.size() > hashKeys.size() + ranges.stream().filter(p -> p != null).count()) {
            // A condition on an attribute outside the key schema.
            if (firstMissing != null) {
                throw DynamoException.validation("Query condition missed key schema element: " + firstMissing.name());
            }
            throw DynamoException.validation("Query key condition not supported");
        }
        return sortKey(partition, ranges, rangeKeys);
    }

    /**
     * The sort key part: the given sort key attributes must be a prefix of the schema's, all but
     * the last with {@code =}.
     */
    private static KeyCondition sortKey(List<AttributeValue> partition, List<Part> ranges, List<KeyAttribute> rangeKeys) {
        int last = -1;
        for (int i = 0; i < ranges.size(); i++) {
            if (ranges.get(i) != null) {
                last = i;
            }
        }
        List<AttributeValue> prefix = new ArrayList<>();
        for (int i = 0; i < last; i++) {
            Part earlier = ranges.get(i);
            if (earlier == null || earlier.op() != SortKeyCondition.Operator.EQ) {
                throw DynamoException.validation("RANGE key attributes " + rangeKeys.get(i).name() + " must have "
                        + "equality conditions specified in the query because a condition is present on key "
                        + "attribute " + rangeKeys.get(last).name());
            }
            checkPart(earlier, rangeKeys.get(i));
            prefix.add(earlier.values().getFirst());
        }
        SortKeyCondition sort = null;
        if (last >= 0) {
            Part range = ranges.get(last);
            checkPart(range, rangeKeys.get(last));
            List<AttributeValue> v = range.values();
            sort = new SortKeyCondition(range.op(), v.getFirst(), v.size() > 1 ? v.get(1) : null);
        }
        return new KeyCondition(partition, prefix, sort);
    }

    private static void checkPart(Part part, KeyAttribute key) {
        if (part.op() == null) {
            throw DynamoException.validation("Attempted conditional constraint is not an indexable operation");
        }
        for (AttributeValue value : part.values()) {
            if (!value.type().equals(key.type())) {
                throw Errors.invalidParameter("Condition parameter type does not match schema type");
            }
            if (value instanceof AttributeValue.S s && s.value().isEmpty()) {
                throw DynamoException.validation("One or more parameter values are not valid. The AttributeValue for "
                        + "a key attribute cannot contain an empty string value. Key: " + key.name());
            }
        }
    }

    private static Part find(List<Part> parts, String attribute) {
        for (Part part : parts) {
            if (part.attribute().equals(attribute)) {
                return part;
            }
        }
        return null;
    }
}
