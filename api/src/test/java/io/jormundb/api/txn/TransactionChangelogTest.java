package io.jormundb.api.txn;

import com.fasterxml.jackson.databind.JsonNode;
import io.jormundb.api.EventStream;
import io.jormundb.api.EventStream.Event;
import io.jormundb.api.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.jormundb.api.txn.Tables.key;
import static io.jormundb.api.txn.TransactWriteItemsTest.add;
import static io.jormundb.api.txn.TransactWriteItemsTest.check;
import static io.jormundb.api.txn.TransactWriteItemsTest.delete;
import static io.jormundb.api.txn.TransactWriteItemsTest.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every changed item of a batch or transaction gets one change record; a transaction's share its id. */
class TransactionChangelogTest {
    @RegisterExtension
    static final TestServer.Managed SERVER = TestServer.perClass(cfg -> cfg.withSseHeartbeat(Duration.ofMillis(200)));

    /** The table's feed from the trim horizon. */
    private static URI fromTheStart(String table) {
        return EventStream.changes(SERVER.endpoint(), table, Map.of("since", "trim_horizon"));
    }

    private static String eventAndId(JsonNode record) {
        return record.get("eventName").asText() + " " + record.at("/dynamodb/Keys/id/S").asText();
    }

    @Test
    void aTransactionWritesOneRecordPerChangedItemAllWithItsIdAndACancelledOneWritesNone() throws Exception {
        String orders = Tables.create(SERVER.client(), "TxOrders");
        String stock = Tables.create(SERVER.client(), "TxStock");
        SERVER.client().putItem(b -> b.tableName(stock).item(Tables.item("apple", "count", 5)));
        SERVER.client().putItem(b -> b.tableName(stock).item(Tables.item("pear", "count", 0)));
        SERVER.client().putItem(b -> b.tableName(orders).item(Tables.item("old", "total", 1)));
        SERVER.client().putItem(b -> b.tableName(orders).item(Tables.item("same", "total", 7)));

        SERVER.client().transactWriteItems(b -> b.transactItems(
                put(orders, Tables.item("o1", "total", 3)),
                add(stock, "apple", "count", -3, 3, null),
                delete(orders, key("old")),
                check(stock, key("pear"), "attribute_exists(id)"),
                put(orders, Tables.item("same", "total", 7))));
        assertThrows(TransactionCanceledException.class, () -> SERVER.client().transactWriteItems(b -> b.transactItems(
                put(orders, Tables.item("o2", "total", 9)),
                add(stock, "apple", "count", -3, 3, null))));
        SERVER.client().batchWriteItem(b -> b.requestItems(Map.of(orders, List.of(
                Tables.putRequest(Tables.item("o3", "total", 4))))));

        assertEquals(5, Tables.changeRecords(SERVER.server(), orders),
                "2 puts, the transaction's INSERT and REMOVE, the batch");
        assertEquals(3, Tables.changeRecords(SERVER.server(), stock), "2 puts and the transaction's MODIFY");
        List<JsonNode> orderRecords;
        List<JsonNode> stockRecords;
        try (EventStream feed = EventStream.connect(fromTheStart(orders))) {
            orderRecords = feed.exactly(5).stream().map(Event::json).toList();
        }
        try (EventStream feed = EventStream.connect(fromTheStart(stock))) {
            stockRecords = feed.exactly(3).stream().map(Event::json).toList();
        }

        List<JsonNode> transaction = orderRecords.stream().filter(r -> r.has("transactionId")).collect(
                Collectors.toList());
        stockRecords.stream().filter(r -> r.has("transactionId")).forEach(transaction::add);
        assertEquals(Set.of("INSERT o1", "REMOVE old", "MODIFY apple"),
                transaction.stream().map(TransactionChangelogTest::eventAndId).collect(Collectors.toSet()));
        assertEquals(1, transaction.stream().map(r -> r.get("transactionId").asText()).distinct().count());
        assertEquals(2, transaction.stream().map(r -> r.get("tableName").asText()).distinct().count());
        JsonNode apple = transaction.stream().filter(r -> eventAndId(r).equals("MODIFY apple")).findFirst().orElseThrow();
        assertEquals("5", apple.at("/dynamodb/OldImage/count/N").asText());
        assertEquals("2", apple.at("/dynamodb/NewImage/count/N").asText());

        List<String> outside = orderRecords.stream().filter(r -> !r.has("transactionId"))
                .map(TransactionChangelogTest::eventAndId).sorted().toList();
        assertEquals(List.of("INSERT o3", "INSERT old", "INSERT same"), outside);
        assertFalse(orderRecords.stream().anyMatch(r -> eventAndId(r).endsWith(" o2")));
    }

    @Test
    void twoTransactionsHaveDifferentIds() throws Exception {
        String table = Tables.create(SERVER.client(), "TxIds");
        SERVER.client().transactWriteItems(b -> b.transactItems(put(table, Tables.item("a", "n", 1))));
        SERVER.client().transactWriteItems(b -> b.transactItems(put(table, Tables.item("b", "n", 1))));
        try (EventStream feed = EventStream.connect(fromTheStart(table))) {
            List<JsonNode> records = feed.exactly(2).stream().map(Event::json).toList();
            assertTrue(records.stream().allMatch(r -> r.has("transactionId")));
            assertNotEquals(records.get(0).get("transactionId").asText(), records.get(1).get("transactionId").asText());
        }
    }
}
