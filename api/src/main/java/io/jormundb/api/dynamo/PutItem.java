package io.jormundb.api.dynamo;

import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.items.Items;
import io.jormundb.engine.value.Item;
import io.jormundb.engine.write.Mutation;

/** PutItem: creates or replaces an item. */
final class PutItem extends ItemWrite {
    PutItem(Engine engine) {
        super(engine, "Item");
    }

    @Override
    Mutation mutation(TableDefinition table, Item item, ExpressionParams.WriteCondition condition) {
        return Items.putMutation(table, item, condition.condition(), condition.returnOldOnFailure());
    }
}
