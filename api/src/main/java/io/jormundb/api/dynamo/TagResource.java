package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.TableDefinition;

import java.util.List;

/** TagResource: adds tags to a table (a key given again takes its new value); answers {}. */
final class TagResource implements Operation {
    private final Engine engine;

    TagResource(Engine engine) {
        this.engine = engine;
    }

    @Override
    public ObjectNode handle(Request request) {
        TableDefinition table = ResourceArns.table(engine.catalog(), request, "TagResource");
        List<TableDefinition.Tag> added = Tags.of(request, true);
        engine.catalog().update(table, current -> current.withTags(Tags.merge(current.tags(), added)));
        return JsonNodeFactory.instance.objectNode();
    }
}
