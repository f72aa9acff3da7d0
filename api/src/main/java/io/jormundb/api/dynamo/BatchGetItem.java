package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.items.ItemKeys;
import io.jormundb.engine.value.Item;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * BatchGetItem: up to 100 keys over several tables, each read as GetItem reads it (and billed as
 * its own GetItem). Once the next item would push the response past 16 MB of item data, it and
 * every key after it come back as UnprocessedKeys, with their table's other request members.
 */
final class BatchGetItem implements Operation {
    static final int MAX_KEYS = 100;
    static final long MAX_RESPONSE_BYTES = 16L * 1024 * 1024;

    private final Engine engine;

    BatchGetItem(Engine engine) {
        this.engine = engine;
    }

    /** One table's part of the request. */
    private record TableRequest(String name, TableDefinition table, Request request, List<Item> keys,
                                ItemReads.Read read, boolean consistent) {
    }

    @Override
    public ObjectNode handle(Request request) {
        Map<String, JsonNode> requestItems = RequestItems.of(request, "BatchGetItem");
        Capacity capacity = Capacity.of(request);
        List<TableRequest> tables = new ArrayList<>();
        int total = 0;
        for (Map.Entry<String, JsonNode> entry : requestItems.entrySet()) {
            Request tableRequest = Request.at(entry.getValue(), "requestItems." + entry.getKey() + ".member.");
            TableDefinition table = engine.catalog().require(RequestItems.tableName(entry.getKey()));
            List<JsonNode> keyNodes = tableRequest.list("Keys");
            if (keyNodes == null) {
                throw Request.missing("RequestItems." + entry.getKey() + ".Keys");
            }
            if (keyNodes.isEmpty()) {
                throw DynamoException.validation("1 validation error detected: Value '[]' at 'requestItems."
                        + entry.getKey() + ".member.keys' failed to satisfy constraint: Member must have length "
                        + "greater than or equal to 1");
            }
            DuplicateKeys seen = new DuplicateKeys();
            List<Item> keys = new ArrayList<>();
            for (JsonNode k : keyNodes) {
                Item given = AttributeJson.item(k, "Keys");
                if (given == null) {
                    throw Request.missing("requestItems." + entry.getKey() + ".member.keys.member");
                }
                Item key = ItemKeys.ofKey(table, given);
                seen.add(table, key);
                keys.add(key);
            }
            total += keys.size();
            if (total > MAX_KEYS) {
                throw DynamoException.validation("Too many items requested for the BatchGetItem call");
            }
            tables.add(new TableRequest(entry.getKey(), table, tableRequest, keys, ItemReads.of(tableRequest, table),
                    tableRequest.bool("ConsistentRead", false)));
        }
        ItemReads.checkAllUsed(tables.stream().map(TableRequest::read).toList());
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ObjectNode responses = out.putObject("Responses");
        ObjectNode unprocessed = out.putObject("UnprocessedKeys");
        long bytes = 0;
        for (TableRequest t : tables) {
            ArrayNode items = responses.putArray(t.name());
            List<Item> left = new ArrayList<>();
            for (Item key : t.keys()) {
                if (bytes >= MAX_RESPONSE_BYTES) {
                    left.add(key);
                    continue;
                }
                Item item = engine.items().get(t.table(), key);
                if (item != null && bytes + item.size() > MAX_RESPONSE_BYTES) {
                    bytes = MAX_RESPONSE_BYTES; // the rest waits too, so that a retry keeps the order
                    left.add(key);
                    continue;
                }
                capacity.read(t.name(), Capacity.readUnits(Capacity.size(item), t.consistent()));
                if (item != null) {
                    bytes += item.size();
                    items.add(AttributeJson.toJson(t.read().project(item)));
                }
            }
            if (!left.isEmpty()) {
                ObjectNode rest = ((ObjectNode) t.request().body()).deepCopy();
                ArrayNode keys = rest.putArray("Keys");
                left.forEach(k -> keys.add(AttributeJson.toJson(k)));
                unprocessed.set(t.name(), rest);
            }
        }
        capacity.renderAll(out);
        return out;
    }
}
