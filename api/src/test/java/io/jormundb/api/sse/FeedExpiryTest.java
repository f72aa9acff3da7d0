package io.jormundb.api.sse;

import io.jormundb.api.EventStream;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.jormundb.api.Sdk.createTable;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A resume position expires only when a record the feed would deliver after it was trimmed:
 * traffic a feed does not follow — other keys of its changelog partition, other tables — never
 * expires it, and its heartbeats keep its Last-Event-ID current while it is idle.
 */
class FeedExpiryTest {
    private static final Duration RETENTION = Duration.ofSeconds(1);
    private static final int PARTITIONS = 4;
    private static final String QUIET = "quiet";

    @RegisterExtension
    final TestServer.Managed server = TestServer.perTest(cfg -> cfg.withSseHeartbeat(Duration.ofMillis(200))
            .withChangelogRetention(RETENTION));
    private DynamoDbClient client;
    /** Other partition keys in the quiet key's changelog partition, and some in other partitions. */
    private final List<String> mates = new ArrayList<>();
    private final List<String> others = new ArrayList<>();

    @BeforeEach
    void createTables() {
        client = server.client();
        createTable(client, "Orders", "pk", ScalarAttributeType.S);
        createTable(client, "Other", "pk", ScalarAttributeType.S);
        int quietPartition = partitionOf(QUIET);
        for (int i = 0; mates.size() < 5 || others.size() < 5; i++) {
            String key = "key-" + i;
            (partitionOf(key) == quietPartition ? mates : others).add(key);
        }
    }

    @Test
    void anIdleKeyFilteredFeedKeepsItsPositionCurrentThroughThreeRetentionsOfOtherTraffic() {
        Tables.put(client, "Orders", QUIET, "q-1");
        String idBefore;
        String idAfter;
        try (EventStream quiet = EventStream.connect(feed("Orders", Map.of("partitionKey", QUIET, "since", "trim_horizon")))) {
            assertEquals("q-1", quiet.next().attribute("w"));
            idBefore = quiet.lastEventId();
            trafficFor(RETENTION.multipliedBy(3), "Orders", mates, others);
            quiet.assertNoMoreEvents();
            idAfter = quiet.lastEventId();
        }
        assertNotEquals(idBefore, idAfter, "heartbeats carry the feed's position forward");
        assertTrue(idAfter.length() <= 64);
        assertResumesWithTheNextWrite(feed("Orders", Map.of("partitionKey", QUIET)), idAfter, "Orders", QUIET);
    }

    @Test
    void aKeyFilteredFeedGetsItsHeartbeatsWhileItsPartitionMatesAreWrittenWithoutPause() throws Exception {
        try (EventStream quiet = EventStream.connect(feed("Orders", Map.of("partitionKey", QUIET)));
             ExecutorService writer = Executors.newSingleThreadExecutor()) {
            AtomicBoolean writing = new AtomicBoolean(true);
            Future<?> traffic = writer.submit(() -> {
                for (int i = 0; writing.get(); i++) {
                    Tables.put(client, "Orders", mates.get(i % mates.size()), "mate-" + i);
                }
            });
            try {
                // Every change of a mate wakes the feed's reader and is passed over by its key filter;
                // a heartbeat is still due every interval (it used to come only after a quiet interval).
                String before = quiet.lastEventId();
                for (int i = 0; i < 3; i++) {
                    quiet.assertNoMoreEvents();
                }
                assertNotEquals(before, quiet.lastEventId(), "the heartbeats carry the position on");
            } finally {
                writing.set(false);
                traffic.get();
            }
        }
    }

    @Test
    void aDisconnectedKeyFilteredFeedIsNotExpiredByItsPartitionMatesButTheTableFeedIs() {
        String afterQuiet = writeQuietKey();
        String allTables;
        try (EventStream all = EventStream.connect(EventStream.changes(server.endpoint(), Map.of("since", "trim_horizon")))) {
            allTables = all.next().id();
        }
        trafficFor(RETENTION.multipliedBy(2), "Orders", mates, List.of());
        awaitExpired(feed("Orders", Map.of("since", afterQuiet)));
        try (EventStream all = EventStream.open(EventStream.changes(server.endpoint(), Map.of("since", allTables)))) {
            assertEquals(410, all.status(), "the all-tables feed lost records: expired");
        }
        // Nothing of its own key was lost: not expired.
        assertResumesWithTheNextWrite(feed("Orders", Map.of("partitionKey", QUIET)), afterQuiet, "Orders", QUIET);
    }

    @Test
    void aKeyFilteredFeedExpiresWhenARecordOfItsOwnKeyWasTrimmed() {
        String afterFirst = writeQuietKey();
        Tables.put(client, "Orders", QUIET, "q-2");
        URI stale = feed("Orders", Map.of("partitionKey", QUIET, "since", afterFirst));
        awaitExpired(stale);
        EventStream refused = EventStream.open(stale);
        assertEquals("TokenExpired", refused.error().path("error").asText());
        assertResumesWithTheNextWrite(feed("Orders", Map.of("partitionKey", QUIET)),
                refused.error().path("trimHorizon").asText(), "Orders", QUIET);
    }

    @Test
    void aTableFeedIsNotExpiredByAnotherTablesTraffic() {
        Tables.put(client, "Orders", "a", "orders-1");
        String token;
        try (EventStream orders = EventStream.connect(feed("Orders", Map.of("since", "trim_horizon")))) {
            token = orders.next().id();
        }
        trafficFor(RETENTION.multipliedBy(3), "Other", mates, others);
        assertResumesWithTheNextWrite(feed("Orders", Map.of()), token, "Orders", "a");
    }

    @Test
    void commitVersionsGoOnAfterTheWholeChangelogWasTrimmedAndTheServerRestarted() {
        Tables.put(client, "Orders", "a", "one");
        Tables.put(client, "Orders", "a", "two");
        long last;
        try (EventStream orders = EventStream.connect(feed("Orders", Map.of("since", "trim_horizon")))) {
            last = orders.next(2).getLast().commitVersion();
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            server.server().trimmer().trimNow();
            try (EventStream probe = EventStream.connect(feed("Orders", Map.of("since", "trim_horizon")))) {
                probe.assertNoMoreEvents();
                return true;
            } catch (AssertionError stillThere) {
                return false;
            }
        });
        server.restart();
        try (EventStream orders = EventStream.connect(feed("Orders", Map.of()))) {
            Tables.put(server.client(), "Orders", "a", "three");
            assertEquals(last + 1, orders.next().commitVersion(), "a version is never given twice");
        }
    }

    /** Writes the quiet key once; returns the token its key-filtered feed gives that change. */
    private String writeQuietKey() {
        Tables.put(client, "Orders", QUIET, "q-1");
        try (EventStream quiet = EventStream.connect(feed("Orders", Map.of("partitionKey", QUIET, "since", "trim_horizon")))) {
            return quiet.next().id();
        }
    }

    /** Trims until {@code stale} is refused as expired (its records must first be older than retention). */
    private void awaitExpired(URI stale) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            server.server().trimmer().trimNow();
            try (EventStream probe = EventStream.open(stale)) {
                return probe.status() == 410;
            }
        });
    }

    /** {@code feed} resumed with {@code token} is accepted and delivers the next write of {@code key}, and only it. */
    private void assertResumesWithTheNextWrite(URI feed, String token, String table, String key) {
        try (EventStream resumed = EventStream.connect(feed, "Last-Event-ID", token)) {
            Tables.put(client, table, key, "next-write");
            assertEquals("next-write", resumed.next().attribute("w"));
            resumed.assertNoMoreEvents();
        }
    }

    /** Writes to {@code keys} of {@code table} for {@code length}, trimming as it goes. */
    private void trafficFor(Duration length, String table, List<String> keys, List<String> more) {
        List<String> all = new ArrayList<>(keys);
        all.addAll(more);
        long end = System.nanoTime() + length.toNanos();
        for (int i = 0; System.nanoTime() < end; i++) {
            Tables.put(client, table, all.get(i % all.size()), "traffic-" + i);
            if (i % 50 == 0) {
                server.server().trimmer().trimNow();
            }
        }
        server.server().trimmer().trimNow();
    }

    private URI feed(String table, Map<String, String> params) {
        return EventStream.changes(server.endpoint(), table, params);
    }

    private static int partitionOf(String key) {
        return Keys.changelogPartition(new AttributeValue.S(key), PARTITIONS);
    }
}
