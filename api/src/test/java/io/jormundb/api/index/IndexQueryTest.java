package io.jormundb.api.index;

import io.jormundb.api.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static io.jormundb.api.Sdk.assertItem;
import static io.jormundb.api.Sdk.assertValidation;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.s;
import static io.jormundb.api.Sdk.unique;
import static io.jormundb.api.index.Indexes.all;
import static io.jormundb.api.index.Indexes.def;
import static io.jormundb.api.index.Indexes.gsi;
import static io.jormundb.api.index.Indexes.hash;
import static io.jormundb.api.index.Indexes.include;
import static io.jormundb.api.index.Indexes.items;
import static io.jormundb.api.index.Indexes.keysOnly;
import static io.jormundb.api.index.Indexes.lsi;
import static io.jormundb.api.index.Indexes.queryPages;
import static io.jormundb.api.index.Indexes.range;
import static io.jormundb.api.index.Indexes.scanPages;
import static io.jormundb.api.index.Indexes.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType.N;
import static software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType.S;

/**
 * Reading local and global secondary indexes: Query in both directions with every page checked,
 * duplicate index keys, projections and Select, filters, parallel Scan, legacy KeyConditions, and
 * DescribeTable's exact index counts. An Orders table: customer (HASH) and orderId (RANGE); an
 * LSI byDate (customer, date N, KEYS_ONLY) and a GSI byStatus (status, total N, INCLUDE note).
 */
class IndexQueryTest {
    @RegisterExtension
    static final TestServer.Managed SERVER = TestServer.perClass();

    /** An order: customer c, order id, date, status, total, note and a payload no index projects. */
    private record Order(String customer, String orderId, long date, String status, long total) {
        Map<String, AttributeValue> toItem() {
            return item("customer", s(customer), "orderId", s(orderId), "date", n(date), "status", s(status),
                    "total", n(total), "note", s("n-" + orderId), "payload", s("p-" + orderId));
        }
    }

    private static String orders(DynamoDbClient client) {
        return Indexes.createTable(client, unique("Orders"), List.of(hash("customer"), range("orderId")),
                List.of(def("customer", S), def("orderId", S), def("date", N), def("status", S), def("total", N)),
                List.of(lsi("byDate", keysOnly(), hash("customer"), range("date"))),
                List.of(gsi("byStatus", include("note"), hash("status"), range("total"))));
    }

    /** 60 orders of customers c0..c2, dates and totals with many duplicates, written in random order. */
    private static List<Order> load(DynamoDbClient client, String table) {
        List<Order> orders = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            orders.add(new Order("c" + (i % 3), String.format("o%02d", i), 100 + (i * 7) % 11,
                    i % 4 == 0 ? "open" : "shipped", (i * 13) % 9));
        }
        List<Order> shuffled = new ArrayList<>(orders);
        java.util.Collections.shuffle(shuffled, new Random(7));
        shuffled.forEach(o -> client.putItem(r -> r.tableName(table).item(o.toItem())));
        return orders;
    }

    @Test
    void aLocalIndexIsQueriedInBothDirectionsPageByPageInIndexSortKeyOrder() {
        DynamoDbClient client = SERVER.client();
        String table = orders(client);
        List<Order> orders = load(client, table);
        // Equal dates keep the table's sort key order.
        List<String> expected = orders.stream().filter(o -> o.customer().equals("c1"))
                .sorted(Comparator.comparingLong(Order::date).thenComparing(Order::orderId))
                .map(Order::orderId).toList();
        for (boolean forward : new boolean[] {true, false}) {
            List<QueryResponse> pages = queryPages(client, r -> r.tableName(table).indexName("byDate")
                    .keyConditionExpression("customer = :c").expressionAttributeValues(Map.of(":c", s("c1")))
                    .scanIndexForward(forward).limit(6));
            List<String> want = forward ? expected : reverse(expected);
            assertEquals(want, values(items(pages), "orderId"));
            assertEquals(4, pages.size(), "20 items: three full pages of 6, then one of 2 without LastEvaluatedKey");
            for (int p = 0; p < 4; p++) {
                QueryResponse page = pages.get(p);
                assertEquals(want.subList(p * 6, Math.min(p * 6 + 6, want.size())), values(page.items(), "orderId"),
                        "page " + p);
                Map<String, AttributeValue> last = page.items().getLast();
                assertEquals(p < 3 ? Map.of("customer", last.get("customer"), "orderId", last.get("orderId"),
                        "date", last.get("date")) : Map.of(), page.lastEvaluatedKey(), "index and table keys");
            }
            // KEYS_ONLY: the table's and the index's keys, nothing else.
            assertEquals(Set.of("customer", "orderId", "date"), pages.getFirst().items().getFirst().keySet());
        }
    }

    @Test
    void aGlobalIndexWithDuplicateKeysIsQueriedInBothDirectionsPageByPage() {
        DynamoDbClient client = SERVER.client();
        String table = orders(client);
        List<Order> orders = load(client, table);
        // Entries of equal index keys follow the table key: customer, then orderId.
        List<String> expected = orders.stream().filter(o -> o.status().equals("shipped"))
                .sorted(Comparator.comparingLong(Order::total).thenComparing(Order::customer)
                        .thenComparing(Order::orderId))
                .map(Order::orderId).toList();
        assertEquals(45, expected.size());
        for (boolean forward : new boolean[] {true, false}) {
            List<QueryResponse> pages = queryPages(client, r -> r.tableName(table).indexName("byStatus")
                    .keyConditionExpression("#s = :s").expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":s", s("shipped"))).scanIndexForward(forward).limit(10));
            List<String> want = forward ? expected : reverse(expected);
            assertEquals(want, values(items(pages), "orderId"));
            for (int p = 0; p < pages.size(); p++) {
                assertEquals(want.subList(p * 10, Math.min(p * 10 + 10, want.size())),
                        values(pages.get(p).items(), "orderId"), "page " + p);
            }
            Map<String, AttributeValue> first = pages.getFirst().items().getFirst();
            // INCLUDE note: the keys and note, not payload or date.
            assertEquals(Set.of("customer", "orderId", "status", "total", "note"), first.keySet());
        }
    }

    @Test
    void sortKeyConditionsOnAnIndexSelectTheirRange() {
        DynamoDbClient client = SERVER.client();
        String table = orders(client);
        List<Order> orders = load(client, table);
        List<String> expected = orders.stream().filter(o -> o.status().equals("open") && o.total() >= 3
                        && o.total() <= 6).sorted(Comparator.comparingLong(Order::total).thenComparing(Order::customer)
                        .thenComparing(Order::orderId)).map(Order::orderId).toList();
        QueryResponse between = client.query(r -> r.tableName(table).indexName("byStatus")
                .keyConditionExpression("#s = :s AND #t BETWEEN :lo AND :hi")
                .expressionAttributeNames(Map.of("#s", "status", "#t", "total"))
                .expressionAttributeValues(Map.of(":s", s("open"), ":lo", n(3), ":hi", n(6))));
        assertEquals(expected, values(between.items(), "orderId"));
        QueryResponse above = client.query(r -> r.tableName(table).indexName("byDate")
                .keyConditionExpression("customer = :c AND #d > :d").expressionAttributeNames(Map.of("#d", "date"))
                .expressionAttributeValues(Map.of(":c", s("c0"), ":d", n(105))));
        assertEquals((int) orders.stream().filter(o -> o.customer().equals("c0") && o.date() > 105).count(),
                above.count());
    }

    @Test
    void projectionsFiltersAndSelectOnIndexesBehaveAsInDynamoDb() {
        DynamoDbClient client = SERVER.client();
        String table = orders(client);
        List<Order> orders = load(client, table);
        Order o = orders.stream().filter(x -> x.customer().equals("c2")).min(Comparator
                .comparingLong(Order::date).thenComparing(Order::orderId)).orElseThrow();
        // A local index completes its entries from the table when asked for all attributes.
        QueryResponse allAttributes = client.query(r -> r.tableName(table).indexName("byDate")
                .keyConditionExpression("customer = :c").expressionAttributeValues(Map.of(":c", s("c2")))
                .select(Select.ALL_ATTRIBUTES).limit(1));
        assertItem(o.toItem(), allAttributes.items().getFirst());
        // ... or for an attribute it does not project.
        QueryResponse payload = client.query(r -> r.tableName(table).indexName("byDate")
                .keyConditionExpression("customer = :c").expressionAttributeValues(Map.of(":c", s("c2")))
                .projectionExpression("payload").limit(1));
        assertEquals(List.of(Map.of("payload", s("p-" + o.orderId()))), payload.items());
        QueryResponse projected = client.query(r -> r.tableName(table).indexName("byDate")
                .keyConditionExpression("customer = :c").expressionAttributeValues(Map.of(":c", s("c2")))
                .select(Select.ALL_PROJECTED_ATTRIBUTES).limit(1));
        assertEquals(Set.of("customer", "orderId", "date"), projected.items().getFirst().keySet());
        // A filter on an attribute it does not project reads the table item to test it, yet returns
        // what the index projects (by default, as with ALL_PROJECTED_ATTRIBUTES), Query and Scan alike.
        Map<String, AttributeValue> byPayload = Map.of(":c", s("c2"), ":p", s("p-" + o.orderId()));
        QueryResponse filteredByDefault = client.query(r -> r.tableName(table).indexName("byDate")
                .keyConditionExpression("customer = :c").filterExpression("payload = :p")
                .expressionAttributeValues(byPayload));
        assertEquals(List.of(Map.of("customer", s("c2"), "orderId", s(o.orderId()), "date", n(o.date()))),
                filteredByDefault.items());
        QueryResponse filteredProjected = client.query(r -> r.tableName(table).indexName("byDate")
                .keyConditionExpression("customer = :c").filterExpression("payload = :p")
                .expressionAttributeValues(byPayload).select(Select.ALL_PROJECTED_ATTRIBUTES));
        assertEquals(filteredByDefault.items(), filteredProjected.items());
        assertEquals(filteredByDefault.items(), client.scan(r -> r.tableName(table).indexName("byDate")
                .filterExpression("payload = :p").expressionAttributeValues(Map.of(":p", s("p-" + o.orderId()))))
                .items());
        QueryResponse filteredAll = client.query(r -> r.tableName(table).indexName("byDate")
                .keyConditionExpression("customer = :c").filterExpression("payload = :p")
                .expressionAttributeValues(byPayload).select(Select.ALL_ATTRIBUTES));
        assertItem(o.toItem(), filteredAll.items().getFirst());
        // A global index never reads the table: asking it for what it does not project is refused.
        assertValidation("One or more parameter values were invalid: Global secondary index byStatus does not "
                + "project [payload]", () -> client.query(r -> r.tableName(table).indexName("byStatus")
                .keyConditionExpression("#s = :s").expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":s", s("open"))).projectionExpression("note, payload")));
        QueryResponse global = client.query(r -> r.tableName(table).indexName("byStatus")
                .keyConditionExpression("#s = :s").expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":s", s("open"))).projectionExpression("note"));
        assertTrue(global.items().stream().allMatch(i -> i.keySet().equals(Set.of("note"))));
        QueryResponse filtered = client.query(r -> r.tableName(table).indexName("byStatus")
                .keyConditionExpression("#s = :s").expressionAttributeNames(Map.of("#s", "status"))
                .filterExpression("customer = :c")
                .expressionAttributeValues(Map.of(":s", s("open"), ":c", s("c0"))).select(Select.COUNT));
        assertEquals((int) orders.stream().filter(x -> x.status().equals("open") && x.customer().equals("c0"))
                .count(), filtered.count());
        assertEquals(15, filtered.scannedCount());
        assertTrue(filtered.items().isEmpty());
    }

    @Test
    void legacyKeyConditionsQueryAnIndex() {
        DynamoDbClient client = SERVER.client();
        String table = orders(client);
        List<Order> orders = load(client, table);
        QueryResponse r = client.query(q -> q.tableName(table).indexName("byStatus").keyConditions(Map.of(
                "status", software.amazon.awssdk.services.dynamodb.model.Condition.builder()
                        .comparisonOperator("EQ").attributeValueList(s("open")).build(),
                "total", software.amazon.awssdk.services.dynamodb.model.Condition.builder()
                        .comparisonOperator("LT").attributeValueList(n(4)).build())));
        assertEquals((int) orders.stream().filter(o -> o.status().equals("open") && o.total() < 4).count(), r.count());
    }

    @Test
    void aParallelScanOfAnIndexReadsEveryEntryOnce() {
        DynamoDbClient client = SERVER.client();
        String table = orders(client);
        load(client, table);
        List<String> seen = new ArrayList<>();
        for (int segment = 0; segment < 4; segment++) {
            int s = segment;
            for (ScanResponse page : scanPages(client, r -> r.tableName(table).indexName("byStatus").segment(s)
                    .totalSegments(4).limit(7))) {
                page.items().forEach(i -> seen.add(i.get("orderId").s()));
                page.items().forEach(i -> assertFalse(i.containsKey("payload")));
            }
        }
        assertEquals(60, seen.size());
        assertEquals(60, new HashSet<>(seen).size());
    }

    @Test
    void describeTableReportsIndexesWithExactCountsSizesAndArns() {
        DynamoDbClient client = SERVER.client();
        String table = orders(client);
        load(client, table);
        client.putItem(r -> r.tableName(table).item(item("customer", s("c9"), "orderId", s("x"))));
        DescribeTableResponse d = client.describeTable(r -> r.tableName(table));
        assertEquals(61, d.table().itemCount());
        LocalSecondaryIndexDescription local = d.table().localSecondaryIndexes().getFirst();
        assertEquals("byDate", local.indexName());
        assertEquals(60, local.itemCount(), "the item without a date is not in the index");
        assertEquals("arn:aws:dynamodb:us-east-1:000000000000:table/" + table + "/index/byDate", local.indexArn());
        GlobalSecondaryIndexDescription global = d.table().globalSecondaryIndexes().getFirst();
        assertEquals("ACTIVE", global.indexStatusAsString());
        assertNull(global.backfilling());
        assertEquals(60, global.itemCount());
        assertEquals(List.of("note"), global.projection().nonKeyAttributes());
        long expectedBytes = 0;
        for (Map<String, AttributeValue> i : scanPages(client, r -> r.tableName(table).indexName("byStatus"))
                .getFirst().items()) {
            expectedBytes += size(i);
        }
        assertEquals(expectedBytes, global.indexSizeBytes());
        client.deleteItem(r -> r.tableName(table).key(item("customer", s("c0"), "orderId", s("o00"))));
        GlobalSecondaryIndexDescription after = client.describeTable(r -> r.tableName(table)).table()
                .globalSecondaryIndexes().getFirst();
        assertEquals(59, after.itemCount());
    }

    /** DynamoDB's size of an item of S and N attributes (names, UTF-8 strings, numbers as stored). */
    static long size(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            size += e.getKey().length();
            AttributeValue v = e.getValue();
            size += v.s() != null ? v.s().length() : numberSize(v.n());
        }
        return size;
    }

    private static long numberSize(String n) {
        java.math.BigDecimal normal = new java.math.BigDecimal(n).stripTrailingZeros();
        int digits = normal.signum() == 0 ? 1 : normal.unscaledValue().abs().toString().length();
        return (digits + 1) / 2 + 1;
    }

    private static List<String> reverse(List<String> values) {
        List<String> out = new ArrayList<>(values);
        java.util.Collections.reverse(out);
        return out;
    }
}
