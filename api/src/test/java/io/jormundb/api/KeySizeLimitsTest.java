package io.jormundb.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.jormundb.api.Sdk.assertCanceledAsInvalid;
import static io.jormundb.api.Sdk.assertValidation;
import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.s;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * DynamoDB's key size limits on every path that takes a key: a partition key value of at most
 * 2,048 bytes and a sort key value of at most 1,024 (UTF-8 bytes of a string, bytes of a binary),
 * refused with DynamoDB's own messages.
 */
class KeySizeLimitsTest {
    /** Sic: DynamoDB writes no space between "of" and 2048. */
    private static final String HASH_KEY_TOO_LARGE = "One or more parameter values were invalid: "
            + "Size of hashkey has exceeded the maximum size limit of2048 bytes";
    private static final String RANGE_KEY_TOO_LARGE = "One or more parameter values were invalid: "
            + "Aggregated size of all range keys has exceeded the size limit of 1024 bytes";
    /** 2,048 UTF-8 bytes in 512 characters of 4 bytes each. */
    private static final String LONGEST_PARTITION_KEY = "😀".repeat(512);
    private static final String TOO_LONG_PARTITION_KEY = "x" + LONGEST_PARTITION_KEY;
    /** 1,024 UTF-8 bytes in 512 characters of 2 bytes each. */
    private static final String LONGEST_SORT_KEY = "é".repeat(512);
    private static final String TOO_LONG_SORT_KEY = LONGEST_SORT_KEY + "x";

    @RegisterExtension
    static final TestServer.Managed SERVER = TestServer.perClass();

    private static DynamoDbClient client() {
        return SERVER.client();
    }

    private static String events() {
        return createTable(client(), Sdk.unique("Events"), "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.S);
    }

    @Test
    void keysOfExactlyTheLimitsAreWrittenAndReadBack() {
        String table = events();
        Map<String, AttributeValue> key = item("pk", s(LONGEST_PARTITION_KEY), "sk", s(LONGEST_SORT_KEY));
        client().putItem(r -> r.tableName(table).item(key));
        assertEquals(key, client().getItem(r -> r.tableName(table).key(key)).item());
        assertEquals(1, client().query(r -> r.tableName(table).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(LONGEST_PARTITION_KEY)))).count());
    }

    @Test
    void aBinaryKeyCountsItsBytes() {
        String table = createTable(client(), Sdk.unique("Blobs"), "pk", ScalarAttributeType.B);
        client().putItem(r -> r.tableName(table).item(item("pk", bytes(2048))));
        assertValidation(HASH_KEY_TOO_LARGE, () -> client().putItem(r -> r.tableName(table).item(item("pk", bytes(2049)))));
    }

    @Test
    void aPartitionKeyOneByteTooLargeIsRefusedOnEveryPath() {
        String table = events();
        Map<String, AttributeValue> key = item("pk", s(TOO_LONG_PARTITION_KEY), "sk", s("1"));
        assertRefusedEverywhere(table, key, HASH_KEY_TOO_LARGE);
        assertValidation(HASH_KEY_TOO_LARGE, () -> client().query(r -> r.tableName(table)
                .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(TOO_LONG_PARTITION_KEY)))));
    }

    @Test
    void aSortKeyOneByteTooLargeIsRefusedOnEveryPath() {
        String table = events();
        assertRefusedEverywhere(table, item("pk", s("p"), "sk", s(TOO_LONG_SORT_KEY)), RANGE_KEY_TOO_LARGE);
    }

    /**
     * PutItem, UpdateItem, DeleteItem, GetItem and BatchWriteItem refuse {@code key}, and
     * TransactWriteItems is cancelled for it.
     */
    private static void assertRefusedEverywhere(String table, Map<String, AttributeValue> key, String message) {
        Map<String, AttributeValue> item = new HashMap<>(key);
        item.put("v", s("value"));
        assertValidation(message, () -> client().putItem(r -> r.tableName(table).item(item)));
        assertValidation(message, () -> client().updateItem(r -> r.tableName(table).key(key)
                .updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v", s("value")))));
        assertValidation(message, () -> client().deleteItem(r -> r.tableName(table).key(key)));
        assertValidation(message, () -> client().getItem(r -> r.tableName(table).key(key)));
        assertValidation(message, () -> client().batchWriteItem(BatchWriteItemRequest.builder().requestItems(Map.of(
                table, List.of(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build())))
                .build()));
        assertCanceledAsInvalid(1, 0, message, () -> client().transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName(table).item(item)).build())));
        assertEquals(0, client().scan(r -> r.tableName(table)).count(), "nothing was written");
    }

    private static AttributeValue bytes(int length) {
        return AttributeValue.fromB(SdkBytes.fromByteArray(new byte[length]));
    }
}
