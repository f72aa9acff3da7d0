package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
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
        requestItems.properties().forEach(e -> tables.put(e.getKey(), e.getValue()));
        return tables;
    }
}
