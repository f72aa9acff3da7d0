package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.items.Items;
import io.jormundb.engine.write.Mutation;
import io.jormundb.engine.write.WriteContext;
import io.jormundb.engine.write.WriteResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * BatchWriteItem: up to 25 puts and deletes over several tables, each validated as PutItem and
 * DeleteItem are, committed in one write batch (so nothing is ever left unprocessed). A request
 * body over 16 MB never gets here: the protocol refuses it as RequestEntityTooLarge.
 */
final class BatchWriteItem implements Operation {
    static final int MAX_WRITES = 25;

    private final Engine engine;

    BatchWriteItem(Engine engine) {
        this.engine = engine;
    }

    @Override
    public ObjectNode handle(Request request) {
        Map<String, JsonNode> requestItems = RequestItems.of(request, "BatchWriteItem");
        Capacity capacity = Capacity.of(request);
        Capacity.checkItemCollectionMetrics(request);
        List<Mutation> mutations = new ArrayList<>();
        DuplicateKeys seen = new DuplicateKeys();
        for (Map.Entry<String, JsonNode> entry : requestItems.entrySet()) {
            if (!entry.getValue().isArray()) {
                throw AttributeJson.wrongType("RequestItems." + entry.getKey(), "a list of write requests");
            }
            checkLength(entry.getKey(), entry.getValue());
        }
        for (Map.Entry<String, JsonNode> entry : requestItems.entrySet()) {
            for (JsonNode write : entry.getValue()) {
                if (mutations.size() == MAX_WRITES) {
                    throw DynamoException.validation("Too many items requested for the BatchWriteItem call");
                }
                mutations.add(mutation(entry.getKey(), new Request(write), seen));
            }
        }
        List<WriteResult> results = engine.writePath().write(mutations, WriteContext.USER);
        for (int i = 0; i < results.size(); i++) {
            WriteResult r = results.get(i);
            capacity.write(mutations.get(i).table().name(),
                    Capacity.writeUnits(Capacity.writeSize(r.oldItem(), r.newItem())));
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.putObject("UnprocessedItems");
        capacity.renderAll(out);
        return out;
    }

    /**
     * One table's list must hold 1 to 25 requests; DynamoDB names the whole map in the message,
     * each request as its Java object ({@code WriteRequest@hash}).
     */
    private static void checkLength(String table, JsonNode writes) {
        if (!writes.isEmpty() && writes.size() <= MAX_WRITES) {
            return;
        }
        StringJoiner value = new StringJoiner(", ", "{" + table + "=[", "]}");
        for (JsonNode write : writes) {
            value.add("com.amazonaws.dynamodb.v20120810.WriteRequest@" + Integer.toHexString(write.hashCode()));
        }
        throw DynamoException.validation("1 validation error detected: Value '" + value + "' at 'requestItems' "
                + "failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less "
                + "than or equal to " + MAX_WRITES + ", Member must have length greater than or equal to 1]");
    }

    private Mutation mutation(String key, Request write, DuplicateKeys seen) {
        TableDefinition table = engine.catalog().require(RequestItems.tableName(key));
        JsonNode put = write.object("PutRequest");
        JsonNode delete = write.object("DeleteRequest");
        if ((put == null) == (delete == null)) {
            throw DynamoException.validation("Supplied WriteRequest must contain exactly one of PutRequest "
                    + "or DeleteRequest");
        }
        Mutation m;
        if (put != null) {
            m = Items.putMutation(table, new Request(put).requireItem("Item"), null, false);
        } else {
            m = Items.deleteMutation(table, new Request(delete).requireItem("Key"), null, false);
        }
        seen.add(table, m.key());
        return m;
    }
}
