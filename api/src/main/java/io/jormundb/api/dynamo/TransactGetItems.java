package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.items.ItemKeys;
import io.jormundb.engine.items.Items;
import io.jormundb.engine.value.Item;

import java.util.ArrayList;
import java.util.List;

/** TransactGetItems: up to 100 gets read from one RocksDB snapshot, so no transaction is seen in part. */
final class TransactGetItems implements Operation {
    private final Engine engine;

    TransactGetItems(Engine engine) {
        this.engine = engine;
    }

    @Override
    public ObjectNode handle(Request request) {
        List<JsonNode> actions = Transactions.actions(request);
        Capacity capacity = Capacity.transactional(request);
        List<Items.ItemRef> refs = new ArrayList<>();
        List<ItemReads.Read> reads = new ArrayList<>();
        DuplicateKeys seen = new DuplicateKeys(Transactions.SAME_ITEM);
        for (JsonNode action : actions) {
            JsonNode get = new Request(action).object("Get");
            if (get == null) {
                throw Request.missing("TransactItems.member.Get");
            }
            Request g = new Request(get);
            TableDefinition table = engine.catalog().require(g.tableName());
            Item key = ItemKeys.ofKey(table, g.requireItem("Key"));
            seen.add(table, key);
            refs.add(new Items.ItemRef(table, key));
            reads.add(ItemReads.ofExpression(g, table));
        }
        ItemReads.checkAllUsed(reads);
        List<Item> items = engine.items().getAll(refs);
        Transactions.checkSize(items.stream().mapToLong(Capacity::size).sum());
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode responses = out.putArray("Responses");
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            ObjectNode response = responses.addObject();
            if (item != null) {
                response.set("Item", AttributeJson.toJson(reads.get(i).project(item)));
            }
            capacity.read(refs.get(i).table().name(), Capacity.transactionalReadUnits(Capacity.size(item)));
        }
        capacity.renderAll(out);
        return out;
    }
}
