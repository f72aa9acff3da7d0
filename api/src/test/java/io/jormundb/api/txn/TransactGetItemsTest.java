package io.jormundb.api.txn;

import io.jormundb.api.Sdk;
import io.jormundb.api.TestServer;
import io.jormundb.api.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Get;
import software.amazon.awssdk.services.dynamodb.model.ItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.s;
import static io.jormundb.api.txn.Tables.key;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TransactGetItemsTest {
    @RegisterExtension
    static final TestServer.Managed SERVER = TestServer.perClass();

    static TransactGetItem get(String table, Map<String, AttributeValue> key) {
        return TransactGetItem.builder().get(Get.builder().tableName(table).key(key).build()).build();
    }

    private static void assertValidation(String message, List<TransactGetItem> gets) {
        Sdk.assertValidation(message, () -> SERVER.client().transactGetItems(b -> b.transactItems(gets)));
    }

    @Test
    void aHundredGetsOverTablesAnswerInRequestOrderWithProjectionsAndNothingForMissingItems() {
        String people = Tables.create(SERVER.client(), "People");
        String pets = Tables.createWithSortKey(SERVER.client(), "Pets");
        List<TransactGetItem> gets = new ArrayList<>();
        List<ItemResponse> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String id = "p" + i;
            if (i % 5 != 0) {
                SERVER.client().putItem(b -> b.tableName(people)
                        .item(Map.of("id", s(id), "age", n(20), "name", s(id))));
                SERVER.client().putItem(b -> b.tableName(pets).item(Map.of("id", s(id), "sk", n(1), "kind", s("cat"))));
            }
            gets.add(TransactGetItem.builder().get(Get.builder().tableName(people).key(key(id))
                    .projectionExpression("#n").expressionAttributeNames(Map.of("#n", "name")).build()).build());
            gets.add(get(pets, Map.of("id", s(id), "sk", n(1))));
            expected.add(i % 5 == 0 ? ItemResponse.builder().build()
                    : ItemResponse.builder().item(Map.of("name", s(id))).build());
            expected.add(i % 5 == 0 ? ItemResponse.builder().build()
                    : ItemResponse.builder().item(Map.of("id", s(id), "sk", n(1), "kind", s("cat"))).build());
        }

        assertEquals(expected, SERVER.client().transactGetItems(b -> b.transactItems(gets)).responses());

        List<TransactGetItem> tooMany = new ArrayList<>(gets);
        tooMany.add(get(people, key("extra")));
        assertValidation("1 validation error detected: Value at 'transactItems' failed to satisfy constraint: "
                + "Member must have length less than or equal to 100", tooMany);
        assertValidation("1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: "
                + "Member must have length greater than or equal to 1", List.of());
    }

    @Test
    void twoGetsOfOneItemAreRejected() {
        String table = Tables.create(SERVER.client(), "GetTwice");
        assertValidation("Transaction request cannot include multiple operations on one item",
                List.of(get(table, key("a")), get(table, key("b")), get(table, key("a"))));
    }

    @Test
    void aGetIgnoresMembersItDoesNotHaveLikeAttributesToGet() {
        String table = Tables.create(SERVER.client(), "GetUnknown");
        SERVER.client().putItem(b -> b.tableName(table).item(Tables.item("a", "n", 1)));
        Wire.Reply reply = SERVER.get().wire().post("TransactGetItems", "{\"TransactItems\":[{\"Get\":{\"TableName\":\""
                + table + "\",\"Key\":{\"id\":{\"S\":\"a\"}},\"AttributesToGet\":[\"id\"],"
                + "\"ProjectionExpression\":\"n\"}}]}");
        assertEquals(200, reply.status(), reply::text);
        assertEquals("{\"Responses\":[{\"Item\":{\"n\":{\"N\":\"1\"}}}]}", reply.text());
    }

    @Test
    void aKeyThatDoesNotMatchTheSchemaIsRejected() {
        String table = Tables.create(SERVER.client(), "GetSchema");
        assertValidation("The provided key element does not match the schema",
                List.of(get(table, Map.of("id", n(1)))));
    }
}
