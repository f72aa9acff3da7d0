package io.jormundb.api.txn;

import io.jormundb.api.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.Capacity;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnItemCollectionMetrics;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.util.List;
import java.util.Map;

import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.s;
import static io.jormundb.api.txn.Tables.deleteRequest;
import static io.jormundb.api.txn.Tables.key;
import static io.jormundb.api.txn.Tables.putRequest;
import static io.jormundb.api.txn.Tables.sized;
import static io.jormundb.api.txn.TransactGetItemsTest.get;
import static io.jormundb.api.txn.TransactWriteItemsTest.check;
import static io.jormundb.api.txn.TransactWriteItemsTest.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * ReturnConsumedCapacity on every operation that takes it, with the units DynamoDB computes:
 * 4 KB read units (half when eventually consistent), 1 KB write units of the larger of the item
 * before and after, twice that in transactions.
 */
class ConsumedCapacityTest {
    private static final ReturnConsumedCapacity TOTAL = ReturnConsumedCapacity.TOTAL;

    @RegisterExtension
    static final TestServer.Managed SERVER = TestServer.perClass();

    /** What a standard operation reports: the total only, and under INDEXES the same for the table. */
    private static ConsumedCapacity standard(String table, double units, boolean indexes) {
        return ConsumedCapacity.builder().tableName(table).capacityUnits(units)
                .table(indexes ? Capacity.builder().capacityUnits(units).build() : null).build();
    }

    private static void putSized(String table, String id, int size) {
        SERVER.client().putItem(b -> b.tableName(table).item(sized(id, size)));
    }

    @Test
    void getItemBillsFourKilobyteUnitsHalvedWhenEventuallyConsistentAndAMissingItemToo() {
        String table = Tables.create(SERVER.client(), "CapGet");
        putSized(table, "big", 5000);

        assertEquals(standard(table, 2.0, false), SERVER.client().getItem(b -> b.tableName(table).key(key("big"))
                .consistentRead(true).returnConsumedCapacity(TOTAL)).consumedCapacity());
        assertEquals(standard(table, 1.0, false), SERVER.client().getItem(b -> b.tableName(table).key(key("big"))
                .projectionExpression("id").returnConsumedCapacity(TOTAL)).consumedCapacity());
        assertEquals(standard(table, 1.0, true), SERVER.client().getItem(b -> b.tableName(table).key(key("missing"))
                .consistentRead(true).returnConsumedCapacity(ReturnConsumedCapacity.INDEXES)).consumedCapacity());
        assertEquals(standard(table, 0.5, false), SERVER.client().getItem(b -> b.tableName(table).key(key("missing"))
                .returnConsumedCapacity(TOTAL)).consumedCapacity());
        assertNull(SERVER.client().getItem(b -> b.tableName(table).key(key("big"))
                .returnConsumedCapacity(ReturnConsumedCapacity.NONE)).consumedCapacity());
        assertNull(SERVER.client().getItem(b -> b.tableName(table).key(key("big"))).consumedCapacity());
    }

    @Test
    void writesBillKilobyteUnitsOfTheLargerItemBeforeAndAfter() {
        String table = Tables.create(SERVER.client(), "CapWrite");
        assertEquals(standard(table, 2.0, false), SERVER.client().putItem(b -> b.tableName(table).item(sized("a", 1500))
                .returnConsumedCapacity(TOTAL)).consumedCapacity());
        assertEquals(standard(table, 2.0, false), SERVER.client().putItem(b -> b.tableName(table).item(sized("a", 500))
                .returnConsumedCapacity(TOTAL)).consumedCapacity());
        putSized(table, "u", 3000);
        assertEquals(standard(table, 3.0, true), SERVER.client().updateItem(b -> b.tableName(table).key(key("u"))
                .updateExpression("REMOVE #d").expressionAttributeNames(Map.of("#d", "data"))
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES)).consumedCapacity());
        putSized(table, "d", 2500);
        assertEquals(standard(table, 3.0, false), SERVER.client().deleteItem(b -> b.tableName(table).key(key("d"))
                .returnConsumedCapacity(TOTAL)).consumedCapacity());
        assertEquals(standard(table, 1.0, false), SERVER.client().deleteItem(b -> b.tableName(table).key(key("d"))
                .returnConsumedCapacity(TOTAL)).consumedCapacity());
    }

    @Test
    void queryAndScanAddUpTheSizesOfTheItemsTheyReadBeforeRounding() {
        String table = Tables.createWithSortKey(SERVER.client(), "CapQuery");
        for (int i = 0; i < 10; i++) {
            long sk = i;
            SERVER.client().putItem(b -> b.tableName(table).item(Map.of("id", s("p"), "sk", n(sk),
                    "data", s("x".repeat(1000 - 2 - 1 - 2 - 2 - 4))))); // 1000 bytes each, 10,000 in all
        }
        assertEquals(standard(table, 3.0, false), SERVER.client().query(b -> b.tableName(table)
                .keyConditionExpression("id = :p").expressionAttributeValues(Map.of(":p", s("p")))
                .consistentRead(true).returnConsumedCapacity(TOTAL)).consumedCapacity());
        assertEquals(standard(table, 1.5, false), SERVER.client().query(b -> b.tableName(table)
                .keyConditionExpression("id = :p").expressionAttributeValues(Map.of(":p", s("p")))
                .select("COUNT").returnConsumedCapacity(TOTAL)).consumedCapacity());
        assertEquals(standard(table, 3.0, true), SERVER.client().scan(b -> b.tableName(table)
                .filterExpression("sk = :none").expressionAttributeValues(Map.of(":none", n(99)))
                .consistentRead(true).returnConsumedCapacity(ReturnConsumedCapacity.INDEXES)).consumedCapacity());
        assertEquals(standard(table, 0.5, false), SERVER.client().query(b -> b.tableName(table)
                .keyConditionExpression("id = :p").expressionAttributeValues(Map.of(":p", s("nobody")))
                .returnConsumedCapacity(TOTAL)).consumedCapacity());
    }

    @Test
    void batchesRoundEveryItemOnItsOwnAndReportEachTable() {
        String a = Tables.create(SERVER.client(), "CapBatchA");
        String b = Tables.create(SERVER.client(), "CapBatchB");
        var written = SERVER.client().batchWriteItem(r -> r.returnConsumedCapacity(TOTAL).requestItems(Map.of(
                a, List.of(putRequest(sized("small", 500)), putRequest(sized("large", 3500))),
                b, List.of(putRequest(sized("one", 1536)), deleteRequest(key("none"))))));
        assertEquals(List.of(standard(a, 5.0, false), standard(b, 3.0, false)),
                written.consumedCapacity().stream().sorted((x, y) -> x.tableName().compareTo(y.tableName())).toList());

        putSized(a, "x", 1536);
        putSized(a, "y", 6656);
        var read = SERVER.client().batchGetItem(r -> r.returnConsumedCapacity(ReturnConsumedCapacity.INDEXES)
                .requestItems(Map.of(
                        a, KeysAndAttributes.builder().keys(key("x"), key("y")).consistentRead(true).build(),
                        b, KeysAndAttributes.builder().keys(key("one"), key("none")).build())));
        assertEquals(List.of(standard(a, 3.0, true), standard(b, 1.0, true)),
                read.consumedCapacity().stream().sorted((x, y) -> x.tableName().compareTo(y.tableName())).toList());
    }

    @Test
    void transactionsBillTwiceAndSplitReadAndWriteUnits() {
        String table = Tables.create(SERVER.client(), "CapTx");
        putSized(table, "update", 1500);
        putSized(table, "check", 100);
        putSized(table, "read", 5000);

        var written = SERVER.client().transactWriteItems(b -> b.returnConsumedCapacity(ReturnConsumedCapacity.INDEXES)
                .transactItems(
                        put(table, sized("new", 500)),
                        TransactWriteItem.builder().update(Update.builder().tableName(table).key(key("update"))
                                .updateExpression("SET n = :n").expressionAttributeValues(Map.of(":n", n(1))).build())
                                .build(),
                        check(table, key("check"), "attribute_exists(id)")));
        assertFalse(written.hasItemCollectionMetrics());
        assertEquals(List.of(ConsumedCapacity.builder().tableName(table).capacityUnits(8.0).writeCapacityUnits(8.0)
                .table(Capacity.builder().capacityUnits(8.0).writeCapacityUnits(8.0).build()).build()),
                written.consumedCapacity());

        var read = SERVER.client().transactGetItems(b -> b.returnConsumedCapacity(TOTAL)
                .transactItems(get(table, key("read")), get(table, key("missing"))));
        assertEquals(List.of(ConsumedCapacity.builder().tableName(table).capacityUnits(6.0).readCapacityUnits(6.0)
                .build()), read.consumedCapacity());
    }

    @Test
    void itemCollectionMetricsAreNeverReturnedWithoutLocalSecondaryIndexes() {
        String table = Tables.create(SERVER.client(), "CapMetrics");
        assertNull(SERVER.client().putItem(b -> b.tableName(table).item(sized("a", 100))
                .returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE)).itemCollectionMetrics());
        assertNull(SERVER.client().updateItem(b -> b.tableName(table).key(key("a")).updateExpression("SET n = :n")
                .expressionAttributeValues(Map.of(":n", n(1)))
                .returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE)).itemCollectionMetrics());
        assertNull(SERVER.client().deleteItem(b -> b.tableName(table).key(key("a"))
                .returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE)).itemCollectionMetrics());
        assertFalse(SERVER.client().batchWriteItem(b -> b.returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE)
                .requestItems(Map.of(table, List.of(putRequest(sized("b", 100)))))).hasItemCollectionMetrics());
    }
}
