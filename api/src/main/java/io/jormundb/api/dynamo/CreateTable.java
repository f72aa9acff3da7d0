package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.BillingMode;
import io.jormundb.engine.catalog.IndexSpec;
import io.jormundb.engine.catalog.TableClass;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.catalog.TableSpec;
import io.jormundb.engine.error.DynamoException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * CreateTable, with local and global secondary indexes: tables (and the indexes created with
 * them) are ACTIVE at once, so the SDK's waiters return immediately.
 */
final class CreateTable implements Operation {
    private final Engine engine;

    CreateTable(Engine engine) {
        this.engine = engine;
    }

    /** The TableClass member, checked as DynamoDB checks it ({@code null} when absent). */
    static TableClass tableClass(Request request) {
        String value = request.enumValue("TableClass", List.of("STANDARD", "STANDARD_INFREQUENT_ACCESS"), null);
        return value == null ? null : TableClass.valueOf(value);
    }

    @Override
    public ObjectNode handle(Request request) {
        String name = request.tableName();
        new KeyNameLengths().names(request.body(), "AttributeDefinitions", "attributeDefinitions")
                .names(request.body(), "KeySchema", "keySchema")
                .indexes(request.body(), "LocalSecondaryIndexes", "localSecondaryIndexes", null)
                .indexes(request.body(), "GlobalSecondaryIndexes", "globalSecondaryIndexes", null)
                .check();
        List<TableSpec.KeyElement> keySchema = new ArrayList<>();
        List<JsonNode> schema = request.list("KeySchema");
        if (schema == null) {
            throw Request.missing("KeySchema");
        }
        for (JsonNode k : schema) {
            Request element = new Request(k);
            keySchema.add(new TableSpec.KeyElement(element.requireString("AttributeName"),
                    element.enumValue("KeyType", Set.of("HASH", "RANGE"), null)));
        }
        List<TableSpec.AttributeDefinition> definitions = new ArrayList<>();
        List<JsonNode> defs = request.list("AttributeDefinitions");
        if (defs == null) {
            throw Request.missing("AttributeDefinitions");
        }
        for (JsonNode d : defs) {
            Request element = new Request(d);
            definitions.add(new TableSpec.AttributeDefinition(element.requireString("AttributeName"),
                    element.requireString("AttributeType")));
        }
        List<IndexSpec> localIndexes = IndexRequests.list(request, "LocalSecondaryIndexes", false);
        List<IndexSpec> globalIndexes = IndexRequests.list(request, "GlobalSecondaryIndexes", true);
        Throughput throughput = Throughput.of(request, null);
        TableSpec spec = new TableSpec(name, keySchema, definitions, throughput.mode(), throughput.read(),
                throughput.write(), Streams.viewType(request, false), Tags.of(request, false), 0, localIndexes,
                globalIndexes, request.bool("DeletionProtectionEnabled", false), tableClass(request));
        TableDefinition table = engine.writePath().createTable(spec, engine.clock().millis());
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("TableDescription",
                TableDescriptions.describe(table, engine.writePath().stats(table), "ACTIVE", request.region()));
        return out;
    }

    /** BillingMode and ProvisionedThroughput of CreateTable and UpdateTable, checked together. */
    record Throughput(BillingMode mode, long read, long write) {
        static Throughput of(Request request, TableDefinition current) {
            String modeText = request.enumValue("BillingMode", Set.of("PROVISIONED", "PAY_PER_REQUEST"), null);
            BillingMode mode = modeText != null ? BillingMode.valueOf(modeText)
                    : current != null ? current.billingMode() : BillingMode.PROVISIONED;
            JsonNode pt = request.object("ProvisionedThroughput");
            if (mode == BillingMode.PAY_PER_REQUEST) {
                if (pt != null) {
                    throw DynamoException.validation("One or more parameter values were invalid: Neither "
                            + "ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is "
                            + "PAY_PER_REQUEST");
                }
                return new Throughput(mode, 0, 0);
            }
            if (pt == null) {
                if (current != null && current.billingMode() == BillingMode.PROVISIONED) {
                    return new Throughput(mode, current.readCapacityUnits(), current.writeCapacityUnits());
                }
                if (current != null) {
                    throw DynamoException.validation("One or more parameter values were invalid: "
                            + "ProvisionedThroughput must be specified when BillingMode is PROVISIONED");
                }
                throw DynamoException.validation("One or more parameter values were invalid: ReadCapacityUnits and "
                        + "WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
            }
            return units(new Request(pt), "provisionedThroughput");
        }

        /** A ProvisionedThroughput object (of a table or an index at {@code path}): both units, each at least 1. */
        static Throughput units(Request p, String path) {
            Long read = p.longValue("ReadCapacityUnits");
            Long write = p.longValue("WriteCapacityUnits");
            checkUnits(read, path + ".readCapacityUnits");
            checkUnits(write, path + ".writeCapacityUnits");
            return new Throughput(BillingMode.PROVISIONED, read, write);
        }

        private static void checkUnits(Long units, String path) {
            if (units == null) {
                throw DynamoException.validation("1 validation error detected: Value null at '" + path
                        + "' failed to satisfy constraint: Member must not be null");
            }
            if (units < 1) {
                throw DynamoException.validation("1 validation error detected: Value '" + units + "' at '" + path
                        + "' failed to satisfy constraint: Member must have value greater than or equal to 1");
            }
        }
    }
}
