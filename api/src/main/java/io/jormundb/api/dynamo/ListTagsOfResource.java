package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.TableDefinition;

/** ListTagsOfResource: every tag of a table (at most 50, so one page: no NextToken). */
final class ListTagsOfResource implements Operation {
    private final Engine engine;

    ListTagsOfResource(Engine engine) {
        this.engine = engine;
    }

    @Override
    public ObjectNode handle(Request request) {
        TableDefinition table = ResourceArns.table(engine.catalog(), request, "ListTagsOfResource");
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        Tags.render(out.putArray("Tags"), table.tags());
        return out;
    }
}
