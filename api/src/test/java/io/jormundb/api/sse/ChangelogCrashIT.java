package io.jormundb.api.sse;

import io.jormundb.api.EventStream;
import io.jormundb.api.EventStream.Event;
import io.jormundb.api.JarServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.jormundb.api.Sdk.createTable;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Kill -9 while 8 clients write through the SDK, then restart on the same data directory:
 * every acknowledged write is there, with exactly one change record; the one write per client
 * that was in flight at the kill is either wholly there (item and record) or wholly absent;
 * nothing else is in the changelog; and every partition's sequence is 1, 2, 3, … without a gap,
 * going on from there after the restart.
 *
 * <p>Runs the packaged jar as a separate process (so it can be killed), hence an IT run by
 * failsafe after {@code package}.
 */
class ChangelogCrashIT {
    /** The packaged server jar, set by failsafe (see the parent pom). */
    private static final String JAR_PROPERTY = "jormundb.jar";
    /** Short, so that the feed is known to be quiet soon after its last event. */
    private static final String[] HEARTBEAT = {"--sse-heartbeat", "200ms"};
    private static final String TABLE = "Crash";
    private static final int WRITERS = 8;
    private static final int KEYS_PER_WRITER = 5;
    /** Acknowledged writes to wait for before the kill. */
    private static final int WRITES_BEFORE_KILL = 480;

    /** One write a client made: a put of {@code w} or, when {@code w} is null, a delete of the item {@code before}. */
    private record Op(String key, String w, String before) {
        /** The change record it must produce, as {@link #describe} shows records. */
        String change() {
            if (w == null) {
                return "REMOVE " + key + " " + before;
            }
            return (before == null ? "INSERT " : "MODIFY ") + key + " " + w;
        }

        /** The value of the item's {@code w} after it, or null when it removed the item. */
        String after() {
            return w;
        }
    }

    /** What one client did: the writes acknowledged, in order, and the one in flight at the kill. */
    private static final class Writer {
        final int id;
        final List<Op> acknowledged = new ArrayList<>();
        final Map<String, String> current = new HashMap<>();
        volatile Op inFlight;
        volatile Exception failedBeforeKill;

        Writer(int id) {
            this.id = id;
        }

        void run(DynamoDbClient client, AtomicBoolean killed, AtomicInteger acked) {
            for (int n = 0; ; n++) {
                String key = "t" + id + "-k" + (n % KEYS_PER_WRITER);
                String before = current.get(key);
                Op op = n % 7 == 6 && before != null ? new Op(key, null, before) : new Op(key, "t" + id + "-" + n, before);
                inFlight = op;
                try {
                    if (op.w() == null) {
                        client.deleteItem(b -> b.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS(key))));
                    } else {
                        client.putItem(b -> b.tableName(TABLE).item(Map.of(
                                "pk", AttributeValue.fromS(key), "w", AttributeValue.fromS(op.w()))));
                    }
                } catch (RuntimeException e) {
                    if (!killed.get()) {
                        failedBeforeKill = e;
                    }
                    return;
                }
                inFlight = null;
                acknowledged.add(op);
                if (op.after() == null) {
                    current.remove(key);
                } else {
                    current.put(key, op.after());
                }
                acked.incrementAndGet();
            }
        }
    }

    @TempDir
    Path temp;

    @Test
    void afterKill9EveryAcknowledgedWriteHasExactlyOneRecordAndEveryPartitionIsGapless() throws Exception {
        assumeTrue(System.getProperty(JAR_PROPERTY) != null,
                "ChangelogCrashIT runs under failsafe (mvn verify), which packages the jar it needs first");
        Path dataDir = temp.resolve("data");
        List<Writer> writers = new ArrayList<>();
        List<Event> seenBeforeKill;
        String lastEventId;
        try (JarServer first = JarServer.start(dataDir, Map.of(), HEARTBEAT)) {
            DynamoDbClient client = first.client();
            createTable(client, TABLE, "pk", ScalarAttributeType.S);
            EventStream subscriber = EventStream.connect(first.endpoint().resolve("/changes"));
            AtomicBoolean killed = new AtomicBoolean();
            AtomicInteger acked = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                Writer w = new Writer(i);
                writers.add(w);
                threads.add(Thread.ofPlatform().name("writer-" + i).start(() -> w.run(client, killed, acked)));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> acked.get() >= WRITES_BEFORE_KILL
                    || writers.stream().anyMatch(w -> w.failedBeforeKill != null));
            killed.set(true);
            assertEquals(137, first.kill(), "exit status of a process killed by SIGKILL");
            seenBeforeKill = subscriber.eventsUntilEnd();
            lastEventId = subscriber.lastEventId();
            subscriber.close();
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(30));
                assertTrue(!t.isAlive(), t.getName() + " still writing after the kill");
            }
            for (Writer w : writers) {
                assertNull(w.failedBeforeKill,
                        () -> "writer " + w.id + " failed before the kill: " + w.failedBeforeKill);
            }
        }

        try (JarServer second = JarServer.start(dataDir, Map.of(), HEARTBEAT)) {
            DynamoDbClient client = second.client();
            List<Event> changelog;
            try (EventStream feed = EventStream.connect(second.endpoint().resolve("/changes/" + TABLE + "?since=trim_horizon"))) {
                changelog = feed.eventsUntilQuiet();
            }
            Map<String, Integer> records = new HashMap<>();
            for (Event e : changelog) {
                records.merge(describe(e), 1, Integer::sum);
            }
            int expectedRecords = 0;
            for (Writer w : writers) {
                assertTrue(w.acknowledged.size() > 10, () -> "writer " + w.id + " made only " + w.acknowledged.size());
                for (Op op : w.acknowledged) {
                    assertEquals(1, records.getOrDefault(op.change(), 0), () -> "records of acknowledged " + op.change());
                    expectedRecords++;
                }
                if (w.inFlight != null) {
                    int count = records.getOrDefault(w.inFlight.change(), 0);
                    assertTrue(count <= 1, () -> "in-flight " + w.inFlight.change() + " recorded " + count + " times");
                    expectedRecords += count;
                }
            }
            assertEquals(expectedRecords, changelog.size(), "the changelog holds the acknowledged and in-flight writes, nothing else");
            assertSubscriberResumedExactly(second, seenBeforeKill, lastEventId, changelog);
            assertGaplessAndInClientOrder(changelog, writers);
            assertItemsMatch(client, writers, records);

            // Sequences go on from where the changelog stopped.
            Map<Integer, Long> heads = new HashMap<>();
            changelog.forEach(e -> heads.merge(e.partition(), e.sequence(), Math::max));
            try (EventStream live = EventStream.connect(second.endpoint().resolve("/changes/" + TABLE))) {
                Tables.put(client, TABLE, "t0-k0", "after-restart");
                Event next = live.next();
                assertEquals(heads.getOrDefault(next.partition(), 0L) + 1, next.sequence(), next::toString);
            }
        }
    }

    /**
     * The all-tables subscriber that followed the writes until the kill, resumed on the new server
     * with its Last-Event-ID, has seen the whole changelog in commit order: what it saw before
     * and after the kill, joined, is the replay from the trim horizon, position for position.
     * Versions are consecutive but for those taken by writes that the kill cut off (at most one
     * per writer).
     */
    private static void assertSubscriberResumedExactly(JarServer second, List<Event> before, String lastEventId,
                                                       List<Event> changelog) {
        assertTrue(before.size() > 100, () -> "the subscriber saw only " + before.size() + " changes before the kill");
        List<Event> after;
        try (EventStream resumed = EventStream.connect(second.endpoint().resolve("/changes"),
                "Last-Event-ID", lastEventId)) {
            after = resumed.eventsUntilQuiet();
        }
        List<Event> joined = new ArrayList<>(before);
        joined.addAll(after);
        assertEquals(CommitOrderTest.positions(changelog), CommitOrderTest.positions(joined),
                "no change missing, none twice, across the kill and the resume");
        CommitOrderTest.assertStrictlyIncreasing(joined);
        long skipped = 0;
        for (int i = 1; i < changelog.size(); i++) {
            skipped += changelog.get(i).commitVersion() - changelog.get(i - 1).commitVersion() - 1;
        }
        assertTrue(skipped <= WRITERS, "versions void at the kill: " + skipped);
    }

    /** Per partition 1, 2, 3, …; and each client's writes to a key appear in the order it made them. */
    private static void assertGaplessAndInClientOrder(List<Event> changelog, List<Writer> writers) {
        Map<Integer, Long> last = new HashMap<>();
        Map<String, List<String>> perKey = new HashMap<>();
        for (Event e : changelog) {
            long expected = last.getOrDefault(e.partition(), 0L) + 1;
            assertEquals(expected, e.sequence(), () -> "gap or repeat in partition " + e.partition() + " at " + e);
            last.put(e.partition(), e.sequence());
            perKey.computeIfAbsent(e.keyText(), k -> new ArrayList<>()).add(describe(e));
        }
        assertTrue(last.size() > 1, "the writes span several partitions: " + last);
        for (Writer w : writers) {
            Map<String, List<String>> made = new HashMap<>();
            List<Op> ops = new ArrayList<>(w.acknowledged);
            if (w.inFlight != null) {
                ops.add(w.inFlight);
            }
            for (Op op : ops) {
                made.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op.change());
            }
            made.forEach((key, changes) -> {
                List<String> recorded = perKey.getOrDefault(key, List.of());
                assertEquals(changes.subList(0, recorded.size()), recorded, "order of the changes of " + key);
                assertTrue(recorded.size() >= changes.size() - (w.inFlight != null && w.inFlight.key().equals(key) ? 1 : 0),
                        "acknowledged changes of " + key + " missing");
            });
        }
    }

    /** Each item is as the last acknowledged write left it, or as the in-flight one did if it was recorded. */
    private static void assertItemsMatch(DynamoDbClient client, List<Writer> writers, Map<String, Integer> records) {
        Map<String, String> expected = new HashMap<>();
        for (Writer w : writers) {
            expected.putAll(w.current);
            if (w.inFlight != null && records.containsKey(w.inFlight.change())) {
                if (w.inFlight.after() == null) {
                    expected.remove(w.inFlight.key());
                } else {
                    expected.put(w.inFlight.key(), w.inFlight.after());
                }
            }
        }
        Map<String, String> stored = new HashMap<>();
        client.scanPaginator(b -> b.tableName(TABLE)).items()
                .forEach(item -> stored.put(item.get("pk").s(), item.get("w").s()));
        assertEquals(expected, stored);
    }

    private static String describe(Event e) {
        return FeedResumeTest.describe(e);
    }
}
