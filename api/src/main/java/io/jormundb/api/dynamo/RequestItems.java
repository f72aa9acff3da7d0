package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import io.jormundb.engine.catalog.Catalog;
import io.jormundb.engine.error.DynamoException;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code RequestItems} member that BatchGetItem and BatchWriteItem both start from. */
final class RequestItems {
    private RequestItems() {
    }

    /**
     * The request's {@code RequestItems}, key as given (a table's name or ARN: the answer keeps
     * it) to that table's part, in request order: required, naming at least one table, and each
     * table once.
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
        Map<String, String> keyOfTable = new HashMap<>();
        requestItems.properties().forEach(e -> {
            String table = tableName(e.getKey());
            String other = keyOfTable.putIfAbsent(table, e.getKey());
            if (other != null) {
                throw DynamoException.validation("RequestItems names table " + table + " twice: by its name and by "
                        + "its ARN " + (other.equals(table) ? e.getKey() : other));
            }
            tables.put(e.getKey(), e.getValue());
        });
        return tables;
    }

    /** The table a key of RequestItems names: a table name, valid as every TableName must be, or its ARN. */
    static String tableName(String key) {
        String table = Request.nameOrArn(key, "table name or ARN in RequestItems");
        if (!Catalog.isValidName(table)) {
            throw DynamoException.validation("1 validation error detected: Value '" + key + "' at 'requestItems' "
                    + "failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less "
                    + "than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy "
                    + "regular expression pattern: [a-zA-Z0-9_.-]+]");
        }
        return table;
    }
}
