package io.jormundb.streams.feed;

import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.BillingMode;
import io.jormundb.engine.catalog.StreamViewType;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.catalog.TableSpec;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Item;
import io.jormundb.engine.write.Mutation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/** Tables, writes and reads for the live tail's tests: an engine in-process, a subscription read directly. */
final class TailFixtures {
    private TailFixtures() {
    }

    /**
     * A table keyed by string attribute {@code id}, with a DynamoDB stream of {@code stream} or none,
     * its changelog in {@code partitions} partitions.
     */
    static TableSpec spec(String name, StreamViewType stream, int partitions) {
        return new TableSpec(name, List.of(new TableSpec.KeyElement("id", "HASH")),
                List.of(new TableSpec.AttributeDefinition("id", "S")), BillingMode.PAY_PER_REQUEST, 0, 0, stream,
                List.of(), partitions, null, null, false, null);
    }

    /** Writes item {@code id} with attribute {@code v} = "value of {@code id}". */
    static void put(Engine engine, TableDefinition table, String id) {
        put(engine, table, id, "value of " + id);
    }

    /** Writes item {@code id} with attribute {@code v} = {@code value}. */
    static void put(Engine engine, TableDefinition table, String id, String value) {
        Item key = new Item(Map.of("id", new AttributeValue.S(id)));
        Item item = new Item(Map.of("id", new AttributeValue.S(id), "v", new AttributeValue.S(value)));
        engine.writePath().write(Mutation.of(table, key, current -> item));
    }

    /** Reads {@code s} until it gave {@code expected} changes (polling every millisecond, 30 s at most). */
    static List<ChangeEvent> drain(Subscription s, int expected) {
        return drainUntil(s, events -> events.size() >= expected);
    }

    /** Reads {@code s} until what it gave is {@code enough} (polling every millisecond, 30 s at most). */
    static List<ChangeEvent> drainUntil(Subscription s, Predicate<List<ChangeEvent>> enough) {
        List<ChangeEvent> events = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1)).until(() -> {
            for (Signal signal = s.next(); signal != null; signal = s.next()) {
                events.add(((Signal.Change) signal).event());
            }
            return enough.test(events);
        });
        return events;
    }

    /** The {@code id} of each change. */
    static List<String> ids(List<ChangeEvent> events) {
        return events.stream().map(e -> ((AttributeValue.S) e.record().keys().get("id")).value()).toList();
    }
}
