package io.jormundb.api.sse;

import io.jormundb.api.EventStream;
import io.jormundb.api.EventStream.Event;
import io.jormundb.api.TestServer;
import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.value.AttributeValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.jormundb.api.Sdk.createTable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resume exactness: a reader that stops after some events and resumes with the token of the
 * last one it handled gets exactly the events after it — per changelog partition in commit
 * order, none twice, none missing — whether the token comes as {@code since} or as
 * {@code Last-Event-ID}, and across a server restart.
 */
class FeedResumeTest {
    private static final String TABLE = "Orders";
    /** The default number of changelog partitions of a new table. */
    private static final int PARTITIONS = 4;
    @RegisterExtension
    final TestServer.Managed server = TestServer.perTest(cfg -> cfg.withSseHeartbeat(Duration.ofMillis(200)));

    @BeforeEach
    void createTheTable() {
        createTable(server.client(), TABLE, "pk", ScalarAttributeType.S);
    }

    @Test
    void resumingWithSinceTokenDeliversExactlyTheEventsAfterIt() {
        Scenario s = readSomeThenWriteWhileAway();
        try (EventStream resumed = EventStream.connect(feed(Map.of("since", s.token)))) {
            assertSameEventsPerPartition(s.remaining(), resumed.next(s.remaining().size()));
            resumed.assertNoMoreEvents();
        }
    }

    @Test
    void resumingWithLastEventIdDeliversExactlyTheEventsAfterIt() {
        Scenario s = readSomeThenWriteWhileAway();
        // Last-Event-ID beats since, as when EventSource reconnects to its original URL.
        try (EventStream resumed = EventStream.connect(feed(Map.of("since", "trim_horizon")),
                "Last-Event-ID", s.token)) {
            assertSameEventsPerPartition(s.remaining(), resumed.next(s.remaining().size()));
            resumed.assertNoMoreEvents();
        }
    }

    @Test
    void resumingAfterAServerRestartDeliversExactlyTheEventsAfterTheToken() {
        Scenario s = readSomeThenWriteWhileAway();
        server.restart();
        try (EventStream bySince = EventStream.connect(feed(Map.of("since", s.token)));
             EventStream byHeader = EventStream.connect(feed(Map.of()), "Last-Event-ID", s.token)) {
            assertSameEventsPerPartition(s.remaining(), bySince.next(s.remaining().size()));
            assertSameEventsPerPartition(s.remaining(), byHeader.next(s.remaining().size()));
            bySince.assertNoMoreEvents();
            byHeader.assertNoMoreEvents();
        }
        // The sequences go on where they stopped: a write after the restart is the next one.
        s.model.put(server.client(), "k-after");
        List<Event> all = allEvents();
        assertCommitOrderPerPartition(s.model, all);
        assertGapless(all);
    }

    @Test
    void aFeedEndedByARestartIsContinuedByItsLastEventId() {
        Model model = new Model();
        model.writeMix(server.client(), 0, 6);
        EventStream first = EventStream.connect(feed(Map.of("since", "trim_horizon")));
        List<Event> before = first.next(model.commits.size());
        server.restart();
        first.assertEnds();
        model.writeMix(server.client(), 6, 9);
        try (EventStream again = EventStream.connect(feed(Map.of()), "Last-Event-ID", first.lastEventId())) {
            List<Event> after = again.next(model.commits.size() - before.size());
            List<Event> joined = new ArrayList<>(before);
            joined.addAll(after);
            assertSameEventsPerPartition(allEvents(), joined);
            again.assertNoMoreEvents();
        }
    }

    @Test
    void theOpeningIdOfASinceNowFeedResumesWithoutLoss() {
        Model model = new Model();
        model.writeMix(server.client(), 0, 5);
        String opening;
        try (EventStream idle = EventStream.connect(feed(Map.of("since", "now")))) {
            idle.assertNoMoreEvents();
            opening = idle.lastEventId();
        }
        assertNotEquals("", opening, "the opening frame carries the start position as its id");
        model.writeMix(server.client(), 5, 7);
        try (EventStream resumed = EventStream.connect(feed(Map.of("since", "now")), "Last-Event-ID", opening)) {
            List<Event> got = resumed.next(model.commits.size() - 5);
            assertEquals(model.commits.subList(5, model.commits.size()).stream().sorted().toList(),
                    descriptions(got).stream().sorted().toList());
            resumed.assertNoMoreEvents();
        }
    }

    @Test
    void anAllTablesTokenResumesEveryTableIncludingOnesCreatedWhileAway() {
        Model model = new Model();
        model.writeMix(server.client(), 0, 4);
        String token;
        List<String> expected = new ArrayList<>(model.commits);
        try (EventStream all = EventStream.connect(server.endpoint().resolve("/changes?since=trim_horizon"))) {
            List<Event> read = all.next(2);
            token = read.getLast().id();
            expected.removeAll(descriptions(read));
        }
        createTable(server.client(), "Later", "pk", ScalarAttributeType.S);
        Tables.put(server.client(), "Later", "x", "later-1");
        expected.add("INSERT x later-1");
        int before = model.commits.size();
        model.writeMix(server.client(), 4, 3);
        expected.addAll(model.commits.subList(before, model.commits.size()));
        server.restart();
        try (EventStream resumed = EventStream.connect(server.endpoint().resolve("/changes"), "Last-Event-ID", token)) {
            List<Event> got = resumed.next(expected.size());
            assertEquals(expected.stream().sorted().toList(), descriptions(got).stream().sorted().toList());
            assertEquals(List.of("Later"), got.stream().filter(e -> e.attribute("w").startsWith("later"))
                    .map(Event::table).toList());
            resumed.assertNoMoreEvents();
        }
    }

    /**
     * Writes 12 changes, reads 5 of them, writes 3 more while still connected (sent to the reader
     * but never read), disconnects, writes 8 more.
     */
    private Scenario readSomeThenWriteWhileAway() {
        Model model = new Model();
        model.writeMix(server.client(), 0, 12);
        String token;
        List<Event> read;
        try (EventStream first = EventStream.connect(feed(Map.of("since", "trim_horizon")))) {
            read = first.next(5);
            token = read.getLast().id();
            model.writeMix(server.client(), 12, 3);
        }
        model.writeMix(server.client(), 15, 8);
        List<Event> all = allEvents();
        assertEquals(model.commits.size(), all.size());
        assertTrue(all.stream().map(Event::partition).distinct().count() > 1, "the writes span several partitions");
        for (Event e : all) {
            assertEquals(model.partitionOf(e), e.partition(), "a key's changes stay in one partition");
        }
        assertCommitOrderPerPartition(model, all);
        assertGapless(all);
        return new Scenario(model, token, read, all);
    }

    /** What one reader saw before going away, and the whole changelog afterwards. */
    private record Scenario(Model model, String token, List<Event> read, List<Event> all) {
        List<Event> remaining() {
            List<String> seen = descriptions(read);
            return all.stream().filter(e -> !seen.contains(describe(e))).toList();
        }
    }

    /** The whole changelog of the table, read from the trim horizon. */
    private List<Event> allEvents() {
        try (EventStream s = EventStream.connect(feed(Map.of("since", "trim_horizon")))) {
            return s.eventsUntilQuiet();
        }
    }

    private URI feed(Map<String, String> params) {
        return EventStream.changes(server.endpoint(), TABLE, params);
    }

    /** Per partition, the same events (description and sequence) in the same order. */
    private static void assertSameEventsPerPartition(List<Event> expected, List<Event> actual) {
        assertEquals(byPartition(expected), byPartition(actual));
    }

    private static Map<Integer, List<String>> byPartition(List<Event> events) {
        Map<Integer, List<String>> out = new TreeMap<>();
        for (Event e : events) {
            out.computeIfAbsent(e.partition(), p -> new ArrayList<>()).add("#" + e.sequence() + " " + describe(e));
        }
        return out;
    }

    /** Every partition's sequences are 1, 2, 3, … in the order read. */
    private static void assertGapless(List<Event> all) {
        Map<Integer, Long> last = new HashMap<>();
        for (Event e : all) {
            long expected = last.getOrDefault(e.partition(), 0L) + 1;
            assertEquals(expected, e.sequence(), () -> "partition " + e.partition() + " skipped or repeated: " + e);
            last.put(e.partition(), e.sequence());
        }
    }

    /** Within each partition the changelog order is the order the writes were acknowledged in. */
    private static void assertCommitOrderPerPartition(Model model, List<Event> all) {
        Map<Integer, List<String>> expected = new TreeMap<>();
        for (String c : model.commits) {
            expected.computeIfAbsent(model.partitions.get(c.split(" ")[1]), p -> new ArrayList<>()).add(c);
        }
        Map<Integer, List<String>> actual = new TreeMap<>();
        for (Event e : all) {
            actual.computeIfAbsent(e.partition(), p -> new ArrayList<>()).add(describe(e));
        }
        assertEquals(expected, actual);
    }

    static String describe(Event e) {
        return e.name() + " " + e.keyText() + " " + e.attribute("w");
    }

    static List<String> descriptions(List<Event> events) {
        return events.stream().map(FeedResumeTest::describe).toList();
    }

    /** The writes made, in acknowledgement order, as the change each one must produce. */
    private static final class Model {
        final List<String> commits = new ArrayList<>();
        final Map<String, String> current = new HashMap<>();
        final Map<String, Integer> partitions = new HashMap<>();
        private int writes;

        /** {@code count} writes over six keys: puts (inserts, then overwrites) and every fifth a delete. */
        void writeMix(DynamoDbClient client, int from, int count) {
            int made = 0;
            for (int i = from; made < count; i++) {
                String key = "k" + (i % 6);
                if (i % 5 == 4 && current.containsKey(key)) {
                    Tables.delete(client, TABLE, key);
                    commits.add("REMOVE " + key + " " + current.remove(key));
                } else {
                    put(client, key);
                }
                made++;
            }
        }

        void put(DynamoDbClient client, String key) {
            String w = "w" + (++writes);
            Tables.put(client, TABLE, key, w);
            commits.add((current.containsKey(key) ? "MODIFY " : "INSERT ") + key + " " + w);
            current.put(key, w);
            partitions.computeIfAbsent(key, k -> Keys.changelogPartition(new AttributeValue.S(k), PARTITIONS));
        }

        int partitionOf(Event e) {
            return partitions.get(e.keyText());
        }
    }
}
