package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.TableDefinition;

/** DescribeTable, with exact ItemCount and TableSizeBytes. */
final class DescribeTable implements Operation {
    private final Engine engine;

    DescribeTable(Engine engine) {
        this.engine = engine;
    }

    @Override
    public ObjectNode handle(Request request) {
        TableDefinition table = engine.catalog().requireTable(request.tableName());
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("Table", TableDescriptions.describe(table, engine.writePath().stats(table), "ACTIVE",
                request.region()));
        return out;
    }
}
