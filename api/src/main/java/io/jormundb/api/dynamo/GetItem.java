package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.value.Item;

/** GetItem: every read is strongly consistent here, so ConsistentRead is accepted and changes nothing. */
final class GetItem implements Operation {
    private final Engine engine;

    GetItem(Engine engine) {
        this.engine = engine;
    }

    @Override
    public ObjectNode handle(Request request) {
        String name = request.tableName();
        Item key = request.requireItem("Key");
        request.bool("ConsistentRead", false);
        TableDefinition table = engine.catalog().require(name);
        Item item = engine.items().get(table, key);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (item != null) {
            out.set("Item", AttributeJson.toJson(item));
        }
        return out;
    }
}
