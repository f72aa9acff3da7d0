package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.expr.Legacy;
import io.jormundb.engine.expr.Placeholders;
import io.jormundb.engine.expr.Update;
import io.jormundb.engine.items.Items;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Item;
import io.jormundb.engine.write.WriteResult;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * UpdateItem: UpdateExpression (or legacy AttributeUpdates) applied to the current item, or to
 * a new item holding just the key (upsert), when the condition holds.
 */
final class UpdateItem implements Operation {
    private final Engine engine;

    UpdateItem(Engine engine) {
        this.engine = engine;
    }

    @Override
    public ObjectNode handle(Request request) {
        String name = request.tableName();
        Item key = request.requireItem("Key");
        String returnValues = ReturnValues.of(request);
        Capacity capacity = Capacity.of(request);
        Capacity.checkItemCollectionMetrics(request);
        ExpressionParams.checkMix(request, "AttributeUpdates", "Expected", "ConditionalOperator");
        TableDefinition table = ExpressionParams.table(engine.catalog(), name, request);
        Placeholders placeholders = ExpressionParams.placeholders(request);
        Update update = update(request, placeholders, table);
        ExpressionParams.WriteCondition condition = ExpressionParams.writeCondition(request, placeholders);
        placeholders.checkAllUsed();
        WriteResult result = engine.writePath().write(Items.updateMutation(table, key, update,
                condition.condition(), condition.returnOldOnFailure()));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        Item attributes = switch (returnValues) {
            case "ALL_OLD" -> result.oldItem();
            case "UPDATED_OLD" -> result.oldItem() == null ? null : update.updatedAttributes(result.oldItem());
            case "ALL_NEW" -> result.newItem();
            case "UPDATED_NEW" -> update.updatedAttributes(result.newItem());
            default -> null;
        };
        if (attributes != null && !attributes.isEmpty()) {
            out.set("Attributes", AttributeJson.toJson(attributes));
        }
        capacity.write(name, Capacity.writeUnits(Math.max(Capacity.size(result.oldItem()),
                Capacity.size(result.newItem()))));
        capacity.render(out, name);
        return out;
    }

    private static Update update(Request request, Placeholders placeholders, TableDefinition table) {
        String expression = request.string("UpdateExpression");
        if (expression != null) {
            return ExpressionParams.update(expression, placeholders, table);
        }
        Map<String, Legacy.AttributeUpdate> updates = new LinkedHashMap<>();
        JsonNode legacy = request.object("AttributeUpdates");
        if (legacy != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = legacy.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Request u = new Request(e.getValue());
                AttributeValue value = u.has("Value") ? AttributeJson.value(u.node("Value"), "AttributeUpdates") : null;
                updates.put(e.getKey(), new Legacy.AttributeUpdate(u.string("Action"), value));
            }
        }
        return Legacy.attributeUpdates(updates, Set.copyOf(table.keyAttributeNames()));
    }
}
