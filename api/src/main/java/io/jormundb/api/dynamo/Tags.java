package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import io.jormundb.engine.catalog.TableDefinition;

import java.util.ArrayList;
import java.util.List;

/** The Tags member of CreateTable. */
final class Tags {
    private Tags() {
    }

    static List<TableDefinition.Tag> of(Request request) {
        List<JsonNode> tags = request.list("Tags");
        List<TableDefinition.Tag> out = new ArrayList<>();
        if (tags != null) {
            for (JsonNode t : tags) {
                Request tag = new Request(t);
                out.add(new TableDefinition.Tag(tag.requireString("Key"), tag.requireString("Value")));
            }
        }
        return out;
    }
}
