package io.jormundb.api.dynamo;

import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.items.Items;
import io.jormundb.engine.value.Item;
import io.jormundb.engine.write.Mutation;

/** DeleteItem: deletes one item by key; deleting a missing item is not an error. */
final class DeleteItem extends ItemWrite {
    DeleteItem(Engine engine) {
        super(engine, "Key");
    }

    @Override
    Mutation mutation(TableDefinition table, Item key, ExpressionParams.WriteCondition condition) {
        return Items.deleteMutation(table, key, condition.condition(), condition.returnOldOnFailure());
    }
}
