package io.jormundb.api;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One partition of more than 3 MB: Query pages (both directions) and Scan pages stop at 1 MB
 * and together return every item once, in order. The data is written once for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargePartitionTest {
    private static final int ITEMS = 330;
    private static final String PAYLOAD = "x".repeat(10_000);
    /** DynamoDB's 1 MB page cap. */
    private static final long PAGE_BYTES = 1024 * 1024;
    /** Size of one item per DynamoDB: names + values ("pk" "big" "sk" n "payload" 10000 bytes). */
    private static final long MAX_ITEM_BYTES = 2 + 3 + 2 + 3 + 7 + PAYLOAD.length();

    private TestServer server;
    private DynamoDbClient client;

    @BeforeAll
    void writeMoreThanThreeMegabytesIntoOnePartition() {
        server = TestServer.start();
        client = server.client();
        createTable(client, "Big", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
        IntStream.range(0, ITEMS).parallel().forEach(i -> client.putItem(r -> r.tableName("Big")
                .item(item("pk", s("big"), "sk", n(Integer.toString(i)), "payload", s(PAYLOAD)))));
        assertTrue(client.describeTable(r -> r.tableName("Big")).table().tableSizeBytes() > 3 * PAGE_BYTES);
    }

    @AfterAll
    void close() {
        server.close();
    }

    private static void assertUnderTheCap(int itemsOnPage) {
        assertTrue(itemsOnPage > 0, "empty page");
        assertTrue(itemsOnPage * MAX_ITEM_BYTES < PAGE_BYTES + MAX_ITEM_BYTES,
                itemsOnPage + " items on one page is more than 1 MB");
    }

    @ParameterizedTest(name = "ScanIndexForward {0}")
    @ValueSource(booleans = {true, false})
    void queryPagesStopAtOneMegabyteAndReturnEveryItemOnceInOrder(boolean forward) {
        List<QueryResponse> pages = Sdk.pages(start -> client.query(r -> r.tableName("Big")
                .keyConditionExpression("pk = :p").expressionAttributeValues(Map.of(":p", s("big")))
                .scanIndexForward(forward).exclusiveStartKey(start)), QueryResponse::lastEvaluatedKey);
        List<Integer> seen = new ArrayList<>();
        for (QueryResponse page : pages) {
            assertUnderTheCap(page.count());
            for (Map<String, AttributeValue> item : page.items()) {
                seen.add(Integer.parseInt(item.get("sk").n()));
                assertEquals(PAYLOAD, item.get("payload").s());
            }
        }
        List<Integer> expected = IntStream.range(0, ITEMS).boxed().toList();
        assertEquals(forward ? expected : expected.reversed(), seen);
        assertTrue(pages.size() >= 4, pages.size() + " pages for more than 3 MB");
    }

    @Test
    void scanPagesStopAtOneMegabyteAndReturnEveryItemOnce() {
        List<ScanResponse> pages = Sdk.pages(start -> client.scan(r -> r.tableName("Big").exclusiveStartKey(start)),
                ScanResponse::lastEvaluatedKey);
        List<Integer> seen = new ArrayList<>();
        for (ScanResponse page : pages) {
            assertUnderTheCap(page.count());
            page.items().forEach(item -> seen.add(Integer.parseInt(item.get("sk").n())));
        }
        assertEquals(IntStream.range(0, ITEMS).boxed().toList(), seen);
        assertTrue(pages.size() >= 4, pages.size() + " pages for more than 3 MB");
    }
}
