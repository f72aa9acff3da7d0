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
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.s;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a feed carries: one table or all, one partition key or one item, from now or from the trim horizon. */
class FeedFilterTest {
    @RegisterExtension
    final TestServer.Managed server = TestServer.perTest(cfg -> cfg.withSseHeartbeat(Duration.ofMillis(200)));
    private DynamoDbClient client;

    @BeforeEach
    void createTheTables() {
        client = server.client();
        createTable(client, "Orders", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
        createTable(client, "Users", "pk", ScalarAttributeType.S);
    }

    @Test
    void aTableFeedCarriesOnlyThatTable() {
        try (EventStream orders = EventStream.connect(feed("Orders", Map.of()))) {
            Tables.put(client, "Users", "u1", "user-1");
            Tables.put(client, "Orders", "a", 1, "order-1");
            Tables.put(client, "Users", "u2", "user-2");
            Tables.put(client, "Orders", "b", 1, "order-2");
            assertEquals(List.of("Orders a/1 order-1", "Orders b/1 order-2"), shown(orders.eventsUntilQuiet()));
        }
    }

    @Test
    void aPartitionKeyFilterCarriesOnlyThatPartitionKeyNotItsChangelogPartition() {
        String sibling = siblingOf("a");
        try (EventStream a = EventStream.connect(feed("Orders", Map.of("partitionKey", "a")))) {
            Tables.put(client, "Orders", "a", 1, "a-1");
            Tables.put(client, "Orders", sibling, 1, "sibling-1");
            Tables.put(client, "Orders", "a", 2, "a-2");
            client.deleteItem(b -> b.tableName("Orders").key(Map.of("pk", s("a"), "sk", n("1"))));
            Tables.put(client, "Orders", sibling, 2, "sibling-2");
            List<Event> events = a.eventsUntilQuiet();
            assertEquals(List.of("Orders a/1 a-1", "Orders a/2 a-2", "Orders a/1 a-1"), shown(events));
            assertEquals(List.of("INSERT", "INSERT", "REMOVE"), events.stream().map(Event::name).toList());
        }
    }

    @Test
    void aFullKeyFilterCarriesOnlyThatItem() {
        try (EventStream item = EventStream.connect(feed("Orders", Map.of("partitionKey", "a", "sortKey", "2")));
             EventStream sameItem = EventStream.connect(feed("Orders", Map.of("partitionKey", "a", "sortKey", "2.0")))) {
            Tables.put(client, "Orders", "a", 1, "a-1");
            Tables.put(client, "Orders", "a", 2, "a-2");
            Tables.put(client, "Orders", "b", 2, "b-2");
            Tables.put(client, "Orders", "a", 20, "a-20");
            Tables.put(client, "Orders", "a", 2, "a-2-again");
            List<String> expected = List.of("Orders a/2 a-2", "Orders a/2 a-2-again");
            assertEquals(expected, shown(item.eventsUntilQuiet()));
            assertEquals(expected, shown(sameItem.eventsUntilQuiet()), "key text of N is normalised: 2.0 is 2");
        }
    }

    @Test
    void sinceNowSkipsEarlierChangesAndTrimHorizonIncludesThem() {
        Tables.put(client, "Orders", "a", 1, "before-1");
        Tables.put(client, "Orders", "b", 1, "before-2");
        try (EventStream now = EventStream.connect(feed("Orders", Map.of("since", "now")));
             EventStream byDefault = EventStream.connect(feed("Orders", Map.of()));
             EventStream empty = EventStream.connect(feed("Orders", Map.of("since", "")));
             EventStream horizon = EventStream.connect(feed("Orders", Map.of("since", "trim_horizon")))) {
            Tables.put(client, "Orders", "c", 1, "after-1");
            assertEquals(List.of("Orders c/1 after-1"), shown(now.eventsUntilQuiet()));
            assertEquals(List.of("Orders c/1 after-1"), shown(byDefault.eventsUntilQuiet()));
            assertEquals(List.of("Orders c/1 after-1"), shown(empty.eventsUntilQuiet()), "an empty since is the default");
            assertEquals(List.of("Orders a/1 before-1", "Orders b/1 before-2", "Orders c/1 after-1"),
                    shown(horizon.eventsUntilQuiet()).stream().sorted().toList());
        }
    }

    @Test
    void theAllTablesFeedCarriesEveryTableIncludingOnesCreatedAfterItStarted() {
        Tables.put(client, "Users", "u0", "before");
        try (EventStream all = EventStream.connect(server.endpoint().resolve("/changes"))) {
            Tables.put(client, "Users", "u1", "user-1");
            createTable(client, "Invoices", "pk", ScalarAttributeType.S);
            Tables.put(client, "Invoices", "i1", "invoice-1");
            Tables.put(client, "Orders", "a", 1, "order-1");
            // Order across tables is not part of the contract; within a table it is commit order.
            assertEquals(List.of("Invoices i1 invoice-1", "Orders a/1 order-1", "Users u1 user-1"),
                    shown(all.eventsUntilQuiet()).stream().sorted().toList());
        }
    }

    @Test
    void theAllTablesFeedFromTheTrimHorizonCarriesEveryTablesHistory() {
        Tables.put(client, "Users", "u0", "user-0");
        Tables.put(client, "Orders", "a", 1, "order-1");
        try (EventStream all = EventStream.connect(server.endpoint().resolve("/changes?since=trim_horizon"))) {
            assertEquals(List.of("Orders a/1 order-1", "Users u0 user-0"),
                    shown(all.eventsUntilQuiet()).stream().sorted().toList());
        }
    }

    /** A partition key other than {@code key} in the same changelog partition of Orders. */
    private static String siblingOf(String key) {
        int partitions = 4;
        int target = Keys.changelogPartition(new AttributeValue.S(key), partitions);
        return IntStream.range(0, 1000).mapToObj(i -> "s" + i)
                .filter(k -> Keys.changelogPartition(new AttributeValue.S(k), partitions) == target)
                .findFirst().orElseThrow();
    }

    private URI feed(String table, Map<String, String> params) {
        return EventStream.changes(server.endpoint(), table, params);
    }

    /** "Table keys w" for each event. */
    private static List<String> shown(List<Event> events) {
        return events.stream().map(e -> e.table() + " " + e.keyText() + " " + e.attribute("w")).toList();
    }
}
