package io.jormundb.api.txn;

import io.jormundb.api.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
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

import static io.jormundb.api.txn.DynamoErrors.assertValidation;
import static io.jormundb.api.txn.Tables.key;
import static io.jormundb.api.txn.Tables.n;
import static io.jormundb.api.txn.Tables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchWriteItemTest {
    private static final String TOO_MANY_FOR_ONE_TABLE = "' at 'requestItems' failed to satisfy constraint: Map value "
            + "must satisfy constraint: [Member must have length less than or equal to 25, Member must have length "
            + "greater than or equal to 1]";

    private static TestServer server;
    private static DynamoDbClient client;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        client = server.client();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static WriteRequest put(Map<String, AttributeValue> item) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }

    private static WriteRequest delete(Map<String, AttributeValue> key) {
        return WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(key).build()).build();
    }

    private static List<WriteRequest> puts(String prefix, int count) {
        List<WriteRequest> writes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            writes.add(put(Tables.item(prefix + i, "n", i)));
        }
        return writes;
    }

    private static int count(String table) {
        return client.scanPaginator(b -> b.tableName(table).select(Select.COUNT)).stream()
                .mapToInt(ScanResponse::count).sum();
    }

    @Test
    void putsAndDeletesOverSeveralTablesAreAllWrittenAndNothingIsLeftUnprocessed() {
        String orders = Tables.create(client, "Orders");
        String lines = Tables.createWithSortKey(client, "Lines");
        client.putItem(b -> b.tableName(lines).item(Map.of("id", s("o1"), "sk", n(1), "qty", n(3))));

        BatchWriteItemResponse response = client.batchWriteItem(b -> b.requestItems(Map.of(
                orders, List.of(put(Tables.item("o1", "total", 10)), put(Tables.item("o2", "total", 20))),
                lines, List.of(delete(Map.of("id", s("o1"), "sk", n(1))),
                        put(Map.of("id", s("o1"), "sk", n(2), "qty", n(5)))))));

        assertTrue(response.hasUnprocessedItems());
        assertEquals(Map.of(), response.unprocessedItems());
        assertEquals(Map.of("id", s("o2"), "total", n(20)), client.getItem(b -> b.tableName(orders).key(key("o2"))).item());
        assertEquals(2, count(orders));
        assertEquals(List.of(Map.of("id", s("o1"), "sk", n(2), "qty", n(5))),
                client.scan(b -> b.tableName(lines)).items());
    }

    @Test
    void twentyFiveWritesAreOneBatchAndTwentySixAcrossTablesAreTooMany() {
        String a = Tables.create(client, "BatchA");
        String b = Tables.create(client, "BatchB");
        client.batchWriteItem(r -> r.requestItems(Map.of(a, puts("x", 12), b, puts("y", 13))));
        assertEquals(12, count(a));
        assertEquals(13, count(b));

        String c = Tables.create(client, "BatchC");
        String d = Tables.create(client, "BatchD");
        assertValidation("Too many items requested for the BatchWriteItem call",
                () -> client.batchWriteItem(r -> r.requestItems(Map.of(c, puts("x", 13), d, puts("y", 13)))));
        assertEquals(0, count(c) + count(d));
    }

    @Test
    void twentySixWritesForOneTableFailItsLengthConstraint() {
        String table = Tables.create(client, "Batch26");
        DynamoDbException e = assertThrows(DynamoDbException.class,
                () -> client.batchWriteItem(r -> r.requestItems(Map.of(table, puts("x", 26)))));
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
        String table = Tables.create(client, "BatchEmpty");
        assertValidation("1 validation error detected: Value '{" + table + "=[]}" + TOO_MANY_FOR_ONE_TABLE,
                () -> client.batchWriteItem(r -> r.requestItems(Map.of(table, List.of()))));
    }

    @Test
    void emptyRequestItemsAreRejected() {
        assertValidation("The requestItems parameter is required for BatchWriteItem",
                () -> client.batchWriteItem(r -> r.requestItems(Map.of())));
    }

    @Test
    void theSameItemTwiceRejectsTheWholeBatch() {
        String table = Tables.create(client, "BatchDup");
        String other = Tables.create(client, "BatchDupOther");
        assertValidation("Provided list of item keys contains duplicates", () -> client.batchWriteItem(r -> r
                .requestItems(Map.of(table, List.of(put(Tables.item("k", "n", 1)), put(Tables.item("j", "n", 1)),
                        delete(key("k")))))));
        assertEquals(0, count(table));

        client.batchWriteItem(r -> r.requestItems(Map.of(
                table, List.of(put(Tables.item("k", "n", 1))), other, List.of(put(Tables.item("k", "n", 2))))));
        assertEquals(1, count(table));
        assertEquals(1, count(other));
    }

    @Test
    void everyRequestIsValidatedAsPutItemAndDeleteItemAndOneBadRequestWritesNothing() {
        String table = Tables.create(client, "BatchValid");
        Map<String, AttributeValue> tooLarge = Tables.sized("big", 400 * 1024 + 1);
        List<Map.Entry<WriteRequest, String>> cases = List.of(
                Map.entry(put(Map.of("other", s("x"))),
                        "One or more parameter values were invalid: Missing the key id in the item"),
                Map.entry(put(Map.of("id", n(1))),
                        "One or more parameter values were invalid: Type mismatch for key id expected: S actual: N"),
                Map.entry(put(tooLarge), "Item size has exceeded the maximum allowed size"),
                Map.entry(delete(Map.of("id", s("a"), "extra", s("b"))),
                        "The provided key element does not match the schema"),
                Map.entry(delete(Map.of("id", n(7))), "The provided key element does not match the schema"),
                Map.entry(WriteRequest.builder().build(),
                        "Supplied WriteRequest must contain exactly one of PutRequest or DeleteRequest"));
        for (Map.Entry<WriteRequest, String> c : cases) {
            assertValidation(c.getValue(), () -> client.batchWriteItem(r -> r.requestItems(
                    Map.of(table, List.of(put(Tables.item("good", "n", 1)), c.getKey())))));
        }
        assertEquals(0, count(table));

        DynamoErrors.assertError("ResourceNotFoundException", "Requested resource not found",
                () -> client.batchWriteItem(r -> r.requestItems(Map.of(table, List.of(put(Tables.item("good", "n", 1))),
                        "NoSuchTable", List.of(put(Tables.item("good", "n", 1)))))));
        assertEquals(0, count(table));
    }

    @Test
    void aRequestOverSixteenMegabytesIsRefusedAndWritesNothing() throws Exception {
        String table = Tables.create(client, "BatchHuge");
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
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/"))
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
        String table = Tables.create(client, "BatchLarge");
        List<WriteRequest> writes = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            writes.add(put(Tables.sized("k" + i, 400 * 1024)));
        }
        BatchWriteItemResponse response = client.batchWriteItem(r -> r.requestItems(Map.of(table, writes)));
        assertFalse(response.unprocessedItems().containsKey(table));
        assertEquals(25, count(table));
    }
}
