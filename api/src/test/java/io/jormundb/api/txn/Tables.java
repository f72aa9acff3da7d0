package io.jormundb.api.txn;

import io.jormundb.api.TestServer;
import io.jormundb.engine.catalog.TableDefinition;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tables and items for the batch and transaction tests: every table has the partition key
 * {@code id} (S), and a sort key {@code sk} (N) when asked for. Names are unique per call, so the
 * tests of one class can share a server.
 */
final class Tables {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private Tables() {
    }

    /** A new table with partition key {@code id} (S). */
    static String create(DynamoDbClient client, String prefix) {
        String name = prefix + "-" + NEXT.incrementAndGet();
        client.createTable(b -> b.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id")
                        .attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()));
        return name;
    }

    /** A new table with partition key {@code id} (S) and sort key {@code sk} (N). */
    static String createWithSortKey(DynamoDbClient client, String prefix) {
        String name = prefix + "-" + NEXT.incrementAndGet();
        client.createTable(b -> b.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.N).build())
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()));
        return name;
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static Map<String, AttributeValue> key(String id) {
        return Map.of("id", s(id));
    }

    static Map<String, AttributeValue> key(String id, long sk) {
        return Map.of("id", s(id), "sk", n(sk));
    }

    /** An item {@code id} with a number attribute. */
    static Map<String, AttributeValue> item(String id, String attribute, long value) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("id", s(id));
        item.put(attribute, n(value));
        return item;
    }

    /**
     * An item {@code id} with a string attribute {@code data} padded so that the item is exactly
     * {@code size} bytes as DynamoDB counts them (names plus values; {@code id} is ASCII).
     */
    static Map<String, AttributeValue> sized(String id, int size) {
        int padding = size - "id".length() - id.length() - "data".length();
        if (padding < 0) {
            throw new IllegalArgumentException("an item " + id + " cannot be as small as " + size + " bytes");
        }
        return Map.of("id", s(id), "data", s("x".repeat(padding)));
    }

    /** How many change records the table's changelog holds: the sum of its partitions' last sequences. */
    static long changeRecords(TestServer server, String table) {
        TableDefinition definition = server.server().engine().catalog().require(table);
        long records = 0;
        for (int p = 0; p < definition.changelogPartitions(); p++) {
            records += server.server().engine().writePath().head(definition, p);
        }
        return records;
    }
}
