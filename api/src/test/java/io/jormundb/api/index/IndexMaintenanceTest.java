package io.jormundb.api.index;

import io.jormundb.api.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.util.List;
import java.util.Map;

import static io.jormundb.api.Sdk.assertCanceledAsInvalid;
import static io.jormundb.api.Sdk.assertValidation;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.s;
import static io.jormundb.api.Sdk.unique;
import static io.jormundb.api.index.Indexes.def;
import static io.jormundb.api.index.Indexes.gsi;
import static io.jormundb.api.index.Indexes.hash;
import static io.jormundb.api.index.Indexes.include;
import static io.jormundb.api.index.Indexes.keysOnly;
import static io.jormundb.api.index.Indexes.lsi;
import static io.jormundb.api.index.Indexes.range;
import static io.jormundb.api.index.Indexes.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType.N;
import static software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType.S;

/**
 * Every kind of write keeps the indexes exact in its own batch: puts, updates that move, change
 * or remove an index key, deletes, batches and transactions (and a cancelled transaction changes
 * nothing); sparse items stay out; an index key of the wrong type is refused with DynamoDB's
 * message. Table Tasks: owner (HASH), id (RANGE); GSI byState (state, due N; INCLUDE title);
 * LSI byPriority (owner, priority N; KEYS_ONLY).
 */
class IndexMaintenanceTest {
    @RegisterExtension
    static final TestServer.Managed SERVER = TestServer.perClass();

    private static String tasks(DynamoDbClient client) {
        return Indexes.createTable(client, unique("Tasks"), List.of(hash("owner"), range("id")),
                List.of(def("owner", S), def("id", S), def("state", S), def("due", N), def("priority", N)),
                List.of(lsi("byPriority", keysOnly(), hash("owner"), range("priority"))),
                List.of(gsi("byState", include("title"), hash("state"), range("due"))));
    }

    private static Map<String, AttributeValue> task(String id, String state, long due, String title) {
        return item("owner", s("ann"), "id", s(id), "state", s(state), "due", n(due), "title", s(title),
                "priority", n(id.hashCode() % 5));
    }

    /** The ids in index byState under {@code state}, in due order. */
    private static List<String> inState(DynamoDbClient client, String table, String state) {
        return values(client.query(r -> r.tableName(table).indexName("byState").keyConditionExpression("#s = :s")
                .expressionAttributeNames(Map.of("#s", "state")).expressionAttributeValues(Map.of(":s", s(state))))
                .items(), "id");
    }

    /** The GSI's entries (title included) under {@code state}. */
    private static List<Map<String, AttributeValue>> entries(DynamoDbClient client, String table, String state) {
        return client.query(r -> r.tableName(table).indexName("byState").keyConditionExpression("#s = :s")
                .expressionAttributeNames(Map.of("#s", "state")).expressionAttributeValues(Map.of(":s", s(state))))
                .items();
    }

    private static long indexCount(DynamoDbClient client, String table) {
        return client.describeTable(r -> r.tableName(table)).table().globalSecondaryIndexes().getFirst().itemCount();
    }

    @Test
    void updatesMoveChangeAndRemoveIndexEntries() {
        DynamoDbClient client = SERVER.client();
        String table = tasks(client);
        client.putItem(r -> r.tableName(table).item(task("t1", "todo", 5, "write")));
        client.putItem(r -> r.tableName(table).item(task("t2", "todo", 3, "read")));
        assertEquals(List.of("t2", "t1"), inState(client, table, "todo"));
        // A new index key value moves the entry.
        client.updateItem(r -> r.tableName(table).key(item("owner", s("ann"), "id", s("t1")))
                .updateExpression("SET #s = :s").expressionAttributeNames(Map.of("#s", "state"))
                .expressionAttributeValues(Map.of(":s", s("done"))));
        assertEquals(List.of("t2"), inState(client, table, "todo"));
        assertEquals(List.of("t1"), inState(client, table, "done"));
        // A projected attribute changes the entry in place.
        client.updateItem(r -> r.tableName(table).key(item("owner", s("ann"), "id", s("t2")))
                .updateExpression("SET title = :t").expressionAttributeValues(Map.of(":t", s("reread"))));
        assertEquals(s("reread"), entries(client, table, "todo").getFirst().get("title"));
        // A sort key change reorders; removing an index key takes the item out (sparse).
        client.putItem(r -> r.tableName(table).item(task("t3", "todo", 1, "plan")));
        assertEquals(List.of("t3", "t2"), inState(client, table, "todo"));
        client.updateItem(r -> r.tableName(table).key(item("owner", s("ann"), "id", s("t3")))
                .updateExpression("SET due = :d").expressionAttributeValues(Map.of(":d", n(9))));
        assertEquals(List.of("t2", "t3"), inState(client, table, "todo"));
        client.updateItem(r -> r.tableName(table).key(item("owner", s("ann"), "id", s("t3")))
                .updateExpression("REMOVE due"));
        assertEquals(List.of("t2"), inState(client, table, "todo"));
        assertEquals(2, indexCount(client, table));
        client.deleteItem(r -> r.tableName(table).key(item("owner", s("ann"), "id", s("t2"))));
        assertEquals(List.of(), inState(client, table, "todo"));
        assertEquals(1, indexCount(client, table));
    }

    @Test
    void batchWritesKeepIndexesExact() {
        DynamoDbClient client = SERVER.client();
        String table = tasks(client);
        client.putItem(r -> r.tableName(table).item(task("old", "todo", 1, "x")));
        client.batchWriteItem(r -> r.requestItems(Map.of(table, List.of(
                put(task("b1", "todo", 4, "a")), put(task("b2", "todo", 2, "b")), put(task("b3", "done", 1, "c")),
                WriteRequest.builder().deleteRequest(DeleteRequest.builder()
                        .key(item("owner", s("ann"), "id", s("old"))).build()).build()))));
        assertEquals(List.of("b2", "b1"), inState(client, table, "todo"));
        assertEquals(List.of("b3"), inState(client, table, "done"));
        assertEquals(3, indexCount(client, table));
        assertEquals(List.of("b1", "b2", "b3"), values(client.query(r -> r.tableName(table).indexName("byPriority")
                .keyConditionExpression("#o = :o").expressionAttributeNames(Map.of("#o", "owner"))
                .expressionAttributeValues(Map.of(":o", s("ann")))).items(), "id").stream().sorted().toList());
    }

    @Test
    void transactionsKeepIndexesExactAndACancelledOneChangesNothing() {
        DynamoDbClient client = SERVER.client();
        String table = tasks(client);
        client.putItem(r -> r.tableName(table).item(task("a", "todo", 1, "x")));
        client.putItem(r -> r.tableName(table).item(task("b", "todo", 2, "y")));
        client.transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(task("c", "todo", 3, "z")).build())
                        .build(),
                TransactWriteItem.builder().update(Update.builder().tableName(table)
                        .key(item("owner", s("ann"), "id", s("a"))).updateExpression("SET #s = :s")
                        .expressionAttributeNames(Map.of("#s", "state"))
                        .expressionAttributeValues(Map.of(":s", s("done"))).build()).build(),
                TransactWriteItem.builder().delete(Delete.builder().tableName(table)
                        .key(item("owner", s("ann"), "id", s("b"))).build()).build()));
        assertEquals(List.of("c"), inState(client, table, "todo"));
        assertEquals(List.of("a"), inState(client, table, "done"));
        assertThrows(TransactionCanceledException.class, () -> client.transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(task("d", "todo", 0, "w")).build())
                        .build(),
                TransactWriteItem.builder().delete(Delete.builder().tableName(table)
                        .key(item("owner", s("ann"), "id", s("c"))).conditionExpression("attribute_not_exists(id)")
                        .build()).build())));
        assertEquals(List.of("c"), inState(client, table, "todo"));
        assertEquals(2, indexCount(client, table));
    }

    @Test
    void anIndexKeyOfTheWrongTypeOrEmptyIsRefusedOnEveryKindOfWrite() {
        DynamoDbClient client = SERVER.client();
        String table = tasks(client);
        String mismatch = "One or more parameter values were invalid: Type mismatch for Index Key state Expected: S "
                + "Actual: N IndexName: byState";
        Map<String, AttributeValue> bad = item("owner", s("ann"), "id", s("x"), "state", n(1));
        assertValidation(mismatch, () -> client.putItem(r -> r.tableName(table).item(bad)));
        assertValidation(mismatch, () -> client.batchWriteItem(r -> r.requestItems(Map.of(table, List.of(put(bad))))));
        assertCanceledAsInvalid(2, 1, mismatch, () -> client.transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(task("ok", "todo", 1, "x"))
                        .conditionExpression("attribute_exists(id)").build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(bad).build()).build())));
        client.putItem(r -> r.tableName(table).item(task("t", "todo", 1, "x")));
        assertValidation("One or more parameter values were invalid: Type mismatch for Index Key priority Expected: N "
                + "Actual: S IndexName: byPriority", () -> client.updateItem(r -> r.tableName(table)
                .key(item("owner", s("ann"), "id", s("t"))).updateExpression("SET priority = :p")
                .expressionAttributeValues(Map.of(":p", s("high")))));
        assertValidation("One or more parameter values are not valid. A value specified for a secondary index key is "
                        + "not supported. The AttributeValue for a key attribute cannot contain an empty string value. "
                        + "IndexName: byState, IndexKey: state",
                () -> client.putItem(r -> r.tableName(table).item(item("owner", s("ann"), "id", s("y"),
                        "state", s("")))));
        assertEquals(List.of("t"), inState(client, table, "todo"));
        assertEquals(1, indexCount(client, table));
    }

    @Test
    void anItemThatBreaksAnIndexAddedLaterIsLeftOutAndCanBeCorrectedOrDeleted() {
        DynamoDbClient client = SERVER.client();
        String table = Indexes.createTable(client, unique("Violations"), List.of(hash("p")), List.of(def("p", S)),
                List.of(), List.of());
        // Written before the index exists: g is a number, an empty string, or too long for a key.
        for (String p : List.of("num", "fix", "remove", "replace", "batch", "txn")) {
            client.putItem(r -> r.tableName(table).item(item("p", s(p), "g", n(1))));
        }
        client.putItem(r -> r.tableName(table).item(item("p", s("empty"), "g", s(""))));
        client.putItem(r -> r.tableName(table).item(item("p", s("long"), "g", s("x".repeat(2049)))));
        client.updateTable(r -> r.tableName(table).attributeDefinitions(def("g", S)).globalSecondaryIndexUpdates(
                u -> u.create(c -> c.indexName("byG").keySchema(hash("g")).projection(keysOnly()))));
        Indexes.awaitActive(client, table);
        assertEquals(0, indexCount(client, table), "index key violations stay out of the index");
        assertEquals(n(1), client.getItem(r -> r.tableName(table).key(item("p", s("num")))).item().get("g"));

        String mismatch = "One or more parameter values were invalid: Type mismatch for Index Key g Expected: S "
                + "Actual: N IndexName: byG";
        assertValidation(mismatch, () -> client.updateItem(r -> r.tableName(table).key(item("p", s("num")))
                .updateExpression("SET note = :o").expressionAttributeValues(Map.of(":o", s("still wrong")))));
        client.updateItem(r -> r.tableName(table).key(item("p", s("fix"))).updateExpression("SET g = :g")
                .expressionAttributeValues(Map.of(":g", s("ok"))));
        client.updateItem(r -> r.tableName(table).key(item("p", s("remove"))).updateExpression("REMOVE g"));
        client.putItem(r -> r.tableName(table).item(item("p", s("replace"), "other", s("no g"))));
        client.batchWriteItem(r -> r.requestItems(Map.of(table, List.of(WriteRequest.builder().deleteRequest(
                DeleteRequest.builder().key(item("p", s("batch"))).build()).build()))));
        client.transactWriteItems(r -> r.transactItems(TransactWriteItem.builder().delete(Delete.builder()
                .tableName(table).key(item("p", s("txn"))).build()).build()));
        client.deleteItem(r -> r.tableName(table).key(item("p", s("empty"))));
        client.deleteItem(r -> r.tableName(table).key(item("p", s("long"))));

        assertEquals(List.of("fix"), values(client.scan(r -> r.tableName(table).indexName("byG")).items(), "p"));
        assertEquals(1, indexCount(client, table));
        assertEquals(List.of("fix", "num", "remove", "replace"), values(client.scan(r -> r.tableName(table)).items(),
                "p").stream().sorted().toList());
    }

    private static WriteRequest put(Map<String, AttributeValue> item) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }
}
