package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.catalog.BillingMode;
import io.jormundb.engine.catalog.KeyAttribute;
import io.jormundb.engine.catalog.TableDefinition;
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
        d.put("DeletionProtectionEnabled", false);
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
