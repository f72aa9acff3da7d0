package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.catalog.BillingMode;
import io.jormundb.engine.catalog.KeyAttribute;
import io.jormundb.engine.catalog.SecondaryIndex;
import io.jormundb.engine.catalog.TableClass;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.write.Counts;
import io.jormundb.engine.write.WritePath;
import io.jormundb.streams.shards.StreamArn;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Renders a table as DynamoDB's TableDescription; the one place that knows its shape. ARNs name
 * the region the request was signed for and {@link StreamArn#ACCOUNT}.
 */
public final class TableDescriptions {
    private TableDescriptions() {
    }

    public static String tableArn(TableDefinition t, String region) {
        return "arn:aws:dynamodb:" + region + ":" + StreamArn.ACCOUNT + ":table/" + t.name();
    }

    public static ObjectNode describe(TableDefinition t, WritePath.TableStats stats, String status, String region) {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        ArrayNode defs = d.putArray("AttributeDefinitions");
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(t.attributeDefinitions()).entrySet()) {
            defs.addObject().put("AttributeName", e.getKey()).put("AttributeType", e.getValue());
        }
        d.put("TableName", t.name());
        d.set("KeySchema", keySchema(t));
        d.put("TableStatus", status);
        d.put("CreationDateTime", epochSeconds(t.creationTimeMillis()));
        ObjectNode throughput = d.putObject("ProvisionedThroughput");
        throughput.put("NumberOfDecreasesToday", 0);
        throughput.put("ReadCapacityUnits", t.billingMode() == BillingMode.PROVISIONED ? t.readCapacityUnits() : 0);
        throughput.put("WriteCapacityUnits", t.billingMode() == BillingMode.PROVISIONED ? t.writeCapacityUnits() : 0);
        d.put("TableSizeBytes", stats.sizeBytes());
        d.put("ItemCount", stats.itemCount());
        d.put("TableArn", tableArn(t, region));
        d.put("TableId", t.uuid());
        ObjectNode billing = d.putObject("BillingModeSummary");
        billing.put("BillingMode", t.billingMode().name());
        if (t.billingMode() == BillingMode.PAY_PER_REQUEST) {
            billing.put("LastUpdateToPayPerRequestDateTime", epochSeconds(t.creationTimeMillis()));
        }
        // As DynamoDB: a disabled stream is no StreamSpecification, but stays the latest stream.
        t.enabledStream().ifPresent(s -> d.putObject("StreamSpecification").put("StreamEnabled", true)
                .put("StreamViewType", s.viewType().name()));
        t.latestStream().ifPresent(s -> {
            d.put("LatestStreamLabel", StreamArn.label(s.enabledMillis()));
            d.put("LatestStreamArn", StreamArn.of(region, t.name(), s.enabledMillis()).toString());
        });
        describeIndexes(d, t, stats, region);
        d.put("DeletionProtectionEnabled", t.deletionProtection());
        if (t.tableClass() != TableClass.STANDARD) {
            d.putObject("TableClassSummary").put("TableClass", t.tableClass().name());
        }
        return d;
    }

    // Secondary indexes (issue 12).

    public static String indexArn(TableDefinition t, SecondaryIndex index, String region) {
        return tableArn(t, region) + "/index/" + index.name();
    }

    /** LocalSecondaryIndexes and GlobalSecondaryIndexes, each in creation order, when the table has any. */
    private static void describeIndexes(ObjectNode d, TableDefinition t, WritePath.TableStats stats, String region) {
        ArrayNode locals = JsonNodeFactory.instance.arrayNode();
        ArrayNode globals = JsonNodeFactory.instance.arrayNode();
        for (SecondaryIndex index : t.indexes()) {
            (index.global() ? globals : locals).add(index(t, index, stats.index(index.id()), region));
        }
        if (!locals.isEmpty()) {
            d.set("LocalSecondaryIndexes", locals);
        }
        if (!globals.isEmpty()) {
            d.set("GlobalSecondaryIndexes", globals);
        }
    }

    /**
     * One index description. A global index has IndexStatus, Backfilling while it is created
     * (absent once ACTIVE, as in DynamoDB) and ProvisionedThroughput (zeros on demand).
     */
    public static ObjectNode index(TableDefinition t, SecondaryIndex index, Counts counts, String region) {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("IndexName", index.name());
        ArrayNode keys = d.putArray("KeySchema");
        index.keySchema().hash().forEach(k -> keys.add(keyElement(k, "HASH")));
        index.keySchema().range().forEach(k -> keys.add(keyElement(k, "RANGE")));
        ObjectNode projection = d.putObject("Projection");
        projection.put("ProjectionType", index.projection().type().name());
        if (!index.projection().nonKeyAttributes().isEmpty()) {
            ArrayNode nonKey = projection.putArray("NonKeyAttributes");
            index.projection().nonKeyAttributes().stream().sorted().forEach(nonKey::add);
        }
        if (index.global()) {
            d.put("IndexStatus", index.status().name());
            if (index.backfilling()) {
                d.put("Backfilling", true);
            }
            ObjectNode throughput = d.putObject("ProvisionedThroughput");
            throughput.put("NumberOfDecreasesToday", 0);
            throughput.put("ReadCapacityUnits", index.readCapacityUnits());
            throughput.put("WriteCapacityUnits", index.writeCapacityUnits());
        }
        d.put("IndexSizeBytes", counts.sizeBytes());
        d.put("ItemCount", counts.itemCount());
        d.put("IndexArn", indexArn(t, index, region));
        return d;
    }

    /** The table's KeySchema: its partition key (HASH), then its sort key (RANGE) if it has one. */
    public static ArrayNode keySchema(TableDefinition t) {
        ArrayNode keys = JsonNodeFactory.instance.arrayNode();
        keys.add(keyElement(t.hashKey(), "HASH"));
        if (t.rangeKey() != null) {
            keys.add(keyElement(t.rangeKey(), "RANGE"));
        }
        return keys;
    }

    private static ObjectNode keyElement(KeyAttribute k, String type) {
        return JsonNodeFactory.instance.objectNode().put("AttributeName", k.name()).put("KeyType", type);
    }

    /** DynamoDB's timestamps: epoch seconds with a millisecond fraction. */
    public static BigDecimal epochSeconds(long millis) {
        return BigDecimal.valueOf(millis, 3);
    }
}
