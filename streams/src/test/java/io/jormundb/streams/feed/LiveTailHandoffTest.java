package io.jormundb.streams.feed;

import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.StreamViewType;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.changelog.Position;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.streams.log.Changelog;
import io.jormundb.streams.log.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static io.jormundb.streams.feed.TailFixtures.drain;
import static io.jormundb.streams.feed.TailFixtures.drainUntil;
import static io.jormundb.streams.feed.TailFixtures.put;
import static io.jormundb.streams.feed.TailFixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live tail takes what the write path hands over instead of reading back from RocksDB what
 * was just written, and falls back to RocksDB for a version it was not handed (here a void
 * version, which a table created with a stream takes), with the same entries in the same order.
 */
class LiveTailHandoffTest {
    @TempDir
    Path dir;

    @Test
    void liveChangesComeFromTheWritePathAndAVersionNotHandedIsReadBack() throws Exception {
        try (Engine engine = Engine.open(dir, 2, false, Clock.systemUTC());
             LiveTail tail = new LiveTail(new Changelog(engine))) {
            tail.start();
            TableDefinition table = engine.writePath().createTable(spec("Handed", null, 2), 1);
            Subscription subscription = tail.subscribe(new Scope.AllTables(null));

            for (int i = 0; i < 100; i++) {
                put(engine, table, "a" + i);
            }
            List<ChangeEvent> first = drain(subscription, 100);
            assertEquals(100, tail.versionsFromMemory(), "every version was handed over");
            assertEquals(0, tail.readsFromStore(), "nothing read back from RocksDB");

            // A table created with a stream takes a version and appends nothing: it is not handed
            // over, so the tail reads that stretch from the commit log.
            engine.writePath().createTable(spec("Streamed", StreamViewType.NEW_IMAGE, 2), 2);
            for (int i = 0; i < 50; i++) {
                put(engine, table, "b" + i);
            }
            List<ChangeEvent> second = drain(subscription, 50);
            assertTrue(tail.readsFromStore() >= 1, "the void version sent the tail to RocksDB");

            List<ChangeEvent> all = new ArrayList<>(first);
            all.addAll(second);
            assertEquals(150, all.size(), "nothing twice");
            Position previous = Position.START;
            for (int i = 0; i < all.size(); i++) {
                ChangeEvent e = all.get(i);
                assertTrue(e.position().isAfter(previous), "commit order at " + i);
                previous = e.position();
                String id = (i < 100 ? "a" + i : "b" + (i - 100));
                assertEquals(new AttributeValue.S(id), e.record().keys().get("id"));
                assertEquals(new AttributeValue.S("value of " + id), e.record().newImage().get("v"));
                // The token a feed of the table sends with the event, encoded once for all of them.
                assertEquals(Feed.token(new Scope.Table(table, -1, null), e.position()), e.tableToken());
            }
            tail.unsubscribe(subscription);
        }
    }

    @Test
    void commitsWhileNobodySubscribesDoNotWakeTheTailAndTheFirstSubscriberGetsWhatFollows() throws Exception {
        try (Engine engine = Engine.open(dir, 2, false, Clock.systemUTC());
             LiveTail tail = new LiveTail(new Changelog(engine))) {
            tail.start();
            TableDefinition table = engine.writePath().createTable(spec("Quiet", null, 2), 1);
            for (int i = 0; i < 200; i++) {
                put(engine, table, "quiet" + i);
            }
            assertEquals(0, tail.commitWakeups(), "no wake-up per commit while nobody subscribes");

            Subscription subscription = tail.subscribe(new Scope.AllTables(null));
            Position subscribedAt = engine.writePath().versions().frontier().lastEntry();
            for (int i = 0; i < 20; i++) {
                put(engine, table, "heard" + i);
            }
            // The tail may first hand the new subscriber the end of the quiet spell (up to its last
            // sweep): a reader skips what it caught up with; here the test does.
            List<ChangeEvent> events = drainUntil(subscription,
                    seen -> seen.stream().filter(e -> e.position().isAfter(subscribedAt)).count() >= 20);
            assertTrue(tail.commitWakeups() > 0, "a subscriber's commits wake the tail");
            List<String> heard = events.stream().filter(e -> e.position().isAfter(subscribedAt))
                    .map(e -> ((AttributeValue.S) e.record().keys().get("id")).value()).toList();
            assertEquals(java.util.stream.IntStream.range(0, 20).mapToObj(i -> "heard" + i).toList(), heard,
                    "every change after the subscription, in order, once");
            tail.unsubscribe(subscription);
        }
    }
}
