package io.jormundb.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.Map;

import static io.jormundb.api.Sdk.assertDynamoError;
import static io.jormundb.api.Sdk.assertValidation;
import static io.jormundb.api.Sdk.b;
import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** PutItem, GetItem and DeleteItem: key rules, ReturnValues, the item size limit. */
class ItemsTest {
    private static final String KEY_MISMATCH = "The provided key element does not match the schema";

    private static void createComposite(DynamoDbClient client) {
        createTable(client, "Events", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
    }

    private static Map<String, AttributeValue> get(DynamoDbClient client, String table,
                                                   Map<String, AttributeValue> key) {
        return client.getItem(r -> r.tableName(table).key(key).consistentRead(true)).item();
    }

    @ParameterizedTest(name = "ConsistentRead {0}")
    @ValueSource(booleans = {true, false})
    void anItemPutIsReadBackExactly(boolean consistentRead) throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Users");
            Map<String, AttributeValue> user = item("id", s("u1"), "name", s("Ada"), "age", n("36"));
            client.putItem(r -> r.tableName("Users").item(user));
            assertEquals(user, client.getItem(r -> r.tableName("Users").key(item("id", s("u1")))
                    .consistentRead(consistentRead)).item());
        });
    }

    @Test
    void gettingAMissingItemReturnsNoItem() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Users");
            assertFalse(client.getItem(r -> r.tableName("Users").key(item("id", s("nobody")))).hasItem());
        });
    }

    @Test
    void aPutReplacesTheWholeItem() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Users");
            client.putItem(r -> r.tableName("Users").item(item("id", s("u1"), "a", s("1"), "b", s("2"))));
            client.putItem(r -> r.tableName("Users").item(item("id", s("u1"), "c", s("3"))));
            assertEquals(item("id", s("u1"), "c", s("3")), get(client, "Users", item("id", s("u1"))));
        });
    }

    @Test
    void putWithAllOldReturnsTheReplacedItemAndNothingForANewOne() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Users");
            Map<String, AttributeValue> first = item("id", s("u1"), "v", n("1"));
            Map<String, AttributeValue> second = item("id", s("u1"), "v", n("2"));
            PutItemResponse created = client.putItem(r -> r.tableName("Users").item(first)
                    .returnValues(ReturnValue.ALL_OLD));
            assertFalse(created.hasAttributes());
            PutItemResponse replaced = client.putItem(r -> r.tableName("Users").item(second)
                    .returnValues(ReturnValue.ALL_OLD));
            assertEquals(first, replaced.attributes());
            PutItemResponse silent = client.putItem(r -> r.tableName("Users").item(first)
                    .returnValues(ReturnValue.NONE));
            assertFalse(silent.hasAttributes());
        });
    }

    @Test
    void deleteWithAllOldReturnsTheDeletedItemAndDeletingAMissingItemIsNoError() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Users");
            Map<String, AttributeValue> user = item("id", s("u1"), "name", s("Ada"));
            client.putItem(r -> r.tableName("Users").item(user));
            DeleteItemResponse deleted = client.deleteItem(r -> r.tableName("Users").key(item("id", s("u1")))
                    .returnValues(ReturnValue.ALL_OLD));
            assertEquals(user, deleted.attributes());
            assertFalse(client.getItem(r -> r.tableName("Users").key(item("id", s("u1")))).hasItem());
            DeleteItemResponse again = client.deleteItem(r -> r.tableName("Users").key(item("id", s("u1")))
                    .returnValues(ReturnValue.ALL_OLD));
            assertFalse(again.hasAttributes());
        });
    }

    @Test
    void putAndDeleteAcceptOnlyNoneOrAllOldAsReturnValues() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Users");
            assertValidation("ReturnValues can only be ALL_OLD or NONE", () -> client.putItem(r -> r
                    .tableName("Users").item(item("id", s("u1"))).returnValues(ReturnValue.ALL_NEW)));
            assertValidation("ReturnValues can only be ALL_OLD or NONE", () -> client.deleteItem(r -> r
                    .tableName("Users").key(item("id", s("u1"))).returnValues(ReturnValue.UPDATED_NEW)));
        });
    }

    @Test
    void itemsOfATableWithASortKeyAreAddressedByBothKeys() throws Exception {
        TestServer.with((server, client) -> {
            createComposite(client);
            client.putItem(r -> r.tableName("Events").item(item("pk", s("a"), "sk", n("1"), "v", s("one"))));
            client.putItem(r -> r.tableName("Events").item(item("pk", s("a"), "sk", n("2"), "v", s("two"))));
            assertEquals(item("pk", s("a"), "sk", n("2"), "v", s("two")),
                    get(client, "Events", item("pk", s("a"), "sk", n("2.0"))));
            client.deleteItem(r -> r.tableName("Events").key(item("pk", s("a"), "sk", n("1"))));
            assertFalse(client.getItem(r -> r.tableName("Events").key(item("pk", s("a"), "sk", n("1")))).hasItem());
            assertEquals(item("pk", s("a"), "sk", n("2"), "v", s("two")),
                    get(client, "Events", item("sk", n("2"), "pk", s("a"))));
        });
    }

    @Test
    void aPutWithoutThePartitionKeyIsRejected() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Users");
            assertValidation("One or more parameter values were invalid: Missing the key id in the item",
                    () -> client.putItem(r -> r.tableName("Users").item(item("name", s("Ada")))));
        });
    }

    @Test
    void aPutWithoutTheSortKeyIsRejected() throws Exception {
        TestServer.with((server, client) -> {
            createComposite(client);
            assertValidation("One or more parameter values were invalid: Missing the key sk in the item",
                    () -> client.putItem(r -> r.tableName("Events").item(item("pk", s("a")))));
        });
    }

    @Test
    void aPutWithAKeyOfTheWrongTypeIsRejected() throws Exception {
        TestServer.with((server, client) -> {
            createComposite(client);
            assertValidation("One or more parameter values were invalid: Type mismatch for key pk expected: S "
                    + "actual: N", () -> client.putItem(r -> r.tableName("Events").item(item("pk", n("1"), "sk", n("1")))));
            assertValidation("One or more parameter values were invalid: Type mismatch for key sk expected: N "
                    + "actual: S", () -> client.putItem(r -> r.tableName("Events").item(item("pk", s("a"), "sk", s("1")))));
        });
    }

    @Test
    void keysThatDoNotMatchTheSchemaAreRejectedByGetAndDelete() throws Exception {
        TestServer.with((server, client) -> {
            createComposite(client);
            for (Map<String, AttributeValue> key : java.util.List.of(
                    item("pk", s("a")),
                    item("pk", s("a"), "sk", n("1"), "extra", s("x")),
                    item("pk", s("a"), "sk", s("1")),
                    item("pk", b(1), "sk", n("1")),
                    item("pk", s("a"), "other", n("1")))) {
                assertValidation(KEY_MISMATCH, () -> client.getItem(r -> r.tableName("Events").key(key)));
                assertValidation(KEY_MISMATCH, () -> client.deleteItem(r -> r.tableName("Events").key(key)));
            }
        });
    }

    @Test
    void anEmptyStringKeyIsRejected() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Users");
            String message = "One or more parameter values are not valid. The AttributeValue for a key attribute "
                    + "cannot contain an empty string value. Key: id";
            assertValidation(message, () -> client.putItem(r -> r.tableName("Users").item(item("id", s("")))));
            assertValidation(message, () -> client.getItem(r -> r.tableName("Users").key(item("id", s("")))));
            assertValidation(message, () -> client.deleteItem(r -> r.tableName("Users").key(item("id", s("")))));
        });
    }

    @Test
    void anEmptyBinarySortKeyIsRejected() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Blobs", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.B);
            assertValidation("One or more parameter values are not valid. The AttributeValue for a key attribute "
                    + "cannot contain an empty binary value. Key: sk",
                    () -> client.putItem(r -> r.tableName("Blobs").item(item("pk", s("a"), "sk", b()))));
        });
    }

    @Test
    void emptyStringsAndBinariesOutsideTheKeyAreKept() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Users");
            Map<String, AttributeValue> user = item("id", s("u1"), "note", s(""), "blob", b());
            client.putItem(r -> r.tableName("Users").item(user));
            assertEquals(user, get(client, "Users", item("id", s("u1"))));
        });
    }

    @Test
    void anItemOfExactly400KbIsAcceptedAndOneByteMoreIsRejected() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Users");
            // Item size = UTF-8 length of names and values: "id" + "k" + "big" + payload.
            String fits = "x".repeat(400 * 1024 - 6);
            client.putItem(r -> r.tableName("Users").item(item("id", s("k"), "big", s(fits))));
            assertEquals(fits, get(client, "Users", item("id", s("k"))).get("big").s());
            String tooBig = fits + "x";
            assertValidation("Item size has exceeded the maximum allowed size",
                    () -> client.putItem(r -> r.tableName("Users").item(item("id", s("k2"), "big", s(tooBig)))));
            assertFalse(client.getItem(r -> r.tableName("Users").key(item("id", s("k2")))).hasItem());
        });
    }

    @Test
    void itemOperationsOnAMissingTableAreResourceNotFound() throws Exception {
        TestServer.with((server, client) -> {
            String message = "Requested resource not found";
            assertInstanceOf(ResourceNotFoundException.class, assertDynamoError("ResourceNotFoundException", message,
                    () -> client.putItem(r -> r.tableName("Nope").item(item("id", s("a"))))));
            assertDynamoError("ResourceNotFoundException", message,
                    () -> client.getItem(r -> r.tableName("Nope").key(item("id", s("a")))));
            assertDynamoError("ResourceNotFoundException", message,
                    () -> client.deleteItem(r -> r.tableName("Nope").key(item("id", s("a")))));
        });
    }

    @Test
    void aRequestWithoutItemOrKeyIsRejected() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Users");
            assertValidation("1 validation error detected: Value null at 'item' failed to satisfy constraint: "
                    + "Member must not be null", () -> client.putItem(r -> r.tableName("Users")));
            assertValidation("1 validation error detected: Value null at 'key' failed to satisfy constraint: "
                    + "Member must not be null", () -> client.getItem(r -> r.tableName("Users")));
        });
    }
}
