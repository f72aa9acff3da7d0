package io.jormundb.api.txn;

import io.jormundb.api.Sdk;
import io.jormundb.api.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.jormundb.api.Sdk.assertDynamoError;
import static io.jormundb.api.Sdk.assertValidation;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.s;
import static io.jormundb.api.txn.Tables.deleteRequest;
import static io.jormundb.api.txn.Tables.key;
import static io.jormundb.api.txn.Tables.putRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchWriteItemTest {
    private static final String TOO_MANY_FOR_ONE_TABLE = "' at 'requestItems' failed to satisfy constraint: Map value "
            + "must satisfy constraint: [Member must have length less than or equal to 25, Member must have length "
            + "greater than or equal to 1]";

    @RegisterExtension
    static final TestServer.Managed SERVER = TestServer.perClass();

    private static List<WriteRequest> puts(String prefix, int count) {
        List<WriteRequest> writes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            writes.add(putRequest(Tables.item(prefix + i, "n", i)));
        }
        return writes;
    }

    private static int count(String table) {
        return SERVER.client().scanPaginator(b -> b.tableName(table).select(Select.COUNT)).stream()
                .mapToInt(ScanResponse::count).sum();
    }

    @Test
    void putsAndDeletesOverSeveralTablesAreAllWrittenAndNothingIsLeftUnprocessed() {
        String orders = Tables.create(SERVER.client(), "Orders");
        String lines = Tables.createWithSortKey(SERVER.client(), "Lines");
        SERVER.client().putItem(b -> b.tableName(lines).item(Map.of("id", s("o1"), "sk", n(1), "qty", n(3))));

        BatchWriteItemResponse response = SERVER.client().batchWriteItem(b -> b.requestItems(Map.of(
                orders, List.of(putRequest(Tables.item("o1", "total", 10)), putRequest(Tables.item("o2", "total", 20))),
                lines, List.of(deleteRequest(Map.of("id", s("o1"), "sk", n(1))),
                        putRequest(Map.of("id", s("o1"), "sk", n(2), "qty", n(5)))))));

        assertTrue(response.hasUnprocessedItems());
        assertEquals(Map.of(), response.unprocessedItems());
        assertEquals(Map.of("id", s("o2"), "total", n(20)),
                SERVER.client().getItem(b -> b.tableName(orders).key(key("o2"))).item());
        assertEquals(2, count(orders));
        assertEquals(List.of(Map.of("id", s("o1"), "sk", n(2), "qty", n(5))),
                SERVER.client().scan(b -> b.tableName(lines)).items());
    }

    @Test
    void twentyFiveWritesAreOneBatchAndTwentySixAcrossTablesAreTooMany() {
        String a = Tables.create(SERVER.client(), "BatchA");
        String b = Tables.create(SERVER.client(), "BatchB");
        SERVER.client().batchWriteItem(r -> r.requestItems(Map.of(a, puts("x", 12), b, puts("y", 13))));
        assertEquals(12, count(a));
        assertEquals(13, count(b));

        String c = Tables.create(SERVER.client(), "BatchC");
        String d = Tables.create(SERVER.client(), "BatchD");
        assertValidation("Too many items requested for the BatchWriteItem call",
                () -> SERVER.client().batchWriteItem(r -> r.requestItems(Map.of(c, puts("x", 13), d, puts("y", 13)))));
        assertEquals(0, count(c) + count(d));
    }

    @Test
    void twentySixWritesForOneTableFailItsLengthConstraint() {
        String table = Tables.create(SERVER.client(), "Batch26");
        DynamoDbException e = assertThrows(DynamoDbException.class,
                () -> SERVER.client().batchWriteItem(r -> r.requestItems(Map.of(table, puts("x", 26)))));
        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
        String message = e.awsErrorDetails().errorMessage();
        String prefix = "1 validation error detected: Value '{" + table + "=[";
        assertTrue(message.startsWith(prefix) && message.endsWith("]}" + TOO_MANY_FOR_ONE_TABLE), message);
        String[] requests = message.substring(prefix.length(), message.length() - TOO_MANY_FOR_ONE_TABLE.length() - 2)
                .split(", ");
        assertEquals(26, requests.length);
        for (String request : requests) {
            assertTrue(request.matches("com\\.amazonaws\\.dynamodb\\.v20120810\\.WriteRequest@[0-9a-f]+"), request);
        }
        assertEquals(0, count(table));
    }

    @Test
    void anEmptyListForATableFailsItsLengthConstraint() {
        String table = Tables.create(SERVER.client(), "BatchEmpty");
        assertValidation("1 validation error detected: Value '{" + table + "=[]}" + TOO_MANY_FOR_ONE_TABLE,
                () -> SERVER.client().batchWriteItem(r -> r.requestItems(Map.of(table, List.of()))));
    }

    @Test
    void emptyRequestItemsAreRejected() {
        assertValidation("The requestItems parameter is required for BatchWriteItem",
                () -> SERVER.client().batchWriteItem(r -> r.requestItems(Map.of())));
    }

    @Test
    void aTableNameThatNoTableCanHaveIsAValidationError() {
        for (String name : List.of("ab", "bad;name", "x".repeat(256))) {
            String message = "1 validation error detected: Value '" + name + "' at 'requestItems' failed to satisfy "
                    + "constraint: Map keys must satisfy constraint: [Member must have length less than or equal to "
                    + "255, Member must have length greater than or equal to 3, Member must satisfy regular expression "
                    + "pattern: [a-zA-Z0-9_.-]+]";
            assertValidation(message, () -> SERVER.client().batchWriteItem(r -> r.requestItems(Map.of(
                    name, List.of(Tables.putRequest(Tables.item("a", "n", 1)))))));
            assertValidation(message, () -> SERVER.client().batchGetItem(r -> r.requestItems(Map.of(
                    name, KeysAndAttributes.builder().keys(Tables.key("a")).build()))));
        }
        String notATable = "arn:aws:dynamodb:us-east-1:000000000000:stream/x";
        assertValidation("Invalid table name or ARN in RequestItems: " + notATable + " is neither a table name nor "
                + "a table ARN (arn:aws:dynamodb:<region>:<account>:table/<name>)", () -> SERVER.client()
                .batchWriteItem(r -> r.requestItems(Map.of(notATable, List.of(Tables.putRequest(Tables.item("a",
                        "n", 1)))))));
    }

    /** DynamoDB takes a table's ARN wherever it takes its name, and answers under the key as it was given. */
    @Test
    void aTableArnNamesItsTableAndTheAnswerKeepsTheArn() {
        String table = Tables.create(SERVER.client(), "BatchArn");
        String arn = "arn:aws:dynamodb:us-east-1:000000000000:table/" + table;
        SERVER.client().batchWriteItem(r -> r.requestItems(Map.of(arn, List.of(
                Tables.putRequest(Tables.item("a", "n", 1)), Tables.putRequest(Tables.item("b", "n", 2))))));
        assertEquals(Tables.item("a", "n", 1), SERVER.client().getItem(r -> r.tableName(table).key(Tables.key("a")))
                .item());

        var got = SERVER.client().batchGetItem(r -> r.requestItems(Map.of(arn,
                KeysAndAttributes.builder().keys(Tables.key("a"), Tables.key("b")).build())));
        assertEquals(Set.of(arn), got.responses().keySet());
        assertEquals(Set.of(Tables.item("a", "n", 1), Tables.item("b", "n", 2)), Set.copyOf(got.responses().get(arn)));

        assertValidation("RequestItems names table " + table + " twice: by its name and by its ARN " + arn,
                () -> SERVER.client().batchGetItem(r -> r.requestItems(Map.of(arn,
                        KeysAndAttributes.builder().keys(Tables.key("a")).build(), table,
                        KeysAndAttributes.builder().keys(Tables.key("b")).build()))));
        assertDynamoError("ResourceNotFoundException", "Requested resource not found", () -> SERVER.client()
                .batchGetItem(r -> r.requestItems(Map.of(arn + "-gone",
                        KeysAndAttributes.builder().keys(Tables.key("a")).build()))));
    }

    @Test
    void theSameItemTwiceRejectsTheWholeBatch() {
        String table = Tables.create(SERVER.client(), "BatchDup");
        String other = Tables.create(SERVER.client(), "BatchDupOther");
        assertValidation("Provided list of item keys contains duplicates", () -> SERVER.client().batchWriteItem(r -> r
                .requestItems(Map.of(table, List.of(putRequest(Tables.item("k", "n", 1)),
                        putRequest(Tables.item("j", "n", 1)), deleteRequest(key("k")))))));
        assertEquals(0, count(table));

        SERVER.client().batchWriteItem(r -> r.requestItems(Map.of(
                table, List.of(putRequest(Tables.item("k", "n", 1))),
                other, List.of(putRequest(Tables.item("k", "n", 2))))));
        assertEquals(1, count(table));
        assertEquals(1, count(other));
    }

    @Test
    void everyRequestIsValidatedAsPutItemAndDeleteItemAndOneBadRequestWritesNothing() {
        String table = Tables.create(SERVER.client(), "BatchValid");
        Map<String, AttributeValue> tooLarge = Tables.sized("big", 400 * 1024 + 1);
        List<Map.Entry<WriteRequest, String>> cases = List.of(
                Map.entry(putRequest(Map.of("other", s("x"))),
                        "One or more parameter values were invalid: Missing the key id in the item"),
                Map.entry(putRequest(Map.of("id", n(1))),
                        "One or more parameter values were invalid: Type mismatch for key id expected: S actual: N"),
                Map.entry(putRequest(tooLarge), "Item size has exceeded the maximum allowed size"),
                Map.entry(deleteRequest(Map.of("id", s("a"), "extra", s("b"))),
                        "The provided key element does not match the schema"),
                Map.entry(deleteRequest(Map.of("id", n(7))), "The provided key element does not match the schema"),
                Map.entry(WriteRequest.builder().build(),
                        "Supplied WriteRequest must contain exactly one of PutRequest or DeleteRequest"));
        for (Map.Entry<WriteRequest, String> c : cases) {
            assertValidation(c.getValue(), () -> SERVER.client().batchWriteItem(r -> r.requestItems(
                    Map.of(table, List.of(putRequest(Tables.item("good", "n", 1)), c.getKey())))));
        }
        assertEquals(0, count(table));

        Sdk.assertDynamoError("ResourceNotFoundException", "Requested resource not found",
                () -> SERVER.client().batchWriteItem(r -> r.requestItems(Map.of(
                        table, List.of(putRequest(Tables.item("good", "n", 1))),
                        "NoSuchTable", List.of(putRequest(Tables.item("good", "n", 1)))))));
        assertEquals(0, count(table));
    }

    @Test
    void aRequestOverSixteenMegabytesIsRefusedAndWritesNothing() throws Exception {
        String table = Tables.create(SERVER.client(), "BatchHuge");
        // Eight items of 390,000 escaped characters ("\u0041", six bytes each): each item is under
        // 400 KB, the request body over 16 MB.
        String value = "\\u0041".repeat(390_000);
        StringBuilder body = new StringBuilder("{\"RequestItems\":{\"" + table + "\":[");
        for (int i = 0; i < 8; i++) {
            body.append(i == 0 ? "" : ",").append("{\"PutRequest\":{\"Item\":{\"id\":{\"S\":\"k").append(i)
                    .append("\"},\"data\":{\"S\":\"").append(value).append("\"}}}}");
        }
        body.append("]}}");
        assertTrue(body.length() > 16 * 1024 * 1024);
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(SERVER.endpoint() + "/"))
                            .header("Content-Type", "application/x-amz-json-1.0")
                            .header("X-Amz-Target", "DynamoDB_20120810.BatchWriteItem")
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(413, response.statusCode());
            assertEquals("{\"__type\":\"com.amazonaws.dynamodb.v20120810#RequestEntityTooLarge\","
                    + "\"message\":\"Request size exceeds 16777216 bytes\"}", response.body());
        }
        assertEquals(0, count(table));
    }

    @Test
    void twentyFiveItemsOfAlmostFourHundredKilobytesAreOneBatch() {
        String table = Tables.create(SERVER.client(), "BatchLarge");
        List<WriteRequest> writes = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            writes.add(putRequest(Tables.sized("k" + i, 400 * 1024)));
        }
        BatchWriteItemResponse response = SERVER.client().batchWriteItem(r -> r.requestItems(Map.of(table, writes)));
        assertFalse(response.unprocessedItems().containsKey(table));
        assertEquals(25, count(table));
    }
}
