package io.jormundb.api.sse;

import io.jormundb.api.EventStream;
import io.jormundb.api.EventStream.Event;
import io.jormundb.api.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.s;
import static io.jormundb.api.Sdk.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One commit order for the whole changelog: every feed, live and replayed, delivers in (v, i)
 * order across partitions and tables, with no gap and no duplicate; tokens stay short whatever
 * the number of tables; one token resumes every kind of feed; a transaction's records are
 * contiguous.
 */
class CommitOrderTest {
    @RegisterExtension
    final TestServer.Managed server = TestServer.perTest(cfg -> cfg.withSseHeartbeat(Duration.ofMillis(200)));

    @Test
    void replayAndLiveDeliverEveryTableInTheOrderTheWritesWereMade() {
        DynamoDbClient client = server.client();
        createTable(client, "Aaa", "pk", ScalarAttributeType.S);
        createTable(client, "Bbb", "pk", ScalarAttributeType.S);
        createTable(client, "Ccc", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
        List<String> written = new ArrayList<>();
        try (EventStream live = EventStream.connect(all(Map.of()))) {
            for (int i = 0; i < 40; i++) {
                String table = List.of("Aaa", "Bbb", "Ccc").get(i % 3);
                String w = table + "-" + i;
                if (table.equals("Ccc")) {
                    Tables.put(client, table, "k" + i % 7, i, w);
                } else {
                    Tables.put(client, table, "k" + i % 7, w);
                }
                written.add(w);
            }
            List<Event> events = live.next(40);
            assertEquals(written, ws(events), "live order is write order");
            assertStrictlyConsecutive(events);
        }
        List<Event> replay = replay(all(Map.of("since", "trim_horizon")));
        assertEquals(written, ws(replay), "replay order is write order, across partitions and tables");
        assertEquals(written.stream().filter(w -> w.startsWith("Ccc-")).toList(),
                ws(replay(EventStream.changes(server.endpoint(), "Ccc", Map.of("since", "trim_horizon")))),
                "a table's replay merges its partitions in commit order");
    }

    @Test
    void eightWritersOnFourTablesAreDeliveredInStrictCommitOrderWithNoGapOrDuplicate() throws Exception {
        DynamoDbClient client = server.client();
        List<String> tables = List.of("Table0", "Table1", "Table2", "Table3");
        tables.forEach(t -> createTable(client, t, "pk", ScalarAttributeType.S));
        int writers = 8;
        int writesEach = 150;
        Set<String> acknowledged = Collections.synchronizedSet(new HashSet<>());
        List<Event> live;
        try (EventStream feed = EventStream.connect(all(Map.of()))) {
            List<Runnable> work = new ArrayList<>();
            for (int t = 0; t < writers; t++) {
                int writer = t;
                work.add(() -> {
                    for (int i = 0; i < writesEach; i++) {
                        String w = "w" + writer + "-" + i;
                        Tables.put(client, tables.get((writer + i) % tables.size()), "k" + (i % 13), w);
                        acknowledged.add(w);
                    }
                });
            }
            runConcurrently(work);
            live = feed.next(writers * writesEach);
            feed.assertNoMoreEvents();
        }
        assertEquals(acknowledged, new HashSet<>(ws(live)), "every acknowledged write, once");
        assertStrictlyConsecutive(live);
        List<Event> replay = replay(all(Map.of("since", "trim_horizon")));
        assertEquals(positions(live), positions(replay), "the replay is the live order");
        for (String table : tables) {
            List<Event> ofTable = replay(EventStream.changes(server.endpoint(), table, Map.of("since", "trim_horizon")));
            assertEquals(positions(live.stream().filter(e -> e.table().equals(table)).toList()), positions(ofTable),
                    "the feed of " + table + " is its part of the commit order");
        }
    }

    @Test
    void tokensStayShortAndResumeExactlyWithAThousandTables() {
        DynamoDbClient client = server.client();
        int count = 1000;
        List<String> names = IntStream.range(0, count).mapToObj(i -> String.format("Table%04d", i)).toList();
        names.forEach(name -> createTable(client, name, "pk", ScalarAttributeType.S));
        names.forEach(name -> Tables.put(client, name, "k", name));
        List<Event> events;
        String heartbeatId;
        try (EventStream feed = EventStream.connect(all(Map.of("since", "trim_horizon")))) {
            events = feed.next(count);
            feed.assertNoMoreEvents();
            heartbeatId = feed.lastEventId();
        }
        assertEquals(names, ws(events));
        for (Event e : events) {
            assertTrue(e.id().length() <= 64, () -> "id of " + e.id().length() + " characters");
            assertEquals(e.id(), e.token(), "the all-tables feed's id is the record's token");
            assertTrue(e.data().getBytes(StandardCharsets.UTF_8).length < 512, () -> "event of " + e.data().length());
        }
        assertTrue(heartbeatId.length() <= 64, heartbeatId);

        Event middle = events.get(499);
        try (EventStream resumed = EventStream.connect(all(Map.of()), "Last-Event-ID", middle.id())) {
            assertEquals(names.subList(500, count), ws(resumed.next(count - 500)));
            resumed.assertNoMoreEvents();
        }
        try (EventStream one = EventStream.connect(EventStream.changes(server.endpoint(), "Table0900", Map.of()),
                "Last-Event-ID", middle.id())) {
            assertEquals(List.of("Table0900"), ws(one.next(1)));
            one.assertNoMoreEvents();
            assertTrue(one.lastEventId().length() <= 64);
        }
    }

    @Test
    void oneTokenResumesTheAllTablesFeedATableFeedAndAKeyFilteredFeed() {
        DynamoDbClient client = server.client();
        createTable(client, "Orders", "pk", ScalarAttributeType.S);
        createTable(client, "Users", "pk", ScalarAttributeType.S);
        Tables.put(client, "Orders", "a", "orders-a-1");
        Tables.put(client, "Users", "u", "users-u-1");
        String token;
        try (EventStream all = EventStream.connect(all(Map.of("since", "trim_horizon")))) {
            token = all.next(2).getLast().token();
        }
        Tables.put(client, "Orders", "b", "orders-b-2");
        Tables.put(client, "Users", "u", "users-u-2");
        Tables.put(client, "Orders", "a", "orders-a-3");

        assertEquals(List.of("orders-b-2", "users-u-2", "orders-a-3"), resumedWith(all(Map.of()), token));
        assertEquals(List.of("orders-b-2", "orders-a-3"),
                resumedWith(EventStream.changes(server.endpoint(), "Orders", Map.of()), token));
        assertEquals(List.of("orders-a-3"),
                resumedWith(EventStream.changes(server.endpoint(), "Orders", Map.of("partitionKey", "a")), token));
    }

    @Test
    void aTransactionsRecordsArriveTogetherWithOneVersion() throws Exception {
        DynamoDbClient client = server.client();
        List<String> tables = List.of(unique("X"), unique("Y"), unique("Z"));
        tables.forEach(t -> createTable(client, t, "pk", ScalarAttributeType.S));
        List<Event> events;
        try (EventStream feed = EventStream.connect(all(Map.of()))) {
            List<Runnable> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int writer = t;
                work.add(() -> {
                    for (int i = 0; i < 60; i++) {
                        Tables.put(client, tables.get(i % 3), "p" + writer + "-" + i, "single");
                    }
                });
            }
            for (int t = 0; t < 2; t++) {
                int writer = t;
                work.add(() -> {
                    for (int i = 0; i < 30; i++) {
                        int n = i;
                        client.transactWriteItems(b -> b.transactItems(tables.stream().map(table -> TransactWriteItem
                                .builder().put(Put.builder().tableName(table).item(item("pk", s("t" + writer + "-" + n),
                                        "w", s("txn"), "n", n(n))).build()).build()).toList()));
                    }
                });
            }
            runConcurrently(work);
            events = feed.next(4 * 60 + 2 * 30 * 3);
            feed.assertNoMoreEvents();
        }
        Map<String, List<Integer>> transactions = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            String txId = events.get(i).json().path("transactionId").asText(null);
            if (txId != null) {
                transactions.computeIfAbsent(txId, id -> new ArrayList<>()).add(i);
            }
        }
        assertEquals(60, transactions.size());
        transactions.forEach((txId, at) -> {
            assertEquals(List.of(at.getFirst(), at.getFirst() + 1, at.getFirst() + 2), at, "contiguous: " + txId);
            List<Event> records = at.stream().map(events::get).toList();
            assertEquals(1, records.stream().map(Event::commitVersion).distinct().count(), "one version: " + txId);
            assertEquals(List.of(0, 1, 2), records.stream().map(Event::commitIndex).toList(), txId);
        });
        assertStrictlyIncreasing(events);
    }

    /** Runs each task on its own thread and waits for all; a task's failure fails the test. */
    static void runConcurrently(List<Runnable> tasks) throws Exception {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = tasks.stream().<Future<?>>map(executor::submit).toList();
            for (Future<?> f : futures) {
                f.get();
            }
        }
    }

    /** The w attributes the events carry (of the old image for a REMOVE). */
    static List<String> ws(List<Event> events) {
        return events.stream().map(e -> e.attribute("w")).toList();
    }

    static List<String> positions(List<Event> events) {
        return events.stream().map(Event::position).toList();
    }

    /** Positions strictly increase: none twice, none out of order. */
    static void assertStrictlyIncreasing(List<Event> events) {
        for (int i = 1; i < events.size(); i++) {
            Event a = events.get(i - 1);
            Event b = events.get(i);
            boolean after = b.commitVersion() > a.commitVersion()
                    || (b.commitVersion() == a.commitVersion() && b.commitIndex() > a.commitIndex());
            assertTrue(after, "out of commit order: " + a.position() + " then " + b.position());
        }
    }

    /** Each event is the next version's only record: single-item writes, all committed, no gap. */
    private static void assertStrictlyConsecutive(List<Event> events) {
        for (int i = 1; i < events.size(); i++) {
            assertEquals(events.get(i - 1).commitVersion() + 1, events.get(i).commitVersion(),
                    "gap or repeat after " + events.get(i - 1).position());
            assertEquals(0, events.get(i).commitIndex());
        }
    }

    private List<String> resumedWith(URI feed, String token) {
        try (EventStream resumed = EventStream.connect(feed, "Last-Event-ID", token)) {
            return ws(resumed.eventsUntilQuiet());
        }
    }

    private List<Event> replay(URI feed) {
        try (EventStream s = EventStream.connect(feed)) {
            return s.eventsUntilQuiet();
        }
    }

    private URI all(Map<String, String> params) {
        return EventStream.changes(server.endpoint(), params);
    }
}
