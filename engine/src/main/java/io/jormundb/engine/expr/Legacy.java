package io.jormundb.engine.expr;

import io.jormundb.engine.catalog.KeyAttribute;
import io.jormundb.engine.catalog.KeySchema;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.ValueLimits;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pre-expression ("legacy conditional") parameters — {@code Expected}, {@code QueryFilter} /
 * {@code ScanFilter}, {@code KeyConditions}, {@code AttributeUpdates}, {@code AttributesToGet} —
 * checked with DynamoDB's messages and turned into the same {@link Condition}, {@link Update},
 * {@link Projection} and {@link KeyCondition} the expressions give. Thread-safe.
 */
public final class Legacy {
    /** One entry of {@code Expected}; any field may be null. */
    public record ExpectedEntry(AttributeValue value, Boolean exists, String comparisonOperator,
                                List<AttributeValue> attributeValueList) {
    }

    /** One entry of {@code QueryFilter}, {@code ScanFilter} or {@code KeyConditions}. */
    public record FilterEntry(String comparisonOperator, List<AttributeValue> attributeValueList) {
    }

    /** One entry of {@code AttributeUpdates}: action PUT, ADD or DELETE (null = PUT); value may be null. */
    public record AttributeUpdate(String action, AttributeValue value) {
    }

    private static final String INVALID = "One or more parameter values were invalid: ";
    private static final List<String> OPERATORS = List.of("IN", "NULL", "BETWEEN", "LT", "NOT_CONTAINS", "EQ", "GT",
            "NOT_NULL", "NE", "LE", "BEGINS_WITH", "GE", "CONTAINS");
    private static final Set<String> ONE_ARGUMENT =
            Set.of("EQ", "NE", "LE", "LT", "GE", "GT", "CONTAINS", "NOT_CONTAINS", "BEGINS_WITH");

    private Legacy() {
    }

    /** {@code Expected} with {@code ConditionalOperator} (AND when null). An empty or null map always holds. */
    public static Condition expected(Map<String, ExpectedEntry> expected, String conditionalOperator) {
        boolean or = isOr(conditionalOperator);
        List<Expr.Cond> conditions = new ArrayList<>();
        if (expected != null) {
            for (Map.Entry<String, ExpectedEntry> e : expected.entrySet()) {
                conditions.add(expectedCondition(e.getKey(), e.getValue()));
            }
        }
        return new ConditionPlan(combine(conditions, or));
    }

    /**
     * {@code QueryFilter} or {@code ScanFilter} (named by {@code parameter}, for messages) with
     * {@code ConditionalOperator} (AND when null).
     */
    public static Condition filter(String parameter, Map<String, FilterEntry> filter, String conditionalOperator) {
        boolean or = isOr(conditionalOperator);
        List<Expr.Cond> conditions = new ArrayList<>();
        if (filter != null) {
            for (Map.Entry<String, FilterEntry> e : filter.entrySet()) {
                FilterEntry entry = e.getValue();
                String op = operator(entry.comparisonOperator(), parameter, e.getKey());
                List<AttributeValue> args = arguments(entry.attributeValueList());
                checkArguments(op, args);
                conditions.add(comparison(e.getKey(), op, args));
            }
        }
        return new ConditionPlan(combine(conditions, or));
    }

    /**
     * DynamoDB's rules for {@code ConditionalOperator} (null when absent): one of AND and OR, and
     * only beside an {@code Expected}, {@code QueryFilter} or {@code ScanFilter} of two or more
     * {@code conditions}.
     */
    public static void checkConditionalOperator(String conditionalOperator, int conditions) {
        if (conditionalOperator == null) {
            return;
        }
        isOr(conditionalOperator);
        if (conditions == 0) {
            throw DynamoException.validation("ConditionalOperator cannot be used without Filter or Expected");
        }
        if (conditions == 1) {
            throw DynamoException.validation(
                    "ConditionalOperator can only be used when Filter or Expected has two or more elements");
        }
    }

    /** A Query's {@code KeyConditions}, checked against the key schema; {@code rangeKey} may be null. */
    public static KeyCondition keyConditions(Map<String, FilterEntry> keyConditions, KeyAttribute hashKey,
                                             KeyAttribute rangeKey) {
        return keyConditions(keyConditions, KeySchema.of(hashKey, rangeKey));
    }

    /** A Query's {@code KeyConditions}, checked against any key schema, as {@link Expressions#keyCondition}. */
    public static KeyCondition keyConditions(Map<String, FilterEntry> keyConditions, KeySchema schema) {
        if (keyConditions == null) {
            throw DynamoException.validation("Conditions must not be null");
        }
        List<KeyConditions.Part> parts = new ArrayList<>();
        for (Map.Entry<String, FilterEntry> e : keyConditions.entrySet()) {
            String op = operator(e.getValue().comparisonOperator(), "KeyConditions", e.getKey());
            List<AttributeValue> args = arguments(e.getValue().attributeValueList());
            checkArguments(op, args);
            SortKeyCondition.Operator indexable = switch (op) {
                case "EQ", "LT", "LE", "GT", "GE", "BETWEEN", "BEGINS_WITH" -> SortKeyCondition.Operator.valueOf(op);
                default -> null;
            };
            parts.add(new KeyConditions.Part(e.getKey(), indexable, args));
        }
        KeyConditions.checkCount(parts, schema);
        return KeyConditions.check(parts, schema);
    }

    /** {@code AttributeUpdates}; key attributes may not be updated. */
    public static Update attributeUpdates(Map<String, AttributeUpdate> updates, Set<String> keyAttributeNames) {
        List<UpdatePlan.Action> actions = new ArrayList<>();
        for (Map.Entry<String, AttributeUpdate> e : updates.entrySet()) {
            ValueLimits.checkName(e.getKey());
            Expr.DocPath path = Expr.DocPath.attribute(e.getKey());
            AttributeValue value = e.getValue().value();
            String action = e.getValue().action() == null ? "PUT" : e.getValue().action();
            if (!action.equals("PUT") && !action.equals("ADD") && !action.equals("DELETE")) {
                throw DynamoException.validation("1 validation error detected: Value '" + action
                        + "' at 'attributeUpdates." + e.getKey() + ".member.action' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [ADD, PUT, DELETE]");
            }
            if (value == null && !action.equals("DELETE")) {
                throw DynamoException.validation(
                        INVALID + "Only DELETE action is allowed when no attribute value is specified");
            }
            if (value != null && action.equals("DELETE") && !Values.isSet(value)) {
                throw DynamoException.validation(
                        INVALID + "DELETE action with value is not supported for the type " + value.type());
            }
            if (value != null && action.equals("ADD") && !(Values.isSet(value)
                    || value instanceof AttributeValue.N || value instanceof AttributeValue.L)) {
                throw DynamoException.validation(INVALID + "ADD action is not supported for the type " + value.type());
            }
            actions.add(switch (action) {
                case "PUT" -> new UpdatePlan.SetAction(path, new Expr.Literal(value));
                case "ADD" -> new UpdatePlan.AddAction(path, value);
                default -> value == null ? new UpdatePlan.RemoveAction(path) : new UpdatePlan.DeleteAction(path, value);
            });
        }
        Expressions.checkKeysUntouched(actions, keyAttributeNames);
        return new UpdatePlan(actions, true);
    }

    /** {@code AttributesToGet}: top-level attributes, no duplicates. */
    public static Projection attributesToGet(List<String> names) {
        Set<String> seen = new HashSet<>();
        List<Expr.DocPath> paths = new ArrayList<>();
        for (String name : names) {
            ValueLimits.checkName(name);
            if (!seen.add(name)) {
                throw DynamoException.validation(INVALID + "Duplicate value in attribute name: " + name);
            }
            paths.add(Expr.DocPath.attribute(name));
        }
        return new ProjectionPlan(paths);
    }

    // ---- Expected ----

    private static Expr.Cond expectedCondition(String attribute, ExpectedEntry entry) {
        if (entry.value() != null && entry.attributeValueList() != null) {
            throw DynamoException.validation(
                    INVALID + "Value and AttributeValueList cannot be used together for Attribute: " + attribute);
        }
        if (entry.comparisonOperator() != null) {
            if (entry.exists() != null) {
                throw DynamoException.validation(
                        INVALID + "Exists and ComparisonOperator cannot be used together for Attribute: " + attribute);
            }
            String op = operator(entry.comparisonOperator(), "Expected", attribute);
            if (!op.equals("NULL") && !op.equals("NOT_NULL") && entry.value() == null
                    && entry.attributeValueList() == null) {
                throw DynamoException.validation(INVALID + "Value or AttributeValueList must be used with "
                        + "ComparisonOperator: " + op + " for Attribute: " + attribute);
            }
            List<AttributeValue> args = entry.attributeValueList() != null ? entry.attributeValueList()
                    : entry.value() != null ? List.of(entry.value()) : List.of();
            checkArguments(op, args);
            return comparison(attribute, op, args);
        }
        if (entry.attributeValueList() != null) {
            throw DynamoException.validation(INVALID
                    + "AttributeValueList can only be used with a ComparisonOperator for Attribute: " + attribute);
        }
        boolean exists = entry.exists() == null || entry.exists();
        if (exists && entry.value() == null) {
            throw DynamoException.validation(INVALID + "Value must be provided when Exists is "
                    + (entry.exists() == null ? "null" : "true") + " for Attribute: " + attribute);
        }
        if (!exists && entry.value() != null) {
            throw DynamoException.validation(
                    INVALID + "Value cannot be used when Exists is false for Attribute: " + attribute);
        }
        Expr.DocPath path = Expr.DocPath.attribute(attribute);
        return exists ? new Expr.Compare(Comparator.EQ, new Expr.PathOf(path), new Expr.Literal(entry.value()))
                : new Expr.NotExists(path);
    }

    // ---- comparison operators ----

    /**
     * Checks the ComparisonOperator of one entry of {@code parameter} (Expected, KeyConditions,
     * QueryFilter or ScanFilter), naming it as DynamoDB's request validation does:
     * {@code 'scanFilter.a.member.comparisonOperator'}.
     */
    private static String operator(String comparisonOperator, String parameter, String attribute) {
        String where = "'" + Character.toLowerCase(parameter.charAt(0)) + parameter.substring(1) + "." + attribute
                + ".member.comparisonOperator'";
        if (comparisonOperator == null) {
            throw DynamoException.validation("1 validation error detected: Value null at " + where
                    + " failed to satisfy constraint: Member must not be null");
        }
        if (!OPERATORS.contains(comparisonOperator)) {
            throw DynamoException.validation("1 validation error detected: Value '" + comparisonOperator + "' at "
                    + where + " failed to satisfy constraint: Member must satisfy enum value set: " + OPERATORS);
        }
        return comparisonOperator;
    }

    private static List<AttributeValue> arguments(List<AttributeValue> attributeValueList) {
        return attributeValueList == null ? List.of() : attributeValueList;
    }

    /** Argument count, one type for all arguments, types the operator takes, BETWEEN bounds in order. */
    private static void checkArguments(String op, List<AttributeValue> args) {
        int n = args.size();
        boolean countOk = ONE_ARGUMENT.contains(op) ? n == 1
                : op.equals("NULL") || op.equals("NOT_NULL") ? n == 0
                : op.equals("IN") ? n > 0
                : n == 2;
        if (!countOk) {
            throw DynamoException.validation(INVALID + "Invalid number of argument(s) for the " + op
                    + " ComparisonOperator");
        }
        for (AttributeValue arg : args) {
            if (!arg.type().equals(args.getFirst().type())) {
                throw DynamoException.validation(
                        INVALID + "AttributeValues inside AttributeValueList must be of same type");
            }
        }
        for (AttributeValue arg : args) {
            if (!allowedTypes(op).contains(arg.type())) {
                throw DynamoException.validation(INVALID + "ComparisonOperator " + op + " is not valid for "
                        + arg.type() + " AttributeValue type");
            }
        }
        if (op.equals("BETWEEN") && Values.compare(args.get(0), args.get(1)) > 0) {
            throw DynamoException.validation(
                    "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound");
        }
    }

    private static Set<String> allowedTypes(String op) {
        return switch (op) {
            case "EQ", "NE" -> Set.of("S", "N", "B", "SS", "NS", "BS", "BOOL", "NULL", "L", "M");
            case "BEGINS_WITH" -> Set.of("S", "B");
            default -> Set.of("S", "N", "B");
        };
    }

    private static Expr.Cond comparison(String attribute, String op, List<AttributeValue> args) {
        Expr.DocPath docPath = Expr.DocPath.attribute(attribute);
        Expr.Operand path = new Expr.PathOf(docPath);
        List<Expr.Operand> literals = args.stream().<Expr.Operand>map(Expr.Literal::new).toList();
        return switch (op) {
            case "EQ" -> new Expr.Compare(Comparator.EQ, path, literals.getFirst());
            case "NE" -> new Expr.Compare(Comparator.NE, path, literals.getFirst());
            case "LT" -> new Expr.Compare(Comparator.LT, path, literals.getFirst());
            case "LE" -> new Expr.Compare(Comparator.LE, path, literals.getFirst());
            case "GT" -> new Expr.Compare(Comparator.GT, path, literals.getFirst());
            case "GE" -> new Expr.Compare(Comparator.GE, path, literals.getFirst());
            case "NULL" -> new Expr.NotExists(docPath);
            case "NOT_NULL" -> new Expr.Exists(docPath);
            case "CONTAINS" -> new Expr.Contains(path, literals.getFirst());
            case "NOT_CONTAINS" -> new Expr.And(new Expr.Exists(docPath),
                    new Expr.Not(new Expr.Contains(path, literals.getFirst())));
            case "BEGINS_WITH" -> new Expr.BeginsWith(path, literals.getFirst());
            case "IN" -> new Expr.In(path, literals);
            case "BETWEEN" -> new Expr.Between(path, literals.get(0), literals.get(1));
            default -> throw new IllegalStateException(op);
        };
    }

    private static boolean isOr(String conditionalOperator) {
        if (conditionalOperator == null || conditionalOperator.equals("AND")) {
            return false;
        }
        if (conditionalOperator.equals("OR")) {
            return true;
        }
        throw DynamoException.validation("1 validation error detected: Value '" + conditionalOperator
                + "' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]");
    }

    private static Expr.Cond combine(List<Expr.Cond> conditions, boolean or) {
        if (conditions.isEmpty()) {
            return new Expr.Always();
        }
        Expr.Cond result = conditions.getFirst();
        for (Expr.Cond next : conditions.subList(1, conditions.size())) {
            result = or ? new Expr.Or(result, next) : new Expr.And(result, next);
        }
        return result;
    }
}
