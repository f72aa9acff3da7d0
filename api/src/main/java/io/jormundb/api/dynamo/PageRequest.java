package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.items.Page;
import io.jormundb.engine.items.ReadSpec;
import io.jormundb.engine.value.Item;

import java.util.Set;

/** The members Query and Scan share (Limit, ExclusiveStartKey, Select, IndexName) and their response. */
final class PageRequest {
    private static final Set<String> SELECT =
            Set.of("ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT");

    private PageRequest() {
    }

    static ReadSpec readSpec(Request request, TableDefinition table) {
        String index = request.string("IndexName");
        if (index != null) {
            throw DynamoException.validation("The table does not have the specified index: " + index);
        }
        Integer limit = request.integer("Limit");
        if (limit != null && limit < 1) {
            throw DynamoException.validation("1 validation error detected: Value '" + limit + "' at 'limit' failed to "
                    + "satisfy constraint: Member must have value greater than or equal to 1");
        }
        String select = request.enumValue("Select", SELECT, "ALL_ATTRIBUTES");
        if (select.equals("ALL_PROJECTED_ATTRIBUTES")) {
            throw DynamoException.validation(
                    "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
        }
        request.bool("ConsistentRead", false);
        Item start = request.item("ExclusiveStartKey");
        return new ReadSpec(limit == null ? 0 : limit, start, null, null, select.equals("COUNT"));
    }

    static ObjectNode response(Page page, boolean countOnly) {
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
        return out;
    }
}
