package io.jormundb.api.txn;

import io.jormundb.api.JormunServer;
import io.jormundb.engine.catalog.TableDefinition;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.s;
import static io.jormundb.api.Sdk.unique;

/**
 * Tables and items for the batch and transaction tests: every table has the partition key
 * {@code id} (S), and a sort key {@code sk} (N) when asked for. Names are unique per call, so the
 * tests of one class can share a server.
 */
final class Tables {
    private Tables() {
    }

    /** A new table {@code prefix-N} with partition key {@code id} (S). */
    static String create(DynamoDbClient client, String prefix) {
        return createTable(client, unique(prefix));
    }

    /** A new table {@code prefix-N} with partition key {@code id} (S) and sort key {@code sk} (N). */
    static String createWithSortKey(DynamoDbClient client, String prefix) {
        return createTable(client, unique(prefix), "id", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
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

    /** A BatchWriteItem put of {@code item}. */
    static WriteRequest putRequest(Map<String, AttributeValue> item) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }

    /** A BatchWriteItem delete of {@code key}. */
    static WriteRequest deleteRequest(Map<String, AttributeValue> key) {
        return WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(key).build()).build();
    }

    /** How many change records the table's changelog holds: the sum of its partitions' last sequences. */
    static long changeRecords(JormunServer server, String table) {
        TableDefinition definition = server.engine().catalog().require(table);
        long records = 0;
        for (int p = 0; p < definition.changelogPartitions(); p++) {
            records += server.engine().writePath().head(definition, p);
        }
        return records;
    }
}
