package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import io.jormundb.engine.catalog.Catalog;
import io.jormundb.engine.catalog.IndexSpec;
import io.jormundb.engine.catalog.ProjectionType;
import io.jormundb.engine.catalog.TableSpec;
import io.jormundb.engine.error.DynamoException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads secondary index members of CreateTable and UpdateTable (LocalSecondaryIndexes,
 * GlobalSecondaryIndexes, a GlobalSecondaryIndexUpdates Create) into {@link IndexSpec}s, with
 * DynamoDB's shape checks and messages; what depends on the table is the catalog's to check.
 */
final class IndexRequests {
    /** DynamoDB's limit on the NonKeyAttributes of one index. */
    private static final int MAX_NON_KEY_ATTRIBUTES = 20;

    private IndexRequests() {
    }

    /** The indexes of list member {@code member} ({@code null} when absent), e.g. GlobalSecondaryIndexes. */
    static List<IndexSpec> list(Request request, String member, boolean global) {
        List<JsonNode> nodes = request.list(member);
        if (nodes == null) {
            return null;
        }
        List<IndexSpec> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            out.add(index(new Request(nodes.get(i)), Request.camel(member) + "." + (i + 1) + ".member", global));
        }
        return out;
    }

    /** One index object at {@code path} (for messages); {@code global} allows ProvisionedThroughput. */
    static IndexSpec index(Request index, String path, boolean global) {
        String name = index.string("IndexName");
        Catalog.validateName(name, path + ".indexName");
        List<JsonNode> schema = index.list("KeySchema");
        if (schema == null) {
            throw notNull(path + ".keySchema");
        }
        List<TableSpec.KeyElement> keySchema = new ArrayList<>();
        for (JsonNode k : schema) {
            Request element = new Request(k);
            keySchema.add(new TableSpec.KeyElement(element.requireString("AttributeName"),
                    element.enumValue("KeyType", Set.of("HASH", "RANGE"), null)));
        }
        JsonNode projectionNode = index.object("Projection");
        if (projectionNode == null) {
            throw notNull(path + ".projection");
        }
        Request projection = new Request(projectionNode);
        String type = projection.string("ProjectionType");
        if (type != null && !Set.of("ALL", "KEYS_ONLY", "INCLUDE").contains(type)) {
            throw DynamoException.validation("1 validation error detected: Value '" + type + "' at '" + path
                    + ".projection.projectionType' failed to satisfy constraint: Member must satisfy enum value set: "
                    + "[ALL, INCLUDE, KEYS_ONLY]");
        }
        List<String> nonKey = ItemReads.strings(projection, "NonKeyAttributes");
        if (nonKey != null && (nonKey.isEmpty() || nonKey.size() > MAX_NON_KEY_ATTRIBUTES)) {
            throw DynamoException.validation("1 validation error detected: Value '" + nonKey + "' at '" + path
                    + ".projection.nonKeyAttributes' failed to satisfy constraint: Member must have length "
                    + (nonKey.isEmpty() ? "greater than or equal to 1" : "less than or equal to " + MAX_NON_KEY_ATTRIBUTES));
        }
        if (nonKey != null && nonKey.stream().anyMatch(a -> a.isEmpty() || a.length() > KeyNameLengths.MAX_CHARS)) {
            // A projected attribute is named as a key attribute is: 1 to 255 characters.
            throw DynamoException.validation("1 validation error detected: Value '" + nonKey + "' at '" + path
                    + ".projection.nonKeyAttributes' failed to satisfy constraint: Member must satisfy constraint: "
                    + "[Member must have length less than or equal to " + KeyNameLengths.MAX_CHARS
                    + ", Member must have length greater than or equal to 1]");
        }
        Long read = null;
        Long write = null;
        JsonNode throughput = global ? index.object("ProvisionedThroughput") : null;
        if (throughput != null) {
            CreateTable.Throughput units = CreateTable.Throughput.units(new Request(throughput),
                    path + ".provisionedThroughput");
            read = units.read();
            write = units.write();
        }
        return new IndexSpec(path, name, keySchema, type == null ? null : ProjectionType.valueOf(type), nonKey, read,
                write);
    }

    /** The AttributeDefinitions of a request by name ({@code null} when absent). */
    static Map<String, String> attributeDefinitions(Request request) {
        List<JsonNode> defs = request.list("AttributeDefinitions");
        if (defs == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode d : defs) {
            Request element = new Request(d);
            out.put(element.requireString("AttributeName"), element.requireString("AttributeType"));
        }
        return out;
    }

    private static DynamoException notNull(String path) {
        return DynamoException.validation("1 validation error detected: Value null at '" + path
                + "' failed to satisfy constraint: Member must not be null");
    }
}
