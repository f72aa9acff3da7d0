package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.expr.Placeholders;
import io.jormundb.engine.value.Item;
import io.jormundb.engine.write.Mutation;
import io.jormundb.engine.write.WriteResult;

/**
 * What PutItem and DeleteItem share: the table, a condition (expression or legacy Expected),
 * ReturnValues NONE or ALL_OLD, and write capacity of the larger of the old and new item.
 */
abstract class ItemWrite implements Operation {
    protected final Engine engine;
    /** The member holding the item (PutItem) or the key (DeleteItem). */
    private final String member;

    ItemWrite(Engine engine, String member) {
        this.engine = engine;
        this.member = member;
    }

    /** The write of {@code itemOrKey} under {@code condition}. */
    abstract Mutation mutation(TableDefinition table, Item itemOrKey, ExpressionParams.WriteCondition condition);

    @Override
    public final ObjectNode handle(Request request) {
        String name = request.tableName();
        Item itemOrKey = request.requireItem(member);
        boolean returnOld = ReturnValues.allOldOrNone(request);
        Capacity capacity = Capacity.of(request);
        Capacity.checkItemCollectionMetrics(request);
        ExpressionParams.checkMix(request, "Expected", "ConditionalOperator");
        TableDefinition table = ExpressionParams.table(engine.catalog(), name, request);
        Placeholders placeholders = ExpressionParams.placeholders(request);
        ExpressionParams.WriteCondition condition = ExpressionParams.writeCondition(request, placeholders);
        placeholders.checkAllUsed();
        WriteResult result = engine.writePath().write(mutation(table, itemOrKey, condition));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (returnOld && result.oldItem() != null) {
            out.set("Attributes", AttributeJson.toJson(result.oldItem()));
        }
        capacity.write(name, Capacity.writeUnits(Math.max(Capacity.size(result.oldItem()),
                Capacity.size(result.newItem()))));
        capacity.render(out, name);
        return out;
    }
}
