package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.catalog.Catalog;
import io.jormundb.engine.catalog.ProjectionType;
import io.jormundb.engine.catalog.SecondaryIndex;
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
import io.jormundb.engine.items.Source;
import io.jormundb.engine.value.Item;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
     * The index IndexName names ({@code null} when it names none): it must exist and not be
     * backfilling, and a global one cannot be read consistently.
     */
    static SecondaryIndex index(Request request, TableDefinition table) {
        String name = request.string("IndexName");
        if (name == null) {
            return null;
        }
        Catalog.validateName(name, "indexName");
        SecondaryIndex index = table.index(name).orElseThrow(() ->
                DynamoException.validation("The table does not have the specified index: " + name));
        if (index.backfilling()) {
            throw DynamoException.validation("Cannot read from backfilling global secondary index: " + name);
        }
        if (index.global() && request.bool("ConsistentRead", false)) {
            throw DynamoException.validation("Consistent reads are not supported on global secondary indexes");
        }
        return index;
    }

    /**
     * What the page reads: the table, or {@code index}, whose entries a local index completes from
     * the table when the request wants attributes it does not project (Select ALL_ATTRIBUTES, or a
     * projection or filter naming one), as DynamoDB does; completed for a filter only, it returns
     * what it projects. A global index never does: a projection or filter naming an attribute it
     * does not project is refused.
     */
    static Source source(Request request, TableDefinition table, SecondaryIndex index, ReadSpec spec) {
        if (index == null) {
            return Source.table(table);
        }
        Set<String> keys = index.keyAttributes(table);
        List<String> unprojected = spec.projection() == null ? List.of()
                : index.projection().missing(spec.projection().attributes(), keys);
        List<String> unfiltered = spec.filter() == null ? List.of()
                : index.projection().missing(spec.filter().attributes(), keys);
        if (index.global() && !unprojected.isEmpty()) {
            throw DynamoException.validation("One or more parameter values were invalid: Global secondary index "
                    + index.name() + " does not project " + unprojected);
        }
        if (index.global() && !unfiltered.isEmpty()) {
            throw DynamoException.validation("One or more parameter values were invalid: Secondary index "
                    + index.name() + " does not project one or more filter attributes: " + unfiltered);
        }
        boolean allAttributes = "ALL_ATTRIBUTES".equals(request.string("Select"));
        boolean fetch = !index.global() && (allAttributes || !unprojected.isEmpty() || !unfiltered.isEmpty());
        // Read only for the filter: what is returned is what the index projects.
        boolean onlyProjected = !allAttributes && unprojected.isEmpty() && spec.projection() == null;
        return new Source(table, index, fetch, fetch && onlyProjected);
    }

    /**
     * @param index               the index IndexName names ({@link #index}), or {@code null}
     * @param legacyFilter        {@code QueryFilter} or {@code ScanFilter}, which also says whether
     *                            this is a Query (whose filter may not touch the key) or a Scan
     * @param conditionalOperator the checked ConditionalOperator of the legacy filter, or null
     */
    static ReadSpec readSpec(Request request, TableDefinition table, SecondaryIndex index, Placeholders placeholders,
                             String legacyFilter, String conditionalOperator) {
        Integer limit = request.integer("Limit");
        if (limit != null && limit < 1) {
            throw DynamoException.validation("1 validation error detected: Value '" + limit + "' at 'limit' failed to "
                    + "satisfy constraint: Member must have value greater than or equal to 1");
        }
        String select = request.enumValue("Select", SELECT, null);
        if ("ALL_PROJECTED_ATTRIBUTES".equals(select) && index == null) {
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
        if (("ALL_ATTRIBUTES".equals(select) || "ALL_PROJECTED_ATTRIBUTES".equals(select)) && projected) {
            throw DynamoException.validation("Cannot specify the " + projectionName
                    + " when choosing to get " + select);
        }
        if ("ALL_ATTRIBUTES".equals(select) && index != null && index.global()
                && index.projection().type() != ProjectionType.ALL) {
            throw DynamoException.validation("One or more parameter values were invalid: Select type ALL_ATTRIBUTES "
                    + "is not supported for global secondary index " + index.name()
                    + " because its projection type is not ALL");
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
                ExpressionParams.checkFilterOffKeys(index == null ? table.keyAttributeNames() : index.keySchema().names(),
                        filter, request.has("FilterExpression") ? "Filter Expression" : legacyFilter);
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
        List<String> attributes = ItemReads.attributesToGet(request);
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
