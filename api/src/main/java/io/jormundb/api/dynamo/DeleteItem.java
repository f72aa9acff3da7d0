package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.expr.Condition;
import io.jormundb.engine.expr.Placeholders;
import io.jormundb.engine.value.Item;
import io.jormundb.engine.write.WriteResult;

/** DeleteItem: deletes one item by key; deleting a missing item is not an error. */
final class DeleteItem implements Operation {
    private final Engine engine;

    DeleteItem(Engine engine) {
        this.engine = engine;
    }

    @Override
    public ObjectNode handle(Request request) {
        String name = request.tableName();
        Item key = request.requireItem("Key");
        boolean returnOld = ReturnValues.allOldOrNone(request);
        Capacity capacity = Capacity.of(request);
        Capacity.checkItemCollectionMetrics(request);
        ExpressionParams.checkMix(request, "Expected", "ConditionalOperator");
        TableDefinition table = engine.catalog().require(name);
        Placeholders placeholders = ExpressionParams.placeholders(request);
        Condition condition = ExpressionParams.writeCondition(request, placeholders);
        placeholders.checkAllUsed();
        WriteResult result = engine.items().delete(table, key, condition == null ? null : condition::test,
                ExpressionParams.returnOldOnFailure(request));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (returnOld && result.oldItem() != null) {
            out.set("Attributes", AttributeJson.toJson(result.oldItem()));
        }
        capacity.write(name, Capacity.writeUnits(Capacity.size(result.oldItem())));
        capacity.render(out, name);
        return out;
    }
}
