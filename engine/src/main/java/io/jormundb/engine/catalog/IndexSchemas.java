package io.jormundb.engine.catalog;

import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.error.ErrorCode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * Checks secondary index specifications the way DynamoDB does, with its messages, and turns them
 * into {@link SecondaryIndex} definitions: the indexes of CreateTable, and a global index that
 * UpdateTable adds. Limits: 5 local and 20 global indexes a table, up to four partition and four
 * sort attributes in a global index's key schema, 20 NonKeyAttributes an index (checked by the
 * api) and 100 over all indexes.
 */
public final class IndexSchemas {
    static final int MAX_LOCAL_INDEXES = 5;
    static final int MAX_GLOBAL_INDEXES = 20;
    /** Up to this many HASH and as many RANGE attributes in a global index's key schema. */
    static final int MAX_KEY_ATTRIBUTES = 4;
    /** NonKeyAttributes summed over every index of a table. */
    static final int MAX_PROJECTED_ATTRIBUTES = 100;
    private static final String INVALID = "One or more parameter values were invalid: ";

    private IndexSchemas() {
    }

    /**
     * The indexes of a CreateTable request (local ones first), each with an id from
     * {@code newIndexId}; throws DynamoDB's ValidationException for the first thing wrong.
     *
     * @param tableKeys {table hash key, table range key or null}, already checked
     * @param defs      AttributeDefinitions by name, in request order, already free of duplicates
     */
    static List<SecondaryIndex> forCreateTable(TableSpec spec, KeyAttribute[] tableKeys, Map<String, String> defs,
                                               IntSupplier newIndexId) {
        List<IndexSpec> locals = spec.localSecondaryIndexes();
        List<IndexSpec> globals = spec.globalSecondaryIndexes();
        if (locals != null && locals.isEmpty()) {
            throw DynamoException.validation(INVALID + "List of LocalSecondaryIndexes is empty");
        }
        if (globals != null && globals.isEmpty()) {
            throw DynamoException.validation(INVALID + "List of GlobalSecondaryIndexes is empty");
        }
        List<IndexSpec> all = new ArrayList<>();
        all.addAll(locals == null ? List.of() : locals);
        all.addAll(globals == null ? List.of() : globals);
        checkDefinitionsMatchKeys(spec, defs, all);
        List<SecondaryIndex> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        if (locals != null) {
            if (tableKeys[1] == null) {
                throw DynamoException.validation(INVALID
                        + "Table KeySchema does not have a range key, which is required when specifying a "
                        + "LocalSecondaryIndex");
            }
            for (IndexSpec l : locals) {
                out.add(local(l, tableKeys[0], defs, names, newIndexId));
            }
            if (locals.size() > MAX_LOCAL_INDEXES) {
                throw DynamoException.validation(INVALID + "Number of LocalSecondaryIndexes exceeds per-table limit of "
                        + MAX_LOCAL_INDEXES);
            }
        }
        if (globals != null) {
            for (IndexSpec g : globals) {
                KeySchema keys = globalKeySchema(g, defs);
                IndexProjection projection = projection(g);
                long[] throughput = createTableThroughput(g, spec.billingMode());
                checkUnique(g.name(), names);
                out.add(new SecondaryIndex(g.name(), newIndexId.getAsInt(), IndexKind.GLOBAL, keys, projection,
                        IndexStatus.ACTIVE, throughput[0], throughput[1]));
            }
            if (globals.size() > MAX_GLOBAL_INDEXES) {
                throw DynamoException.validation(INVALID + "GlobalSecondaryIndex count exceeds the per-table limit of "
                        + MAX_GLOBAL_INDEXES);
            }
        }
        checkProjectedTotal(out);
        return out;
    }

    /**
     * A global index that UpdateTable creates on {@code table}: CREATING, to be backfilled.
     *
     * @param requestDefs the request's AttributeDefinitions by name, or {@code null} when it has none
     */
    public static SecondaryIndex forNewGlobalIndex(TableDefinition table, IndexSpec spec, Map<String, String> requestDefs,
                                            int id) {
        if (table.index(spec.name()).isPresent()) {
            throw DynamoException.validation("Attempting to create an index which already exists");
        }
        if (requestDefs == null) {
            throw DynamoException.validation(INVALID + "AttributeDefinitions is not specified for index: " + spec.name());
        }
        Map<String, String> defs = new LinkedHashMap<>(requestDefs);
        List<String> missing = new ArrayList<>();
        for (TableSpec.KeyElement k : spec.keySchema()) {
            if (!defs.containsKey(k.attributeName())) {
                missing.add(k.attributeName());
            }
        }
        if (!missing.isEmpty()) {
            throw DynamoException.validation(INVALID + "Some index key attributes are not defined in "
                    + "AttributeDefinitions. Keys: " + missing + ", AttributeDefinitions: "
                    + new ArrayList<>(requestDefs.keySet()));
        }
        checkNotRedefined(table, spec, requestDefs);
        defs.putAll(table.attributeDefinitions());
        KeySchema keys = globalKeySchema(spec, defs);
        IndexProjection projection = projection(spec);
        long[] throughput = updateTableThroughput(spec, table.billingMode());
        if (table.indexes().stream().filter(SecondaryIndex::global).count() >= MAX_GLOBAL_INDEXES) {
            throw new DynamoException(ErrorCode.LIMIT_EXCEEDED, "Subscriber limit exceeded: Number of global "
                    + "secondary indexes exceeds per-table limit of " + MAX_GLOBAL_INDEXES);
        }
        SecondaryIndex index = new SecondaryIndex(spec.name(), id, IndexKind.GLOBAL, keys, projection,
                IndexStatus.CREATING, throughput[0], throughput[1]);
        List<SecondaryIndex> after = new ArrayList<>(table.indexes());
        after.add(index);
        checkProjectedTotal(after);
        return index;
    }

    /**
     * An attribute that already keys the table or another index keeps its type: defining it again
     * with another is refused, with DynamoDB's message naming both schema elements.
     */
    private static void checkNotRedefined(TableDefinition table, IndexSpec spec, Map<String, String> requestDefs) {
        for (Map.Entry<String, String> def : requestDefs.entrySet()) {
            String existing = table.attributeDefinitions().get(def.getKey());
            if (existing == null || existing.equals(def.getValue())) {
                continue;
            }
            String role = existingRole(table, def.getKey());
            String newRole = spec.keySchema().stream().filter(k -> k.attributeName().equals(def.getKey()))
                    .map(TableSpec.KeyElement::keyType).findFirst().orElse(role);
            throw DynamoException.validation(INVALID + "Attributes cannot be redefined. Please check that your "
                    + "attribute has the same type as previously defined. Existing schema: Schema:[SchemaElement: key{"
                    + def.getKey() + ":" + existing + ":" + role + "}] New schema: Schema:[SchemaElement: key{"
                    + def.getKey() + ":" + def.getValue() + ":" + newRole + "}]");
        }
    }

    /** HASH or RANGE: the part of the table's key, or else of the first index key, that {@code attribute} is. */
    private static String existingRole(TableDefinition table, String attribute) {
        List<KeySchema> schemas = new ArrayList<>();
        schemas.add(table.keySchema());
        table.indexes().forEach(i -> schemas.add(i.keySchema()));
        for (KeySchema schema : schemas) {
            if (schema.hash().stream().anyMatch(k -> k.name().equals(attribute))) {
                return "HASH";
            }
            if (schema.range().stream().anyMatch(k -> k.name().equals(attribute))) {
                return "RANGE";
            }
        }
        return "HASH";
    }

    /** The key attributes of the table and of every index, with their types, in that order. */
    public static Map<String, String> keyDefinitions(KeySchema table, List<SecondaryIndex> indexes) {
        Map<String, String> defs = new LinkedHashMap<>();
        for (KeyAttribute k : table.attributes()) {
            defs.put(k.name(), k.type());
        }
        for (SecondaryIndex i : indexes) {
            for (KeyAttribute k : i.keySchema().attributes()) {
                defs.put(k.name(), k.type());
            }
        }
        return defs;
    }

    /**
     * With indexes, AttributeDefinitions must name exactly the key attributes of the table and of
     * every index; DynamoDB checks this before anything else about the indexes.
     */
    private static void checkDefinitionsMatchKeys(TableSpec spec, Map<String, String> defs, List<IndexSpec> indexes) {
        Set<String> used = new HashSet<>();
        for (TableSpec.KeyElement k : spec.keySchema()) {
            used.add(k.attributeName());
        }
        for (IndexSpec i : indexes) {
            for (TableSpec.KeyElement k : i.keySchema()) {
                used.add(k.attributeName());
            }
        }
        Set<String> missing = new HashSet<>(used);
        missing.removeAll(defs.keySet());
        if (!missing.isEmpty()) {
            throw DynamoException.validation(INVALID + "Some index key attributes are not defined in "
                    + "AttributeDefinitions. Keys: " + new ArrayList<>(missing) + ", AttributeDefinitions: "
                    + new ArrayList<>(defs.keySet()));
        }
        if (!used.containsAll(defs.keySet())) {
            throw DynamoException.validation(INVALID + "Some AttributeDefinitions are not used. AttributeDefinitions: "
                    + new ArrayList<>(defs.keySet()) + ", keys used: " + new ArrayList<>(used));
        }
    }

    private static SecondaryIndex local(IndexSpec l, KeyAttribute tableHash, Map<String, String> defs,
                                        Set<String> names, IntSupplier newIndexId) {
        List<TableSpec.KeyElement> schema = l.keySchema();
        checkSize(l, schema, 2);
        if (schema.size() == 2 && schema.get(0).attributeName().equals(schema.get(1).attributeName())) {
            throw DynamoException.validation(
                    "Both the Hash Key and the Range Key element in the KeySchema have the same name");
        }
        if (!"HASH".equals(schema.get(0).keyType())) {
            throw DynamoException.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        }
        if (schema.size() == 2 && !"RANGE".equals(schema.get(1).keyType())) {
            throw DynamoException.validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
        }
        if (schema.size() != 2) {
            throw DynamoException.validation(INVALID + "Index KeySchema does not have a range key for index: "
                    + l.name());
        }
        String hash = schema.get(0).attributeName();
        if (!hash.equals(tableHash.name())) {
            throw DynamoException.validation(INVALID + "Index KeySchema does not have the same leading hash key as "
                    + "table KeySchema for index: " + l.name() + ". index hash key: " + hash + ", table hash key: "
                    + tableHash.name());
        }
        IndexProjection projection = projection(l);
        checkUnique(l.name(), names);
        String range = schema.get(1).attributeName();
        return new SecondaryIndex(l.name(), newIndexId.getAsInt(), IndexKind.LOCAL,
                KeySchema.of(tableHash, new KeyAttribute(range, defs.get(range))), projection, IndexStatus.ACTIVE, 0, 0);
    }

    /**
     * A global index's key schema: one to four HASH elements, then up to four RANGE elements, no
     * attribute twice, every attribute defined ({@code defs}).
     */
    private static KeySchema globalKeySchema(IndexSpec g, Map<String, String> defs) {
        List<TableSpec.KeyElement> schema = g.keySchema();
        checkSize(g, schema, 2 * MAX_KEY_ATTRIBUTES);
        if (!"HASH".equals(schema.get(0).keyType())) {
            throw DynamoException.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        }
        List<KeyAttribute> hash = new ArrayList<>();
        List<KeyAttribute> range = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean duplicate = false;
        for (TableSpec.KeyElement k : schema) {
            if ("HASH".equals(k.keyType()) && !range.isEmpty()) {
                throw DynamoException.validation(INVALID
                        + "All HASH key attributes must precede RANGE key attributes in the KeySchema");
            }
            duplicate |= !seen.add(k.attributeName());
            ("HASH".equals(k.keyType()) ? hash : range).add(new KeyAttribute(k.attributeName(),
                    defs.get(k.attributeName())));
        }
        if (hash.size() > MAX_KEY_ATTRIBUTES || range.size() > MAX_KEY_ATTRIBUTES) {
            throw DynamoException.validation(INVALID + "The KeySchema exceeds the maximum allowed number of "
                    + (hash.size() > MAX_KEY_ATTRIBUTES ? "HASH" : "RANGE") + " key attributes");
        }
        if (duplicate) {
            throw DynamoException.validation(schema.size() == 2 && range.size() == 1
                    ? "Both the Hash Key and the Range Key element in the KeySchema have the same name"
                    : "The KeySchema contains multiple key attributes with the same name");
        }
        return new KeySchema(hash, range);
    }

    private static void checkSize(IndexSpec spec, List<TableSpec.KeyElement> schema, int max) {
        if (schema.isEmpty() || schema.size() > max) {
            throw DynamoException.validation("1 validation error detected: Value '" + schema.size() + "' at '"
                    + spec.path() + ".keySchema' failed to satisfy constraint: Member must have length "
                    + (schema.isEmpty() ? "greater than or equal to 1" : "less than or equal to " + max));
        }
    }

    private static IndexProjection projection(IndexSpec spec) {
        ProjectionType type = spec.projectionType();
        List<String> nonKey = spec.nonKeyAttributes();
        if (type == null) {
            throw DynamoException.validation(INVALID + "Unknown ProjectionType: null");
        }
        if (type == ProjectionType.INCLUDE && nonKey == null) {
            throw DynamoException.validation(INVALID + "ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
        }
        if (type != ProjectionType.INCLUDE && nonKey != null) {
            throw DynamoException.validation(INVALID + "ProjectionType is " + type + ", but NonKeyAttributes is specified");
        }
        if (nonKey == null) {
            return new IndexProjection(type, List.of());
        }
        Set<String> seen = new HashSet<>();
        for (String name : nonKey) {
            if (!seen.add(name)) {
                throw DynamoException.validation(INVALID + "Duplicate element in NonKeyAttributes: " + name);
            }
        }
        return new IndexProjection(type, nonKey);
    }

    /** {read, write} units of a global index in CreateTable, by the table's billing mode. */
    private static long[] createTableThroughput(IndexSpec g, BillingMode mode) {
        if (mode == BillingMode.PAY_PER_REQUEST) {
            if (g.hasThroughput()) {
                throw DynamoException.validation(INVALID + "ProvisionedThroughput should not be specified for index: "
                        + g.name() + " when BillingMode is PAY_PER_REQUEST");
            }
            return new long[2];
        }
        if (!g.hasThroughput()) {
            throw DynamoException.validation(INVALID + "ProvisionedThroughput is not specified for index: " + g.name());
        }
        return new long[] {g.readCapacityUnits(), g.writeCapacityUnits()};
    }

    /** {read, write} units of a global index that UpdateTable creates, by the table's billing mode. */
    private static long[] updateTableThroughput(IndexSpec g, BillingMode mode) {
        if (mode == BillingMode.PAY_PER_REQUEST) {
            if (g.hasThroughput()) {
                throw DynamoException.validation(INVALID + "Neither ReadCapacityUnits nor WriteCapacityUnits can be "
                        + "specified for index: " + g.name() + " when BillingMode is PAY_PER_REQUEST");
            }
            return new long[2];
        }
        if (!g.hasThroughput()) {
            throw DynamoException.validation(INVALID + "ProvisionedThroughput must be specified for index: "
                    + g.name());
        }
        return new long[] {g.readCapacityUnits(), g.writeCapacityUnits()};
    }

    private static void checkUnique(String name, Set<String> names) {
        if (!names.add(name)) {
            throw DynamoException.validation(INVALID + "Duplicate index name: " + name);
        }
    }

    private static void checkProjectedTotal(List<SecondaryIndex> indexes) {
        int total = 0;
        for (SecondaryIndex i : indexes) {
            total += i.projection().nonKeyAttributes().size();
        }
        if (total > MAX_PROJECTED_ATTRIBUTES) {
            throw DynamoException.validation(INVALID + "Number of projected attributes in all indexes exceeds limit of "
                    + MAX_PROJECTED_ATTRIBUTES + ", number of projected attributes: " + total);
        }
    }
}
