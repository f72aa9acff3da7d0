package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.KeySchema;
import io.jormundb.engine.catalog.SecondaryIndex;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.expr.Expressions;
import io.jormundb.engine.expr.KeyCondition;
import io.jormundb.engine.expr.Legacy;
import io.jormundb.engine.expr.Placeholders;
import io.jormundb.engine.items.ReadSpec;


/**
 * Query: one partition key's items in sort key order, of the table or of one of its secondary
 * indexes, an iterator seek over the key encoding.
 */
final class Query implements Operation {
    private final Engine engine;

    Query(Engine engine) {
        this.engine = engine;
    }

    @Override
    public ObjectNode handle(Request request) {
        String name = request.tableName();
        if (request.has("KeyConditionExpression")) {
            ExpressionParams.checkMix(request, "AttributesToGet", "QueryFilter", "ConditionalOperator", "KeyConditions");
        } else {
            // DynamoDB lets the legacy KeyConditions go with FilterExpression and ProjectionExpression
            ExpressionParams.checkMix(request, "AttributesToGet", "QueryFilter", "ConditionalOperator");
        }
        String conditionalOperator = ExpressionParams.conditionalOperator(request, "QueryFilter");
        TableDefinition table = ExpressionParams.table(engine.catalog(), name, request);
        SecondaryIndex index = PageRequest.index(request, table);
        Placeholders placeholders = ExpressionParams.placeholders(request);
        KeyCondition key = keyCondition(request, placeholders, index == null ? table.keySchema() : index.keySchema());
        ReadSpec spec = PageRequest.readSpec(request, table, index, placeholders, "QueryFilter", conditionalOperator);
        placeholders.checkAllUsed();
        boolean forward = request.bool("ScanIndexForward", true);
        return PageRequest.response(request, name,
                engine.items().query(PageRequest.source(request, table, index, spec), key, forward, spec),
                spec.countOnly());
    }

    /** The key condition against the key schema of the table or of the index queried. */
    private static KeyCondition keyCondition(Request request, Placeholders placeholders, KeySchema schema) {
        String expression = request.string("KeyConditionExpression");
        if (expression != null) {
            return Expressions.keyCondition(expression, placeholders, schema);
        }
        JsonNode legacy = request.object("KeyConditions");
        if (legacy == null) {
            throw DynamoException.validation(
                    "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
        }
        return Legacy.keyConditions(PageRequest.filterEntries(legacy), schema);
    }
}
