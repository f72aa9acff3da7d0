package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.error.DynamoException;

import java.util.List;

/** UntagResource: removes tags by key (keys the table does not have are no error); answers {}. */
final class UntagResource implements Operation {
    private final Engine engine;

    UntagResource(Engine engine) {
        this.engine = engine;
    }

    @Override
    public ObjectNode handle(Request request) {
        TableDefinition table = ResourceArns.table(engine.catalog(), request, "UntagResource");
        List<String> keys = ItemReads.strings(request, "TagKeys");
        if (keys == null) {
            throw DynamoException.validation("1 validation error detected: Value null at 'tagKeys' failed to "
                    + "satisfy constraint: Member must not be null");
        }
        if (keys.isEmpty()) {
            throw DynamoException.validation("Atleast one Tag Key needs to be provided as Input.");
        }
        for (int i = 0; i < keys.size(); i++) {
            Tags.checkKey(keys.get(i), "tagKeys." + (i + 1) + ".member");
        }
        engine.catalog().update(table, current -> current.withTags(current.tags().stream()
                .filter(t -> !keys.contains(t.key())).toList()));
        return JsonNodeFactory.instance.objectNode();
    }
}
