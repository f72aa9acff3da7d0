package io.jormundb.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Select;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.jormundb.api.Sdk.assertDynamoError;
import static io.jormundb.api.Sdk.assertValidation;
import static io.jormundb.api.Sdk.b;
import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Query with KeyConditionExpression: DynamoDB's sort order for N, S and B sort keys, every key
 * condition operator, both directions, Limit/ExclusiveStartKey pages, Select COUNT, and the
 * rules for expression placeholders.
 */
class QueryTest {
    /** Numeric order, as GetItem returns the numbers (normalised). */
    private static final List<String> NUMBERS = List.of("-10000000000", "-100", "-5.5", "-1", "-0.001", "0",
            "0.001", "1", "2", "10", "10.5", "100", "100000000000000000000");
    /** Order of UTF-8 bytes: not Java's UTF-16 order (U+E000 sorts before the emoji here). */
    private static final List<String> STRINGS = List.of("B", "Z", "a", "a\u0000b", "aa", "ab", "b", "~", "é",
            "\uE000", "😀");
    /** Unsigned byte order, as hex. */
    private static final List<String> BINARIES = List.of("00", "0000", "00ff", "01", "7f", "80", "ff", "ff00");

    private static void load(DynamoDbClient client, String table, List<AttributeValue> sortKeys) {
        List<AttributeValue> shuffled = new ArrayList<>(sortKeys);
        Collections.shuffle(shuffled, new java.util.Random(42));
        for (AttributeValue sk : shuffled) {
            client.putItem(r -> r.tableName(table).item(item("pk", s("p"), "sk", sk)));
            client.putItem(r -> r.tableName(table).item(item("pk", s("other"), "sk", sk)));
        }
    }

    /** Runs {@code body} against a server with table Nums (sort key N) holding {@link #NUMBERS}. */
    private static void withNumbers(TestServer.Body body) throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Nums", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
            load(client, "Nums", NUMBERS.stream().map(Sdk::n).toList());
            body.run(server, client);
        });
    }

    private static String text(AttributeValue v) {
        return v.n() != null ? v.n() : v.s() != null ? v.s() : HexFormat.of().formatHex(v.b().asByteArray());
    }

    private static List<String> sortKeys(QueryResponse response) {
        return response.items().stream().map(i -> text(i.get("sk"))).toList();
    }

    private static List<String> reversed(List<String> values) {
        List<String> out = new ArrayList<>(values);
        Collections.reverse(out);
        return out;
    }

    /** Queries partition "p" of {@code table} with {@code condition} on sk, in both directions. */
    private static void assertQuery(DynamoDbClient client, String table, String condition,
                                    Map<String, AttributeValue> values, List<String> expected) {
        Map<String, AttributeValue> all = new java.util.HashMap<>(values);
        all.put(":p", s("p"));
        String expression = "pk = :p" + (condition.isEmpty() ? "" : " AND " + condition);
        QueryResponse forward = client.query(r -> r.tableName(table).keyConditionExpression(expression)
                .expressionAttributeValues(all));
        assertEquals(expected, sortKeys(forward), expression);
        assertEquals(expected.size(), forward.count());
        assertEquals(expected.size(), forward.scannedCount());
        assertTrue(forward.lastEvaluatedKey().isEmpty(), "no LastEvaluatedKey without Limit");
        QueryResponse backward = client.query(r -> r.tableName(table).keyConditionExpression(expression)
                .expressionAttributeValues(all).scanIndexForward(false));
        assertEquals(reversed(expected), sortKeys(backward), expression + " backwards");
    }

    /** Every page of a query with {@code limit}, asserting that no page holds more. */
    private static List<QueryResponse> pages(DynamoDbClient client, Consumer<QueryRequest.Builder> request, int limit) {
        List<QueryResponse> pages = Sdk.pages(start -> client.query(r -> {
            request.accept(r);
            r.limit(limit).exclusiveStartKey(start);
        }), QueryResponse::lastEvaluatedKey);
        pages.forEach(page -> assertTrue(page.count() <= limit, "page of " + page.count() + " items"));
        return pages;
    }

    @Test
    void numberSortKeysComeInNumericOrder() throws Exception {
        withNumbers((server, client) -> assertQuery(client, "Nums", "", Map.of(), NUMBERS));
    }

    @Test
    void stringSortKeysComeInUtf8ByteOrder() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Strs", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.S);
            load(client, "Strs", STRINGS.stream().map(Sdk::s).toList());
            assertQuery(client, "Strs", "", Map.of(), STRINGS);
        });
    }

    @Test
    void binarySortKeysComeInUnsignedByteOrder() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Bins", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.B);
            load(client, "Bins", BINARIES.stream().map(QueryTest::hex).toList());
            assertQuery(client, "Bins", "", Map.of(), BINARIES);
        });
    }

    private static AttributeValue hex(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        int[] unsigned = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            unsigned[i] = bytes[i] & 0xFF;
        }
        return b(unsigned);
    }

    @Test
    void everyComparisonSelectsTheRightNumbers() throws Exception {
        withNumbers((server, client) -> {
            assertQuery(client, "Nums", "sk = :v", Map.of(":v", n("10.0")), List.of("10"));
            assertQuery(client, "Nums", "sk = :v", Map.of(":v", n("3")), List.of());
            assertQuery(client, "Nums", "sk < :v", Map.of(":v", n("1")), NUMBERS.subList(0, 7));
            assertQuery(client, "Nums", "sk <= :v", Map.of(":v", n("1")), NUMBERS.subList(0, 8));
            assertQuery(client, "Nums", "sk > :v", Map.of(":v", n("10")), NUMBERS.subList(10, 13));
            assertQuery(client, "Nums", "sk >= :v", Map.of(":v", n("10")), NUMBERS.subList(9, 13));
            assertQuery(client, "Nums", "sk > :v", Map.of(":v", n("-0.5")), NUMBERS.subList(4, 13));
            assertQuery(client, "Nums", "sk BETWEEN :lo AND :hi", Map.of(":lo", n("-1"), ":hi", n("1")),
                    List.of("-1", "-0.001", "0", "0.001", "1"));
            assertQuery(client, "Nums", "sk between :lo and :hi", Map.of(":lo", n("-5"), ":hi", n("5")),
                    List.of("-1", "-0.001", "0", "0.001", "1", "2"));
        });
    }

    @Test
    void comparisonsAndBeginsWithSelectTheRightStrings() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Strs", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.S);
            load(client, "Strs", STRINGS.stream().map(Sdk::s).toList());
            assertQuery(client, "Strs", "begins_with(sk, :v)", Map.of(":v", s("a")),
                    List.of("a", "a\u0000b", "aa", "ab"));
            assertQuery(client, "Strs", "begins_with ( sk , :v )", Map.of(":v", s("é")), List.of("é"));
            assertQuery(client, "Strs", "sk < :v", Map.of(":v", s("a")), List.of("B", "Z"));
            assertQuery(client, "Strs", "sk BETWEEN :lo AND :hi", Map.of(":lo", s("aa"), ":hi", s("b")),
                    List.of("aa", "ab", "b"));
            assertQuery(client, "Strs", "sk > :v", Map.of(":v", s("~")), List.of("é", "\uE000", "😀"));
            assertQuery(client, "Strs", "sk = :v", Map.of(":v", s("a\u0000b")), List.of("a\u0000b"));
        });
    }

    @Test
    void comparisonsAndBeginsWithSelectTheRightBinaries() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Bins", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.B);
            load(client, "Bins", BINARIES.stream().map(QueryTest::hex).toList());
            assertQuery(client, "Bins", "begins_with(sk, :v)", Map.of(":v", hex("ff")), List.of("ff", "ff00"));
            assertQuery(client, "Bins", "begins_with(sk, :v)", Map.of(":v", hex("00")), List.of("00", "0000", "00ff"));
            assertQuery(client, "Bins", "sk >= :v", Map.of(":v", hex("80")), List.of("80", "ff", "ff00"));
            assertQuery(client, "Bins", "sk < :v", Map.of(":v", hex("01")), List.of("00", "0000", "00ff"));
            assertQuery(client, "Bins", "sk BETWEEN :lo AND :hi", Map.of(":lo", hex("7f"), ":hi", hex("ff")),
                    List.of("7f", "80", "ff"));
        });
    }

    @Test
    void aTableWithoutSortKeyIsQueriedByItsPartitionKey() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Users");
            client.putItem(r -> r.tableName("Users").item(item("id", s("u1"), "name", s("Ada"))));
            client.putItem(r -> r.tableName("Users").item(item("id", s("u2"))));
            QueryResponse response = client.query(r -> r.tableName("Users").keyConditionExpression("id = :id")
                    .expressionAttributeValues(Map.of(":id", s("u1"))));
            assertEquals(List.of(item("id", s("u1"), "name", s("Ada"))), response.items());
        });
    }

    @ParameterizedTest(name = "ScanIndexForward {0}")
    @ValueSource(booleans = {true, false})
    void limitAndExclusiveStartKeyPageThroughEveryItemOnceInOrder(boolean forward) throws Exception {
        withNumbers((server, client) -> {
            List<QueryResponse> pages = pages(client, r -> r.tableName("Nums").keyConditionExpression("pk = :p")
                    .expressionAttributeValues(Map.of(":p", s("p"))).scanIndexForward(forward), 3);
            List<String> seen = new ArrayList<>();
            for (QueryResponse page : pages) {
                seen.addAll(sortKeys(page));
                if (!page.lastEvaluatedKey().isEmpty()) {
                    Map<String, AttributeValue> last = page.items().getLast();
                    assertEquals(item("pk", last.get("pk"), "sk", last.get("sk")), page.lastEvaluatedKey());
                }
            }
            assertEquals(forward ? NUMBERS : reversed(NUMBERS), seen);
            assertTrue(pages.size() == 5 || pages.size() == 6, pages.size() + " pages");
        });
    }

    @Test
    void pagesOfARangeConditionStayInsideTheRange() throws Exception {
        withNumbers((server, client) -> {
            for (boolean forward : List.of(true, false)) {
                List<String> seen = new ArrayList<>();
                pages(client, r -> r.tableName("Nums").keyConditionExpression("pk = :p AND sk BETWEEN :lo AND :hi")
                        .expressionAttributeValues(Map.of(":p", s("p"), ":lo", n("-5.5"), ":hi", n("10")))
                        .scanIndexForward(forward), 2).forEach(page -> seen.addAll(sortKeys(page)));
                List<String> expected = NUMBERS.subList(2, 10);
                assertEquals(forward ? expected : reversed(expected), seen);
            }
        });
    }

    @Test
    void anExclusiveStartKeyOutsideWhatTheQueryReadsIsRejected() throws Exception {
        withNumbers((server, client) -> {
            Map<String, AttributeValue> values = Map.of(":p", s("p"), ":five", n("5"));
            assertValidation("The provided starting key does not match the range key predicate",
                    () -> client.query(r -> r.tableName("Nums").keyConditionExpression("pk = :p AND sk > :five")
                            .expressionAttributeValues(values).exclusiveStartKey(item("pk", s("p"), "sk", n("3")))));
            assertValidation("The provided starting key is outside query boundaries based on provided conditions",
                    () -> client.query(r -> r.tableName("Nums").keyConditionExpression("pk = :p AND sk > :five")
                            .expressionAttributeValues(values)
                            .exclusiveStartKey(item("pk", s("other"), "sk", n("10")))));
            assertValidation("The provided starting key is invalid: The provided key element does not match the "
                    + "schema", () -> client.query(r -> r.tableName("Nums").keyConditionExpression("pk = :p")
                    .expressionAttributeValues(Map.of(":p", s("p")))
                    .exclusiveStartKey(item("pk", s("p"), "sk", n("3"), "x", s("spurious")))));
            assertValidation("The provided key element does not match the schema", () -> client.query(r -> r
                    .tableName("Nums").keyConditionExpression("pk = :p").expressionAttributeValues(Map.of(":p", s("p")))
                    .exclusiveStartKey(item("pk", s("p"), "sk", s("3")))));
            // Within the condition, the page starts after the key.
            assertEquals(List.of("10.5", "100"), sortKeys(client.query(r -> r.tableName("Nums")
                    .keyConditionExpression("pk = :p AND sk > :five").expressionAttributeValues(values).limit(2)
                    .exclusiveStartKey(item("pk", s("p"), "sk", n("10"))))));
            createTable(client, "Users");
            assertValidation("The provided exclusive start key is invalid: ExclusiveStartKey: "
                    + "{id=AttributeValue: {S:u1}}", () -> client.query(r -> r.tableName("Users")
                    .keyConditionExpression("id = :id").expressionAttributeValues(Map.of(":id", s("u1")))
                    .exclusiveStartKey(item("id", s("u1")))));
        });
    }

    @Test
    void selectCountCountsWithoutReturningItems() throws Exception {
        withNumbers((server, client) -> {
            QueryResponse all = client.query(r -> r.tableName("Nums").keyConditionExpression("pk = :p")
                    .expressionAttributeValues(Map.of(":p", s("p"))).select(Select.COUNT));
            assertEquals(NUMBERS.size(), all.count());
            assertEquals(NUMBERS.size(), all.scannedCount());
            assertFalse(all.hasItems());

            QueryResponse limited = client.query(r -> r.tableName("Nums").keyConditionExpression("pk = :p AND sk > :v")
                    .expressionAttributeValues(Map.of(":p", s("p"), ":v", n("0"))).select(Select.COUNT).limit(4));
            assertEquals(4, limited.count());
            assertFalse(limited.hasItems());
            assertEquals(item("pk", s("p"), "sk", n("10")), limited.lastEvaluatedKey());

            QueryResponse everything = client.query(r -> r.tableName("Nums").keyConditionExpression("pk = :p")
                    .expressionAttributeValues(Map.of(":p", s("p"))).select(Select.ALL_ATTRIBUTES));
            assertEquals(NUMBERS, sortKeys(everything));
        });
    }

    @Test
    void expressionAttributeNamesStandInForKeyNames() throws Exception {
        withNumbers((server, client) -> {
            QueryResponse response = client.query(r -> r.tableName("Nums")
                    .keyConditionExpression("#p = :p AND #s >= :v")
                    .expressionAttributeNames(Map.of("#p", "pk", "#s", "sk"))
                    .expressionAttributeValues(Map.of(":p", s("p"), ":v", n("100"))));
            assertEquals(List.of("100", "100000000000000000000"), sortKeys(response));
        });
    }

    @Test
    void anUnusedExpressionAttributeValueIsRejected() throws Exception {
        withNumbers((server, client) -> assertValidation(
                "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}",
                () -> client.query(r -> r.tableName("Nums").keyConditionExpression("pk = :p")
                        .expressionAttributeValues(Map.of(":p", s("p"), ":unused", s("x"))))));
    }

    @Test
    void anUnusedExpressionAttributeNameIsRejected() throws Exception {
        withNumbers((server, client) -> assertValidation(
                "Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}",
                () -> client.query(r -> r.tableName("Nums").keyConditionExpression("pk = :p")
                        .expressionAttributeNames(Map.of("#unused", "sk"))
                        .expressionAttributeValues(Map.of(":p", s("p"))))));
    }

    @Test
    void anUndefinedExpressionAttributeValueIsRejected() throws Exception {
        withNumbers((server, client) -> assertValidation("Invalid KeyConditionExpression: An expression attribute "
                + "value used in expression is not defined; attribute value: :missing",
                () -> client.query(r -> r.tableName("Nums").keyConditionExpression("pk = :p AND sk > :missing")
                        .expressionAttributeValues(Map.of(":p", s("p"))))));
    }

    @Test
    void anUndefinedExpressionAttributeNameIsRejected() throws Exception {
        withNumbers((server, client) -> assertValidation("Invalid KeyConditionExpression: An expression attribute "
                + "name used in the document path is not defined; attribute name: #missing",
                () -> client.query(r -> r.tableName("Nums").keyConditionExpression("#missing = :p")
                        .expressionAttributeValues(Map.of(":p", s("p"))))));
    }

    @Test
    void aConditionWithoutThePartitionKeyIsRejected() throws Exception {
        withNumbers((server, client) -> assertValidation("Query condition missed key schema element: pk",
                () -> client.query(r -> r.tableName("Nums").keyConditionExpression("sk = :v")
                        .expressionAttributeValues(Map.of(":v", n("1"))))));
    }

    @Test
    void aKeyValueOfTheWrongTypeIsRejected() throws Exception {
        withNumbers((server, client) -> assertValidation("One or more parameter values were invalid: Condition "
                + "parameter type does not match schema type",
                () -> client.query(r -> r.tableName("Nums").keyConditionExpression("pk = :p AND sk > :v")
                        .expressionAttributeValues(Map.of(":p", s("p"), ":v", s("1"))))));
    }

    @Test
    void queryingAMissingTableIsResourceNotFound() throws Exception {
        TestServer.with((server, client) -> assertDynamoError("ResourceNotFoundException",
                "Requested resource not found", () -> client.query(r -> r.tableName("Nope")
                        .keyConditionExpression("id = :v").expressionAttributeValues(Map.of(":v", s("a"))))));
    }
}
