package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import io.jormundb.engine.catalog.Catalog;
import io.jormundb.engine.error.DynamoException;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code RequestItems} member that BatchGetItem and BatchWriteItem both start from. */
final class RequestItems {
    private RequestItems() {
    }

    /**
     * The request's {@code RequestItems}, table name to that table's part, in request order:
     * required, and naming at least one table.
     */
    static Map<String, JsonNode> of(Request request, String operation) {
        JsonNode requestItems = request.object("RequestItems");
        if (requestItems == null) {
            throw Request.missing("RequestItems");
        }
        if (requestItems.isEmpty()) {
            throw DynamoException.validation("The requestItems parameter is required for " + operation);
        }
        Map<String, JsonNode> tables = new LinkedHashMap<>();
        requestItems.properties().forEach(e -> tables.put(checkedName(e.getKey()), e.getValue()));
        return tables;
    }

    /** A key of RequestItems: a table name, valid as every TableName must be. */
    private static String checkedName(String table) {
        if (table.startsWith("arn:")) {
            throw DynamoException.validation("JormunDB does not support table ARNs as keys of RequestItems yet: "
                    + "name the table (" + table + ")");
        }
        if (!Catalog.isValidName(table)) {
            throw DynamoException.validation("1 validation error detected: Value '" + table + "' at 'requestItems' "
                    + "failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less "
                    + "than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy "
                    + "regular expression pattern: [a-zA-Z0-9_.-]+]");
        }
        return table;
    }
}
