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
        boolean consistent = request.bool("ConsistentRead", false);
        Capacity capacity = Capacity.of(request);
        TableDefinition table = ExpressionParams.table(engine.catalog(), name, request);
        ItemReads.Read read = ItemReads.of(request, table);
        read.placeholders().checkAllUsed();
        Item item = engine.items().get(table, key);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (item != null) {
            out.set("Item", AttributeJson.toJson(read.project(item)));
        }
        capacity.read(name, Capacity.readUnits(Capacity.size(item), consistent));
        capacity.render(out, name);
        return out;
    }
}
