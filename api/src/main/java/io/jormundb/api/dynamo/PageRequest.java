package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.expr.Condition;
import io.jormundb.engine.expr.ExpressionKind;
import io.jormundb.engine.expr.Expressions;
import io.jormundb.engine.expr.Legacy;
import io.jormundb.engine.expr.Placeholders;
import io.jormundb.engine.expr.Projection;
import io.jormundb.engine.items.Page;
import io.jormundb.engine.items.ReadSpec;
import io.jormundb.engine.value.Item;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The members Query and Scan share (Limit, ExclusiveStartKey, Select, IndexName, the filter
 * and the projection, expression or legacy) and their response.
 */
final class PageRequest {
    /** The Select modes, in the order DynamoDB lists them when one is wrong. */
    private static final List<String> SELECT =
            List.of("SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES");

    private PageRequest() {
    }

    /**
     * @param legacyFilter        {@code QueryFilter} or {@code ScanFilter}, which also says whether
     *                            this is a Query (whose filter may not touch the key) or a Scan
     * @param conditionalOperator the checked ConditionalOperator of the legacy filter, or null
     */
    static ReadSpec readSpec(Request request, TableDefinition table, Placeholders placeholders, String legacyFilter,
                             String conditionalOperator) {
        String index = request.string("IndexName");
        if (index != null) {
            throw DynamoException.validation("The table does not have the specified index: " + index);
        }
        Integer limit = request.integer("Limit");
        if (limit != null && limit < 1) {
            throw DynamoException.validation("1 validation error detected: Value '" + limit + "' at 'limit' failed to "
                    + "satisfy constraint: Member must have value greater than or equal to 1");
        }
        String select = request.enumValue("Select", SELECT, null);
        if ("ALL_PROJECTED_ATTRIBUTES".equals(select)) {
            throw DynamoException.validation(
                    "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
        }
        Projection projection = projection(request, placeholders);
        boolean projected = request.has("ProjectionExpression") || request.has("AttributesToGet");
        String projectionName = request.has("ProjectionExpression") ? "ProjectionExpression" : "AttributesToGet";
        if ("COUNT".equals(select) && projected) {
            throw DynamoException.validation("Cannot specify the " + projectionName
                    + " when choosing to get only the Count");
        }
        if ("ALL_ATTRIBUTES".equals(select) && projected) {
            throw DynamoException.validation("Cannot specify the " + projectionName
                    + " when choosing to get ALL_ATTRIBUTES");
        }
        if ("SPECIFIC_ATTRIBUTES".equals(select) && !projected) {
            throw DynamoException.validation("SPECIFIC_ATTRIBUTES requires a ProjectionExpression or AttributesToGet");
        }
        if (projection != null) {
            ExpressionParams.checkKeysScalar(table, projection.nestedAttributes());
        }
        Condition filter = filter(request, placeholders, legacyFilter, conditionalOperator);
        if (filter != null) {
            if (legacyFilter.equals("QueryFilter")) {
                ExpressionParams.checkFilterOffKeys(table, filter,
                        request.has("FilterExpression") ? "Filter Expression" : legacyFilter);
            }
            ExpressionParams.checkKeysScalar(table, filter.nestedAttributes());
        }
        Item start = request.item("ExclusiveStartKey");
        return new ReadSpec(limit == null ? 0 : limit, start, filter, projection, "COUNT".equals(select));
    }

    private static Projection projection(Request request, Placeholders placeholders) {
        String expression = request.string("ProjectionExpression");
        if (expression != null) {
            return Expressions.projection(expression, placeholders);
        }
        List<String> attributes = ItemReads.strings(request, "AttributesToGet");
        return attributes == null ? null : Legacy.attributesToGet(attributes);
    }

    private static Condition filter(Request request, Placeholders placeholders, String legacyFilter,
                                    String conditionalOperator) {
        String expression = request.string("FilterExpression");
        if (expression != null) {
            return Expressions.condition(expression, ExpressionKind.FILTER, placeholders);
        }
        JsonNode legacy = request.object(legacyFilter);
        if (legacy == null) {
            return null;
        }
        return Legacy.filter(legacyFilter, filterEntries(legacy), conditionalOperator);
    }

    /** A legacy condition map (KeyConditions, QueryFilter, ScanFilter). */
    static Map<String, Legacy.FilterEntry> filterEntries(JsonNode legacy) {
        Map<String, Legacy.FilterEntry> entries = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = legacy.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Request entry = new Request(e.getValue());
            entries.put(e.getKey(), new Legacy.FilterEntry(entry.string("ComparisonOperator"),
                    ExpressionParams.valueList(entry)));
        }
        return entries;
    }

    static ObjectNode response(Request request, String table, Page page, boolean countOnly) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (!countOnly) {
            ArrayNode items = out.putArray("Items");
            for (Item item : page.items()) {
                items.add(AttributeJson.toJson(item));
            }
        }
        out.put("Count", page.count());
        out.put("ScannedCount", page.scannedCount());
        if (page.lastEvaluatedKey() != null) {
            out.set("LastEvaluatedKey", AttributeJson.toJson(page.lastEvaluatedKey()));
        }
        Capacity capacity = Capacity.of(request);
        capacity.read(table, Capacity.readUnits(page.bytesRead(), request.bool("ConsistentRead", false)));
        capacity.render(out, table);
        return out;
    }
}
