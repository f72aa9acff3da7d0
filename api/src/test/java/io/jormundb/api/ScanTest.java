package io.jormundb.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.jormundb.api.Sdk.assertDynamoError;
import static io.jormundb.api.Sdk.assertValidation;
import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scan: every item once, Limit/ExclusiveStartKey pages, Select COUNT, parallel segments. */
class ScanTest {
    private static final int ITEMS = 100;
    private static final Set<String> IDS = IntStream.range(0, ITEMS).mapToObj(i -> "item-%03d".formatted(i))
            .collect(Collectors.toSet());

    /** Runs {@code body} against a server with table Things holding {@link #IDS}. */
    private static void withItems(TestServer.Body body) throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Things");
            for (String id : IDS) {
                client.putItem(r -> r.tableName("Things").item(item("id", s(id), "v", s("value of " + id))));
            }
            body.run(server, client);
        });
    }

    /** Every page of a scan with {@code limit}, asserting that no page holds more. */
    private static List<ScanResponse> pages(DynamoDbClient client, Consumer<ScanRequest.Builder> request, int limit) {
        List<ScanResponse> pages = Sdk.pages(start -> client.scan(r -> {
            request.accept(r);
            r.limit(limit).exclusiveStartKey(start);
        }), ScanResponse::lastEvaluatedKey);
        pages.forEach(page -> assertTrue(page.count() <= limit, "page of " + page.count() + " items"));
        return pages;
    }

    /** The ids of every item of {@code pages}, asserting that none repeats. */
    private static Set<String> ids(List<ScanResponse> pages) {
        Set<String> ids = new HashSet<>();
        for (ScanResponse page : pages) {
            for (Map<String, AttributeValue> item : page.items()) {
                assertTrue(ids.add(item.get("id").s()), "item " + item.get("id").s() + " returned twice");
                assertEquals("value of " + item.get("id").s(), item.get("v").s());
            }
        }
        return ids;
    }

    @Test
    void aScanReturnsEveryItemOnce() throws Exception {
        withItems((server, client) -> {
            ScanResponse response = client.scan(r -> r.tableName("Things"));
            assertEquals(ITEMS, response.count());
            assertEquals(ITEMS, response.scannedCount());
            assertEquals(IDS, ids(List.of(response)));
            assertTrue(response.lastEvaluatedKey().isEmpty());
        });
    }

    @Test
    void limitAndExclusiveStartKeyPageThroughEveryItemOnce() throws Exception {
        withItems((server, client) -> {
            List<ScanResponse> pages = pages(client, r -> r.tableName("Things"), 7);
            assertEquals(IDS, ids(pages));
            assertEquals(15, pages.size());
            for (ScanResponse page : pages.subList(0, 14)) {
                assertEquals(7, page.count());
                assertEquals(item("id", page.items().getLast().get("id")), page.lastEvaluatedKey());
            }
        });
    }

    @Test
    void selectCountCountsWithoutReturningItems() throws Exception {
        withItems((server, client) -> {
            ScanResponse all = client.scan(r -> r.tableName("Things").select(Select.COUNT));
            assertEquals(ITEMS, all.count());
            assertEquals(ITEMS, all.scannedCount());
            assertFalse(all.hasItems());
            ScanResponse limited = client.scan(r -> r.tableName("Things").select(Select.COUNT).limit(10));
            assertEquals(10, limited.count());
            assertFalse(limited.hasItems());
            assertFalse(limited.lastEvaluatedKey().isEmpty());
        });
    }

    @ParameterizedTest(name = "TotalSegments {0}")
    @ValueSource(ints = {1, 2, 3, 4, 7, 16})
    void parallelSegmentsTogetherReturnEveryItemExactlyOnce(int totalSegments) throws Exception {
        withItems((server, client) -> {
            List<ScanResponse> all = new ArrayList<>();
            for (int segment = 0; segment < totalSegments; segment++) {
                int s = segment;
                all.addAll(pages(client, r -> r.tableName("Things").segment(s).totalSegments(totalSegments), 9));
            }
            assertEquals(IDS, ids(all));
            assertEquals(ITEMS, all.stream().mapToInt(ScanResponse::count).sum());
        });
    }

    @Test
    void segmentAndTotalSegmentsAreValidated() throws Exception {
        withItems((server, client) -> {
            assertValidation("The TotalSegments parameter is required but was not present in the request when "
                    + "Segment parameter is present", () -> client.scan(r -> r.tableName("Things").segment(0)));
            assertValidation("The Segment parameter is required but was not present in the request when parameter "
                    + "TotalSegments is present", () -> client.scan(r -> r.tableName("Things").totalSegments(2)));
            assertValidation("The Segment parameter is zero-based and must be less than parameter TotalSegments: "
                    + "Segment: 4 is not less than TotalSegments: 4",
                    () -> client.scan(r -> r.tableName("Things").segment(4).totalSegments(4)));
            assertValidation("1 validation error detected: Value '0' at 'totalSegments' failed to satisfy "
                    + "constraint: Member must have value greater than or equal to 1",
                    () -> client.scan(r -> r.tableName("Things").segment(0).totalSegments(0)));
            assertValidation("1 validation error detected: Value '1000001' at 'totalSegments' failed to satisfy "
                    + "constraint: Member must have value less than or equal to 1000000",
                    () -> client.scan(r -> r.tableName("Things").segment(0).totalSegments(1_000_001)));
            assertValidation("1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: "
                    + "Member must have value greater than or equal to 1",
                    () -> client.scan(r -> r.tableName("Things").limit(0)));
        });
    }

    @Test
    void scanningAMissingTableIsResourceNotFound() throws Exception {
        TestServer.with((server, client) -> assertDynamoError("ResourceNotFoundException",
                "Requested resource not found", () -> client.scan(r -> r.tableName("Nope"))));
    }
}
