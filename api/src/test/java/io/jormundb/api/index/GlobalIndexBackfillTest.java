package io.jormundb.api.index;

import io.jormundb.api.TestServer;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.store.Store;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CreateGlobalSecondaryIndexAction;
import software.amazon.awssdk.services.dynamodb.model.DeleteGlobalSecondaryIndexAction;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexUpdate;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.jormundb.api.Sdk.assertValidation;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.putAll;
import static io.jormundb.api.Sdk.s;
import static io.jormundb.api.index.Indexes.awaitActive;
import static io.jormundb.api.index.Indexes.def;
import static io.jormundb.api.index.Indexes.hash;
import static io.jormundb.api.index.Indexes.include;
import static io.jormundb.api.index.Indexes.range;
import static io.jormundb.api.index.Indexes.scanPages;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType.N;
import static software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType.S;

/**
 * A global index added to a table that holds data: CREATING with Backfilling while the items are
 * indexed in the background, unreadable until ACTIVE, and exact in the end although writers keep
 * changing the table all along; deleting an index removes its entries; indexes, TTL and an
 * interrupted backfill survive a restart. Table Big: id (HASH); the index byGroup keys grp (S) and
 * rank (N) and projects tag.
 */
class GlobalIndexBackfillTest {
    private static final String TABLE = "Big";
    private static final int ITEMS = 50_000;

    private static String createBig(DynamoDbClient client) {
        return Indexes.createTable(client, TABLE, List.of(hash("id")), List.of(def("id", S)), List.of(), List.of());
    }

    /** Item i: in the index unless i is a multiple of 7 (no grp). */
    private static Map<String, AttributeValue> big(int i) {
        Map<String, AttributeValue> item = new HashMap<>(item("id", s("i" + i), "rank", n(i % 997), "tag",
                s("t" + (i % 13)), "payload", s("p" + i)));
        if (i % 7 != 0) {
            item.put("grp", s("g" + (i % 20)));
        }
        return item;
    }

    private static List<Map<String, AttributeValue>> items(int count) {
        List<Map<String, AttributeValue>> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(big(i));
        }
        return items;
    }

    private static GlobalSecondaryIndexUpdate createByGroup() {
        return GlobalSecondaryIndexUpdate.builder().create(CreateGlobalSecondaryIndexAction.builder()
                .indexName("byGroup").keySchema(hash("grp"), range("rank")).projection(include("tag")).build())
                .build();
    }

    private static TableDescription deleteByGroup(DynamoDbClient client) {
        return client.updateTable(r -> r.tableName(TABLE).globalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate
                .builder().delete(DeleteGlobalSecondaryIndexAction.builder().indexName("byGroup").build()).build()))
                .tableDescription();
    }

    private static TableDescription addByGroup(DynamoDbClient client) {
        return client.updateTable(r -> r.tableName(TABLE).attributeDefinitions(def("grp", S), def("rank", N))
                .globalSecondaryIndexUpdates(createByGroup())).tableDescription();
    }

    @Test
    void aGlobalIndexAddedToFiftyThousandItemsWhileFourThreadsWriteEndsUpExact() throws Exception {
        try (TestServer server = TestServer.start()) {
            DynamoDbClient client = server.client();
            createBig(client);
            putAll(client, TABLE, items(ITEMS), 8);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger writes = new AtomicInteger();
            AtomicLong slowestWriteNanos = new AtomicLong();
            try (ExecutorService writers = Executors.newFixedThreadPool(4)) {
                List<Future<?>> running = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    long seed = t;
                    running.add(writers.submit(() -> write(client, new Random(seed), stop, writes,
                            slowestWriteNanos)));
                }
                GlobalSecondaryIndexDescription creating = addByGroup(client).globalSecondaryIndexes().getFirst();
                assertEquals("CREATING", creating.indexStatusAsString());
                assertTrue(creating.backfilling());
                assertValidation("Cannot read from backfilling global secondary index: byGroup",
                        () -> client.scan(r -> r.tableName(TABLE).indexName("byGroup")));
                awaitActive(client, TABLE);
                int duringBackfill = writes.get();
                // Writers go on a little after ACTIVE: the index is maintained like any other from then on.
                await().atMost(Duration.ofSeconds(60)).until(() -> writes.get() >= duringBackfill + 200);
                stop.set(true);
                for (Future<?> f : running) {
                    f.get();
                }
                assertTrue(duringBackfill > 0, "writers ran during the backfill");
                System.out.printf("%d writes while the index was created, %d in all; the slowest took %d ms%n",
                        duringBackfill, writes.get(), slowestWriteNanos.get() / 1_000_000);
            }
            Map<String, Map<String, AttributeValue>> expected = new HashMap<>();
            long expectedBytes = 0;
            for (ScanResponse page : scanPages(client, r -> r.tableName(TABLE))) {
                for (Map<String, AttributeValue> item : page.items()) {
                    if (item.containsKey("grp") && item.containsKey("rank")) {
                        Map<String, AttributeValue> projected = new HashMap<>(item);
                        projected.keySet().retainAll(List.of("id", "grp", "rank", "tag"));
                        expected.put(item.get("id").s(), projected);
                        expectedBytes += IndexQueryTest.size(projected);
                    }
                }
            }
            Map<String, Map<String, AttributeValue>> actual = new HashMap<>();
            for (ScanResponse page : scanPages(client, r -> r.tableName(TABLE).indexName("byGroup"))) {
                for (Map<String, AttributeValue> entry : page.items()) {
                    assertNull(actual.put(entry.get("id").s(), entry), "one entry per item");
                }
            }
            assertEquals(expected.keySet(), actual.keySet());
            assertEquals(expected, actual);
            GlobalSecondaryIndexDescription active = client.describeTable(r -> r.tableName(TABLE)).table()
                    .globalSecondaryIndexes().getFirst();
            assertNull(active.backfilling());
            assertEquals(expected.size(), active.itemCount());
            assertEquals(expectedBytes, active.indexSizeBytes());
        }
    }

    /** Random puts, index key changes and removals, projected attribute changes and deletes until {@code stop}. */
    private static Void write(DynamoDbClient client, Random random, AtomicBoolean stop, AtomicInteger writes,
                              AtomicLong slowestNanos) {
        while (!stop.get()) {
            long started = System.nanoTime();
            int i = random.nextInt(ITEMS + 5_000);
            Map<String, AttributeValue> key = item("id", s("i" + i));
            int op = random.nextInt(10);
            if (op < 4) {
                Map<String, AttributeValue> item = big(i);
                item.put("grp", s("w" + random.nextInt(5)));
                item.put("rank", n(random.nextInt(1000)));
                client.putItem(r -> r.tableName(TABLE).item(item));
            } else if (op < 6) {
                client.updateItem(r -> r.tableName(TABLE).key(key).updateExpression("SET grp = :g, #r = :r")
                        .expressionAttributeNames(Map.of("#r", "rank"))
                        .expressionAttributeValues(Map.of(":g", s("u" + random.nextInt(5)), ":r",
                                n(random.nextInt(1000)))));
            } else if (op < 7) {
                client.updateItem(r -> r.tableName(TABLE).key(key).updateExpression("REMOVE grp"));
            } else if (op < 8) {
                client.updateItem(r -> r.tableName(TABLE).key(key).updateExpression("SET tag = :t")
                        .expressionAttributeValues(Map.of(":t", s("x" + random.nextInt(100)))));
            } else {
                client.deleteItem(r -> r.tableName(TABLE).key(key));
            }
            slowestNanos.accumulateAndGet(System.nanoTime() - started, Math::max);
            writes.incrementAndGet();
        }
        return null;
    }

    @Test
    void deletingAGlobalIndexRemovesItsEntriesAndAGsiOfTheSameNameStartsAfresh() throws Exception {
        try (TestServer server = TestServer.start()) {
            DynamoDbClient client = server.client();
            createBig(client);
            putAll(client, TABLE, items(700), 4);
            addByGroup(client);
            awaitActive(client, TABLE);
            TableDefinition before = server.server().engine().catalog().require(TABLE);
            int oldId = before.index("byGroup").orElseThrow().id();
            assertEquals(600, client.describeTable(r -> r.tableName(TABLE)).table().globalSecondaryIndexes()
                    .getFirst().itemCount());
            TableDescription deleting = deleteByGroup(client);
            assertEquals("DELETING", deleting.globalSecondaryIndexes().getFirst().indexStatusAsString());
            TableDescription after = client.describeTable(r -> r.tableName(TABLE)).table();
            assertFalse(after.hasGlobalSecondaryIndexes());
            assertEquals(List.of("id"), after.attributeDefinitions().stream().map(d -> d.attributeName()).toList());
            assertEquals(0, entries(server, before.id(), oldId), "the entries went with the index");
            assertValidation("The table does not have the specified index: byGroup",
                    () -> client.scan(r -> r.tableName(TABLE).indexName("byGroup")));
            client.deleteItem(r -> r.tableName(TABLE).key(item("id", s("i1"))));
            addByGroup(client);
            awaitActive(client, TABLE);
            assertEquals(599, client.describeTable(r -> r.tableName(TABLE)).table().globalSecondaryIndexes()
                    .getFirst().itemCount());
            assertEquals(599, client.scan(r -> r.tableName(TABLE).indexName("byGroup")).count());
        }
    }

    @Test
    void anIndexDeletedWhileItIsBackfilledLeavesNoEntryBehind() throws Exception {
        try (TestServer server = TestServer.start()) {
            DynamoDbClient client = server.client();
            createBig(client);
            putAll(client, TABLE, items(20_000), 8);
            addByGroup(client);
            TableDefinition creating = server.server().engine().catalog().require(TABLE);
            int id = creating.index("byGroup").orElseThrow().id();
            TableDescription deleting = deleteByGroup(client);
            assertEquals("DELETING", deleting.globalSecondaryIndexes().getFirst().indexStatusAsString());
            client.putItem(r -> r.tableName(TABLE).item(big(99_999)));
            assertFalse(client.describeTable(r -> r.tableName(TABLE)).table().hasGlobalSecondaryIndexes());
            addByGroup(client);
            awaitActive(client, TABLE);
            // Backfills run one after the other, so the deleted index's has ended: it stopped at its next
            // step (which checks, under the lock the deletion held, that its index still exists).
            assertEquals(0, entries(server, creating.id(), id), "no entry of the deleted index came back");
            assertEquals(items(20_000).stream().filter(i -> i.containsKey("grp")).count() + 1,
                    client.describeTable(r -> r.tableName(TABLE)).table().globalSecondaryIndexes().getFirst()
                            .itemCount());
        }
    }

    @Test
    void indexesTtlAndAnInterruptedBackfillSurviveARestart() throws Exception {
        // The expirer runs only when asked to, below.
        try (TestServer server = TestServer.start(c -> c.with(b -> b.ttlInterval(Duration.ofHours(1))))) {
            DynamoDbClient client = server.client();
            createBig(client);
            long aMinuteAgo = System.currentTimeMillis() / 1000 - 60;
            putAll(client, TABLE, items(20_000).stream().map(i -> {
                Map<String, AttributeValue> expiring = new HashMap<>(i);
                expiring.put("expires", n(aMinuteAgo));
                return expiring;
            }).toList(), 8);
            client.updateTimeToLive(r -> r.tableName(TABLE).timeToLiveSpecification(t -> t.attributeName("expires")
                    .enabled(true)));
            addByGroup(client);
            server.restart();
            DynamoDbClient again = server.client();
            awaitActive(again, TABLE);
            await().atMost(Duration.ofSeconds(60)).until(() -> again.describeTimeToLive(r -> r.tableName(TABLE))
                    .timeToLiveDescription().timeToLiveStatusAsString().equals("ENABLED"));
            GlobalSecondaryIndexDescription index = again.describeTable(r -> r.tableName(TABLE)).table()
                    .globalSecondaryIndexes().getFirst();
            long inIndex = items(20_000).stream().filter(i -> i.containsKey("grp")).count();
            assertEquals(inIndex, index.itemCount());
            assertEquals((int) inIndex, again.scan(r -> r.tableName(TABLE).indexName("byGroup").select("COUNT"))
                    .count());
            server.restart();
            assertEquals(inIndex, server.client().describeTable(r -> r.tableName(TABLE)).table()
                    .globalSecondaryIndexes().getFirst().itemCount());
            // Every item expired a minute ago: one pass deletes the whole table, index entries included.
            assertEquals(20_000, server.wire().postEmpty("/admin/ttl/expire").json().path("expired").asInt());
            assertEquals(0L, server.client().describeTable(r -> r.tableName(TABLE)).table()
                    .globalSecondaryIndexes().getFirst().itemCount());
        }
    }

    /** The INDEX keyspace entries of one index, read straight from RocksDB. */
    private static int entries(TestServer server, long tableId, int indexId) {
        int count = 0;
        try (Store.Cursor cursor = server.server().engine().store().cursor(Keys.indexEntries(tableId, indexId))) {
            for (cursor.seekFirst(); cursor.valid(); cursor.next()) {
                count++;
            }
        }
        return count;
    }
}
