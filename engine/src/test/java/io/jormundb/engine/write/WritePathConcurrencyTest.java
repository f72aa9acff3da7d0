package io.jormundb.engine.write;

import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.BillingMode;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.catalog.TableSpec;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Item;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The write path's locks: a writer busy with its item (its condition, its update) holds that item
 * only — another item of the same changelog partition commits meanwhile — while a second writer
 * of the same item waits and then sees the first one's result.
 */
class WritePathConcurrencyTest {
    @TempDir
    Path dir;

    private static Item item(String id, String v) {
        return new Item(Map.of("id", new AttributeValue.S(id), "v", new AttributeValue.S(v)));
    }

    private static Item key(String id) {
        return new Item(Map.of("id", new AttributeValue.S(id)));
    }

    @Test
    void aWriterHoldsItsItemNotItsPartition() throws Exception {
        // Own threads: the common pool may have a single one on a small machine.
        try (Engine engine = Engine.open(dir, 1, false, Clock.systemUTC());
             ExecutorService threads = Executors.newCachedThreadPool()) {
            TableDefinition table = engine.writePath().createTable(new TableSpec("One",
                    List.of(new TableSpec.KeyElement("id", "HASH")), List.of(new TableSpec.AttributeDefinition("id", "S")),
                    BillingMode.PAY_PER_REQUEST, 0, 0, null, List.of(), 1, null, null, false, null), 1);
            WritePath writes = engine.writePath();
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<WriteResult> slow = CompletableFuture.supplyAsync(() -> writes.write(
                    Mutation.of(table, key("a"), current -> {
                        entered.countDown();
                        try {
                            assertTrue(release.await(30, TimeUnit.SECONDS));
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                        return item("a", "first");
                    })), threads);
            assertTrue(entered.await(30, TimeUnit.SECONDS));

            // Another item of the one partition commits while "a" is being computed.
            CompletableFuture<WriteResult> other = CompletableFuture.supplyAsync(() -> writes.write(
                    Mutation.of(table, key("b"), current -> item("b", "other"))), threads);
            assertTrue(other.get(30, TimeUnit.SECONDS).changed());
            // The same item waits for the first writer.
            CompletableFuture<WriteResult> second = CompletableFuture.supplyAsync(() -> writes.write(
                    Mutation.of(table, key("a"), current -> item("a", current.get("v") instanceof AttributeValue.S s
                            ? s.value() + "+second" : "lost"))), threads);
            assertFalse(slow.isDone() || second.isDone(), "nothing of item a committed yet");

            release.countDown();
            assertEquals(item("a", "first"), slow.get(30, TimeUnit.SECONDS).newItem());
            assertEquals(item("a", "first+second"), second.get(30, TimeUnit.SECONDS).newItem());
            assertEquals(item("a", "first+second"), engine.items().get(table, key("a")));
            // Three changes, committed in the order the locks gave: b, then a twice.
            assertEquals(3, writes.head(table, 0));
        }
    }
}
