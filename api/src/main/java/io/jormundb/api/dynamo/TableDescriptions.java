package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.catalog.BillingMode;
import io.jormundb.engine.catalog.KeyAttribute;
import io.jormundb.engine.catalog.SecondaryIndex;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.write.Counts;
import io.jormundb.engine.write.WritePath;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** Renders a table as DynamoDB's TableDescription; the one place that knows its shape. */
public final class TableDescriptions {
    /** Region and account in ARNs: JormunDB serves one region of one account. */
    public static final String ARN_PREFIX = "arn:aws:dynamodb:us-east-1:000000000000:table/";
    private static final DateTimeFormatter STREAM_LABEL =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private TableDescriptions() {
    }

    public static String tableArn(TableDefinition t) {
        return ARN_PREFIX + t.name();
    }

    /** The stream label DynamoDB derives from when the stream was enabled. */
    public static String streamLabel(TableDefinition t) {
        return STREAM_LABEL.format(Instant.ofEpochMilli(t.streamEnabledTimeMillis()));
    }

    public static String streamArn(TableDefinition t) {
        return tableArn(t) + "/stream/" + streamLabel(t);
    }

    public static ObjectNode describe(TableDefinition t, WritePath.TableStats stats, String status) {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        ArrayNode defs = d.putArray("AttributeDefinitions");
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(t.attributeDefinitions()).entrySet()) {
            defs.addObject().put("AttributeName", e.getKey()).put("AttributeType", e.getValue());
        }
        d.put("TableName", t.name());
        ArrayNode keys = d.putArray("KeySchema");
        keys.add(keyElement(t.hashKey(), "HASH"));
        if (t.rangeKey() != null) {
            keys.add(keyElement(t.rangeKey(), "RANGE"));
        }
        d.put("TableStatus", status);
        d.put("CreationDateTime", epochSeconds(t.creationTimeMillis()));
        ObjectNode throughput = d.putObject("ProvisionedThroughput");
        throughput.put("NumberOfDecreasesToday", 0);
        throughput.put("ReadCapacityUnits", t.billingMode() == BillingMode.PROVISIONED ? t.readCapacityUnits() : 0);
        throughput.put("WriteCapacityUnits", t.billingMode() == BillingMode.PROVISIONED ? t.writeCapacityUnits() : 0);
        d.put("TableSizeBytes", stats.sizeBytes());
        d.put("ItemCount", stats.itemCount());
        d.put("TableArn", tableArn(t));
        d.put("TableId", t.uuid());
        ObjectNode billing = d.putObject("BillingModeSummary");
        billing.put("BillingMode", t.billingMode().name());
        if (t.billingMode() == BillingMode.PAY_PER_REQUEST) {
            billing.put("LastUpdateToPayPerRequestDateTime", epochSeconds(t.creationTimeMillis()));
        }
        if (t.streamEnabled()) {
            d.putObject("StreamSpecification").put("StreamEnabled", true)
                    .put("StreamViewType", t.streamViewType().name());
            d.put("LatestStreamLabel", streamLabel(t));
            d.put("LatestStreamArn", streamArn(t));
        }
        describeIndexes(d, t, stats);
        d.put("DeletionProtectionEnabled", false);
        return d;
    }

    // Secondary indexes (issue 12).

    public static String indexArn(TableDefinition t, SecondaryIndex index) {
        return tableArn(t) + "/index/" + index.name();
    }

    /** LocalSecondaryIndexes and GlobalSecondaryIndexes, each in creation order, when the table has any. */
    private static void describeIndexes(ObjectNode d, TableDefinition t, WritePath.TableStats stats) {
        ArrayNode locals = JsonNodeFactory.instance.arrayNode();
        ArrayNode globals = JsonNodeFactory.instance.arrayNode();
        for (SecondaryIndex index : t.indexes()) {
            (index.global() ? globals : locals).add(index(t, index, stats.index(index.id())));
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
    public static ObjectNode index(TableDefinition t, SecondaryIndex index, Counts counts) {
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
        d.put("IndexArn", indexArn(t, index));
        return d;
    }

    private static ObjectNode keyElement(KeyAttribute k, String type) {
        return JsonNodeFactory.instance.objectNode().put("AttributeName", k.name()).put("KeyType", type);
    }

    /** DynamoDB's timestamps: epoch seconds with a millisecond fraction. */
    public static BigDecimal epochSeconds(long millis) {
        return BigDecimal.valueOf(millis, 3);
    }
}
