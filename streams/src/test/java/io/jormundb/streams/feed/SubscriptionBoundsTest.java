package io.jormundb.streams.feed;

import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.streams.log.Changelog;
import io.jormundb.streams.log.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.jormundb.streams.feed.TailFixtures.put;
import static io.jormundb.streams.feed.TailFixtures.spec;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What readers of the live tail cost, whatever their number and speed: the tail holds at most
 * {@link SignalRing#MAX_BYTES} of change records for all of them, however large the items (a
 * stalled reader finds itself overflowed and catches up from RocksDB; a reader that keeps up gets
 * every change), and dispatching a change to thousands of readers allocates no more than to one.
 */
class SubscriptionBoundsTest {
    @TempDir
    Path dir;

    private static TableDefinition table(Engine engine, String name) {
        return engine.writePath().createTable(spec(name, null, 1), 1);
    }

    @Test
    void aStalledReaderHoldsNothingBeyondTheTailsBoundAndOneThatKeepsUpGetsEverything() throws Exception {
        try (Engine engine = Engine.open(dir, 1, false, Clock.systemUTC());
             LiveTail tail = new LiveTail(new Changelog(engine))) {
            Changelog changelog = new Changelog(engine);
            tail.start();
            TableDefinition table = table(engine, "Big");
            Subscription stalled = tail.subscribe(new Scope.Table(table, -1, null));
            Subscription keepingUp = tail.subscribe(new Scope.Table(table, -1, null));
            String large = "x".repeat(300_000);
            int writes = 80; // 24 MB of new images: more than the bound
            int kept = 0;
            for (int i = 0; i < writes; i++) {
                put(engine, table, "k" + i, large);
                kept += readSome(keepingUp);
                assertTrue(tail.ring().heldBytes() <= SignalRing.MAX_BYTES,
                        "held " + tail.ring().heldBytes() + " bytes, bound " + SignalRing.MAX_BYTES);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> !changelog.head().isAfter(tail.dispatched()));
            assertEquals(writes, kept, "the reader that kept up got every change");
            assertFalse(keepingUp.takeOverflow());

            int readLate = 0;
            for (Signal s = stalled.next(); s != null; s = stalled.next()) {
                readLate++;
            }
            assertTrue(stalled.takeOverflow(), "what was dropped is marked, for a catch-up from RocksDB");
            assertTrue(readLate < writes, readLate + " of " + writes + " still held for the stalled reader");
            tail.unsubscribe(stalled);
            tail.unsubscribe(keepingUp);
        }
    }

    /** Reads what {@code reader} has, once it has something; how many signals. */
    private static int readSome(Subscription reader) {
        List<Signal> read = new ArrayList<>();
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(30)).until(() -> {
            for (Signal s = reader.next(); s != null; s = reader.next()) {
                read.add(s);
            }
            return !read.isEmpty();
        });
        return read.size();
    }

    @Test
    void dispatchingAChangeToThousandsOfReadersAllocatesNoMoreThanToOne() throws Exception {
        try (Engine engine = Engine.open(dir, 1, false, Clock.systemUTC());
             LiveTail tail = new LiveTail(new Changelog(engine))) {
            tail.start();
            TableDefinition table = table(engine, "Fanout");
            List<Subscription> readers = new ArrayList<>();
            readers.add(tail.subscribe(new Scope.Table(table, -1, null)));
            long one = dispatcherBytesPerChange(engine, tail, table, "one");
            for (int i = 0; i < 2_000; i++) {
                readers.add(tail.subscribe(new Scope.Table(table, -1, null)));
            }
            long many = dispatcherBytesPerChange(engine, tail, table, "many");
            // A queue per reader allocated a node per reader per change: 48 KB a change here.
            System.out.printf("dispatcher bytes per change: %d for one reader, %d for 2,001%n", one, many);
            assertTrue(many < one + 2_000, "the dispatcher allocated " + many + " bytes a change for 2,001 readers, "
                    + one + " for one");
            readers.forEach(tail::unsubscribe);
        }
    }

    /** Bytes the tail's dispatcher thread allocates per change, over 200 changes (after 200 to warm up). */
    private static long dispatcherBytesPerChange(Engine engine, LiveTail tail, TableDefinition table, String prefix) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long dispatcher = tail.dispatcherThread().threadId();
        Changelog changelog = new Changelog(engine);
        int changes = 200;
        long before = 0;
        for (int round = 0; round < 2; round++) {
            before = threads.getThreadAllocatedBytes(dispatcher);
            for (int i = 0; i < changes; i++) {
                put(engine, table, prefix + round + "-" + i, "value");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> !changelog.head().isAfter(tail.dispatched()));
        }
        return (threads.getThreadAllocatedBytes(dispatcher) - before) / changes;
    }
}
