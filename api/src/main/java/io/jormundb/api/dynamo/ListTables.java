package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.Catalog;
import io.jormundb.engine.catalog.TableDefinition;

import java.util.List;

/** ListTables: names in order, at most Limit (≤ 100) a page. */
final class ListTables implements Operation {
    private final Engine engine;

    ListTables(Engine engine) {
        this.engine = engine;
    }

    @Override
    public ObjectNode handle(Request request) {
        Integer limit = request.limit("Limit", 100);
        String start = request.string("ExclusiveStartTableName");
        if (start != null) {
            Catalog.validateName(start, "exclusiveStartTableName");
        }
        int max = limit == null ? 100 : limit;
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode names = out.putArray("TableNames");
        List<TableDefinition> tables = engine.catalog().list();
        String last = null;
        boolean more = false;
        for (TableDefinition t : tables) {
            if ((start != null && t.name().compareTo(start) <= 0) || !request.lists(t.name())) {
                continue;
            }
            if (names.size() == max) {
                more = true;
                break;
            }
            names.add(t.name());
            last = t.name();
        }
        if (more) {
            out.put("LastEvaluatedTableName", last);
        }
        return out;
    }
}
