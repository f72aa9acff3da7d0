package io.jormundb.streams.feed;

import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.BillingMode;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.catalog.TableSpec;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Item;
import io.jormundb.engine.write.Mutation;
import io.jormundb.streams.log.Changelog;
import io.jormundb.streams.log.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stalled reader pins at most {@link Subscription#QUEUE_BYTES} of change records, however
 * large the items: the live tail stops queueing for it and marks it overflowed (it catches up
 * from RocksDB later), while a reader that keeps up gets every change.
 */
class SubscriptionBoundsTest {
    @TempDir
    Path dir;

    @Test
    void aStalledReaderHoldsBoundedBytes() throws Exception {
        try (Engine engine = Engine.open(dir, 1, false, Clock.systemUTC());
             LiveTail tail = new LiveTail(new Changelog(engine))) {
            Changelog changelog = new Changelog(engine);
            tail.start();
            TableDefinition table = engine.writePath().createTable(new TableSpec("Big",
                    List.of(new TableSpec.KeyElement("id", "HASH")), List.of(new TableSpec.AttributeDefinition("id", "S")),
                    BillingMode.PAY_PER_REQUEST, 0, 0, null, List.of(), 1, null, null, false, null), 1);
            Subscription stalled = tail.subscribe(new Scope.Table(table, -1, null));
            String large = "x".repeat(300_000);
            int writes = 40; // 12 MB of new images: more than the bound
            for (int i = 0; i < writes; i++) {
                Item item = new Item(Map.of("id", new AttributeValue.S("k" + i), "v", new AttributeValue.S(large)));
                Item key = new Item(Map.of("id", new AttributeValue.S("k" + i)));
                engine.writePath().write(Mutation.of(table, key, current -> item));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> !changelog.head().isAfter(tail.dispatched()));

            assertTrue(stalled.queuedBytes() <= Subscription.QUEUE_BYTES,
                    "queued " + stalled.queuedBytes() + " bytes, bound " + Subscription.QUEUE_BYTES);
            long held = stalled.queuedBytes();
            assertTrue(stalled.takeOverflow(), "what did not fit is marked, for a catch-up from RocksDB");
            int queued = 0;
            long largest = 0;
            for (Signal s = stalled.pollNow(); s != null; s = stalled.pollNow()) {
                largest = Math.max(largest, Subscription.bytes(s));
                queued++;
            }
            assertTrue(held + largest > Subscription.QUEUE_BYTES, "filled up to the bound: " + held);
            assertTrue(queued > 0 && queued < writes, queued + " of " + writes + " queued");
            assertEquals(0, stalled.queuedBytes());
            assertFalse(stalled.takeOverflow());
            tail.unsubscribe(stalled);
        }
    }
}
