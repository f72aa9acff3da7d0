package io.jormundb.api;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.util.List;
import java.util.Map;

import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.s;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A clean restart on the same data directory brings back every table and item as they were. */
class RestartTest {
    private static Map<String, AttributeValue> get(DynamoDbClient client, String table, Map<String, AttributeValue> key) {
        return client.getItem(r -> r.tableName(table).key(key)).item();
    }

    @Test
    void aRestartKeepsTablesItemsAndTheirCounts() {
        try (TestServer server = TestServer.start()) {
            DynamoDbClient before = server.client();
            createTable(before, "Users");
            createTable(before, "Events", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
            createTable(before, "Dropped");
            for (int i = 0; i < 20; i++) {
                String id = "u" + i;
                before.putItem(r -> r.tableName("Users").item(item("id", s(id), "n", n("1.50"))));
                int sk = i;
                before.putItem(r -> r.tableName("Events").item(item("pk", s("p"), "sk", n(Integer.toString(sk)))));
            }
            before.deleteItem(r -> r.tableName("Users").key(item("id", s("u3"))));
            before.deleteTable(r -> r.tableName("Dropped"));
            TableDescription users = before.describeTable(r -> r.tableName("Users")).table();

            DynamoDbClient after = server.restart().client();
            assertEquals(List.of("Events", "Users"), after.listTables().tableNames());
            TableDescription reopened = after.describeTable(r -> r.tableName("Users")).table();
            assertEquals(users, reopened);
            assertEquals(19L, reopened.itemCount());
            assertEquals(item("id", s("u7"), "n", n("1.5")), get(after, "Users", item("id", s("u7"))));
            assertEquals(Map.of(), get(after, "Users", item("id", s("u3"))));
            assertEquals(20, after.scan(r -> r.tableName("Events")).count());

            after.putItem(r -> r.tableName("Users").item(item("id", s("new"))));
            assertEquals(20L, after.describeTable(r -> r.tableName("Users")).table().itemCount());
        }
    }
}
