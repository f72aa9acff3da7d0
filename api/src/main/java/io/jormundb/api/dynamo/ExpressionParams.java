package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import io.jormundb.engine.catalog.Catalog;
import io.jormundb.engine.catalog.SecondaryIndex;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.expr.Condition;
import io.jormundb.engine.expr.ExpressionKind;
import io.jormundb.engine.expr.Expressions;
import io.jormundb.engine.expr.Legacy;
import io.jormundb.engine.expr.Placeholders;
import io.jormundb.engine.expr.Update;
import io.jormundb.engine.value.AttributeValue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The expression members of a request (ExpressionAttributeNames/Values, ConditionExpression)
 * and their legacy counterparts (Expected, ConditionalOperator), read in one place with
 * DynamoDB's rules for mixing them.
 */
final class ExpressionParams {
    /** The expression members, in the order DynamoDB lists them when they are mixed with legacy ones. */
    private static final List<String> EXPRESSIONS = List.of("ProjectionExpression", "FilterExpression",
            "KeyConditionExpression", "UpdateExpression", "ConditionExpression");

    private ExpressionParams() {
    }

    static Placeholders placeholders(Request request) {
        Map<String, String> names = null;
        JsonNode namesNode = request.object("ExpressionAttributeNames");
        if (namesNode != null) {
            names = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = namesNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    throw AttributeJson.wrongType("ExpressionAttributeNames", "a map of strings");
                }
                names.put(e.getKey(), e.getValue().textValue());
            }
        }
        Map<String, AttributeValue> values = null;
        if (request.has("ExpressionAttributeValues")) {
            values = new LinkedHashMap<>(request.item("ExpressionAttributeValues").attributes());
        }
        return new Placeholders(names, values);
    }

    /**
     * Rejects a request that mixes legacy members ({@code legacy}, in the order DynamoDB lists
     * them for the operation) with expressions, or gives placeholders without any expression,
     * with DynamoDB's messages. A ConditionalOperator among them is checked against its enum first.
     */
    static void checkMix(Request request, String... legacy) {
        Set<String> legacyGiven = new LinkedHashSet<>();
        for (String member : legacy) {
            if (member.equals("ConditionalOperator")) {
                conditionalOperator(request);
            }
            if (request.has(member)) {
                legacyGiven.add(member);
            }
        }
        Set<String> expressionsGiven = new LinkedHashSet<>();
        for (String member : EXPRESSIONS) {
            if (request.has(member)) {
                expressionsGiven.add(member);
            }
        }
        if (!legacyGiven.isEmpty() && !expressionsGiven.isEmpty()) {
            throw DynamoException.validation("Can not use both expression and non-expression parameters in the same "
                    + "request: Non-expression parameters: " + braces(legacyGiven) + " Expression parameters: "
                    + braces(expressionsGiven));
        }
        if (expressionsGiven.isEmpty()) {
            if (request.has("ExpressionAttributeNames")) {
                throw DynamoException.validation("ExpressionAttributeNames can only be specified when using expressions");
            }
            if (request.has("ExpressionAttributeValues")) {
                throw DynamoException.validation(
                        "ExpressionAttributeValues can only be specified when using expressions");
            }
        }
    }

    /**
     * The condition of a write and what a failure returns: ConditionExpression (or the legacy
     * Expected with ConditionalOperator; {@code condition} is {@code null} when there is none)
     * and ReturnValuesOnConditionCheckFailure.
     */
    record WriteCondition(Condition condition, boolean returnOldOnFailure) {
    }

    static WriteCondition writeCondition(Request request, Placeholders placeholders) {
        return new WriteCondition(condition(request, placeholders), returnOldOnFailure(request));
    }

    /**
     * The condition of a write: ConditionExpression, or the legacy Expected with
     * ConditionalOperator; {@code null} when there is none.
     */
    private static Condition condition(Request request, Placeholders placeholders) {
        String conditionalOperator = conditionalOperator(request, "Expected");
        String expression = request.string("ConditionExpression");
        if (expression != null) {
            return Expressions.condition(expression, ExpressionKind.CONDITION, placeholders);
        }
        JsonNode expected = request.object("Expected");
        if (expected == null) {
            return null;
        }
        Map<String, Legacy.ExpectedEntry> entries = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Request entry = new Request(e.getValue());
            AttributeValue value = entry.has("Value") ? AttributeJson.value(entry.node("Value"), "Expected") : null;
            Boolean exists = entry.has("Exists") ? entry.bool("Exists", true) : null;
            entries.put(e.getKey(), new Legacy.ExpectedEntry(value, exists, entry.string("ComparisonOperator"),
                    valueList(entry)));
        }
        return Legacy.expected(entries, conditionalOperator);
    }

    /** ConditionalOperator (AND, OR, or null when absent), checked against its enum. */
    static String conditionalOperator(Request request) {
        return request.enumValue("ConditionalOperator", List.of("OR", "AND"), null);
    }

    /**
     * ConditionalOperator, also checked against the legacy conditions it joins ({@code Expected},
     * {@code QueryFilter} or {@code ScanFilter}): it needs two or more of them.
     */
    static String conditionalOperator(Request request, String legacyConditions) {
        String op = conditionalOperator(request);
        JsonNode conditions = request.object(legacyConditions);
        Legacy.checkConditionalOperator(op, conditions == null ? 0 : conditions.size());
        return op;
    }

    /**
     * The table {@code name} that a request on items names. When there is none, DynamoDB answers
     * an invalid expression of the request before the ResourceNotFoundException: so the request's
     * expressions are checked as far as they can be without a table (syntax, functions,
     * placeholders defined and used) before it is thrown.
     */
    static TableDefinition table(Catalog catalog, String name, Request request) {
        try {
            return catalog.require(name);
        } catch (DynamoException notFound) {
            Placeholders p = placeholders(request);
            String key = request.string("KeyConditionExpression");
            if (key != null) {
                Expressions.checkKeyConditionText(key, p);
            }
            String update = request.string("UpdateExpression");
            if (update != null) {
                Expressions.update(update, p, Set.of());
            }
            String condition = request.string("ConditionExpression");
            if (condition != null) {
                Expressions.condition(condition, ExpressionKind.CONDITION, p);
            }
            String filter = request.string("FilterExpression");
            if (filter != null) {
                Expressions.condition(filter, ExpressionKind.FILTER, p);
            }
            String projection = request.string("ProjectionExpression");
            if (projection != null) {
                Expressions.projection(projection, p);
            }
            p.checkAllUsed();
            throw notFound;
        }
    }

    /**
     * An UpdateExpression on {@code table}: it may not write a key attribute of the table, nor
     * below a key attribute of the table or of an index.
     */
    static Update update(String expression, Placeholders placeholders, TableDefinition table) {
        Update update = Expressions.update(expression, placeholders, Set.copyOf(table.keyAttributeNames()));
        checkKeysScalar(table, update.nestedAttributes());
        return update;
    }

    /**
     * Key attributes are scalars, so DynamoDB refuses a projection, filter or update path that
     * goes below one ({@code pk.a}, {@code pk[0]}): of the table's key, or of an index's key.
     */
    static void checkKeysScalar(TableDefinition table, Set<String> nestedAttributes) {
        if (nestedAttributes.isEmpty()) {
            return;
        }
        for (String key : table.keyAttributeNames()) {
            if (nestedAttributes.contains(key)) {
                throw notScalar("Key: " + key);
            }
        }
        for (SecondaryIndex index : table.indexes()) {
            for (String key : index.keySchema().names()) {
                if (nestedAttributes.contains(key)) {
                    throw notScalar("IndexKey: " + key);
                }
            }
        }
    }

    private static DynamoException notScalar(String which) {
        return DynamoException.validation("Key attributes must be scalars; list random access '[]' and map "
                + "lookup '.' are not allowed: " + which);
    }

    /**
     * A Query's filter may not name a key attribute of what it reads (the table, or the index),
     * which belongs in the key condition. {@code parameter} is how DynamoDB names the filter:
     * {@code Filter Expression} or {@code QueryFilter}.
     */
    static void checkFilterOffKeys(List<String> keyAttributeNames, Condition filter, String parameter) {
        for (String key : keyAttributeNames) {
            if (filter.attributes().contains(key)) {
                throw DynamoException.validation(parameter + " can only contain non-primary key attributes: "
                        + "Primary key attribute: " + key);
            }
        }
    }

    /** AttributeValueList of a legacy condition, or {@code null}. */
    static List<AttributeValue> valueList(Request entry) {
        List<JsonNode> nodes = entry.list("AttributeValueList");
        if (nodes == null) {
            return null;
        }
        List<AttributeValue> values = new ArrayList<>();
        for (JsonNode n : nodes) {
            values.add(AttributeJson.value(n, "AttributeValueList"));
        }
        return values;
    }

    /** ReturnValuesOnConditionCheckFailure: whether the old item goes into a failed condition's error. */
    private static boolean returnOldOnFailure(Request request) {
        return request.enumValue("ReturnValuesOnConditionCheckFailure", List.of("ALL_OLD", "NONE"), "NONE")
                .equals("ALL_OLD");
    }

    private static String braces(Set<String> names) {
        return "{" + String.join(", ", names) + "}";
    }
}
