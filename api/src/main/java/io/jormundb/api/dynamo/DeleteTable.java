package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.write.WritePath;

import java.util.List;

/**
 * DeleteTable: items, changelog and definition go in one batch; its feeds end. The answer
 * describes the table as DynamoDB's does: DELETING, without its schema.
 */
final class DeleteTable implements Operation {
    private final Engine engine;

    DeleteTable(Engine engine) {
        this.engine = engine;
    }

    @Override
    public ObjectNode handle(Request request) {
        TableDefinition table = engine.catalog().requireTable(request.tableName());
        WritePath.TableStats stats = engine.writePath().stats(table);
        engine.writePath().deleteTable(table);
        ObjectNode description = TableDescriptions.describe(table, stats, "DELETING", request.region());
        // DynamoDB's answer leaves out what describes the table's schema (DescribeTable has it).
        description.remove(List.of("KeySchema", "AttributeDefinitions", "CreationDateTime", "GlobalSecondaryIndexes",
                "LocalSecondaryIndexes"));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("TableDescription", description);
        return out;
    }
}
