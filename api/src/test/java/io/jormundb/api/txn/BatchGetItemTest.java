package io.jormundb.api.txn;

import io.jormundb.api.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.jormundb.api.Sdk.assertValidation;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.s;
import static io.jormundb.api.txn.Tables.key;
import static org.junit.jupiter.api.Assertions.assertEquals;

class BatchGetItemTest {
    private static final long SIXTEEN_MB = 16L * 1024 * 1024;

    @RegisterExtension
    static final TestServer.Managed SERVER = TestServer.perClass();

    private static List<Map<String, AttributeValue>> keys(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> key(prefix + i)).toList();
    }

    private static void putAll(String table, String prefix, int count) {
        for (int from = 0; from < count; from += 25) {
            List<WriteRequest> writes = new ArrayList<>();
            for (int i = from; i < Math.min(count, from + 25); i++) {
                writes.add(Tables.putRequest(Tables.item(prefix + i, "n", i)));
            }
            SERVER.client().batchWriteItem(b -> b.requestItems(Map.of(table, writes)));
        }
    }

    private static List<Map<String, AttributeValue>> byId(List<Map<String, AttributeValue>> items) {
        return items.stream().sorted(Comparator.comparing(i -> i.get("id").s())).toList();
    }

    @Test
    void readsKeysOfSeveralTablesWithEachTablesProjectionNamesAndConsistency() {
        String users = Tables.create(SERVER.client(), "Users");
        String events = Tables.createWithSortKey(SERVER.client(), "Events");
        SERVER.client().putItem(b -> b.tableName(users)
                .item(Map.of("id", s("u1"), "name", s("Ann"), "role", s("admin"))));
        SERVER.client().putItem(b -> b.tableName(users)
                .item(Map.of("id", s("u2"), "name", s("Bob"), "role", s("dev"))));
        SERVER.client().putItem(b -> b.tableName(events).item(Map.of("id", s("u1"), "sk", n(1), "kind", s("login"))));
        SERVER.client().putItem(b -> b.tableName(events).item(Map.of("id", s("u1"), "sk", n(2), "kind", s("logout"))));

        BatchGetItemResponse response = SERVER.client().batchGetItem(b -> b.requestItems(Map.of(
                users, KeysAndAttributes.builder().keys(key("u1"), key("u2"), key("nobody"))
                        .projectionExpression("#n").expressionAttributeNames(Map.of("#n", "name"))
                        .consistentRead(true).build(),
                events, KeysAndAttributes.builder().keys(Map.of("id", s("u1"), "sk", n(2)),
                        Map.of("id", s("u1"), "sk", n(3))).build())));

        assertEquals(List.of(Map.of("name", s("Ann")), Map.of("name", s("Bob"))),
                response.responses().get(users).stream()
                        .sorted(Comparator.comparing(i -> i.get("name").s())).toList());
        assertEquals(List.of(Map.of("id", s("u1"), "sk", n(2), "kind", s("logout"))), response.responses().get(events));
        assertEquals(Map.of(), response.unprocessedKeys());
    }

    @Test
    void aHundredKeysOverTablesAreOneBatchAndAHundredAndOneAreTooMany() {
        String a = Tables.create(SERVER.client(), "GetA");
        String b = Tables.create(SERVER.client(), "GetB");
        putAll(a, "a", 50);
        putAll(b, "b", 51);

        BatchGetItemResponse response = SERVER.client().batchGetItem(r -> r.requestItems(Map.of(
                a, KeysAndAttributes.builder().keys(keys("a", 50)).build(),
                b, KeysAndAttributes.builder().keys(keys("b", 50)).build())));
        assertEquals(50, response.responses().get(a).size());
        assertEquals(50, response.responses().get(b).size());

        assertValidation("Too many items requested for the BatchGetItem call", () -> SERVER.client().batchGetItem(r -> r
                .requestItems(Map.of(a, KeysAndAttributes.builder().keys(keys("a", 50)).build(),
                        b, KeysAndAttributes.builder().keys(keys("b", 51)).build()))));
    }

    @Test
    void theSameKeyTwiceIsRejected() {
        String table = Tables.create(SERVER.client(), "GetDup");
        assertValidation("Provided list of item keys contains duplicates", () -> SERVER.client().batchGetItem(r -> r
                .requestItems(Map.of(table, KeysAndAttributes.builder().keys(key("k"), key("j"), key("k")).build()))));
    }

    @Test
    void emptyRequestItemsAreRejected() {
        assertValidation("The requestItems parameter is required for BatchGetItem",
                () -> SERVER.client().batchGetItem(r -> r.requestItems(Map.of())));
    }

    @Test
    void keysThatDoNotMatchTheSchemaAreRejected() {
        String table = Tables.create(SERVER.client(), "GetSchema");
        assertValidation("The provided key element does not match the schema", () -> SERVER.client().batchGetItem(r -> r
                .requestItems(Map.of(table, KeysAndAttributes.builder().keys(Map.of("id", n(1))).build()))));
        assertValidation("The provided key element does not match the schema", () -> SERVER.client().batchGetItem(r -> r
                .requestItems(Map.of(table, KeysAndAttributes.builder()
                        .keys(Map.of("id", s("a"), "other", s("b"))).build()))));
    }

    @Test
    void itemsPastSixteenMegabytesComeBackAsUnprocessedKeysWithTheirTablesParameters() {
        String table = Tables.create(SERVER.client(), "GetHuge");
        int itemSize = 390_000;
        int items = 45;
        for (int i = 0; i < items; i++) {
            Map<String, AttributeValue> item = Tables.sized(String.format("k%02d", i), itemSize);
            SERVER.client().putItem(b -> b.tableName(table).item(item));
        }
        int fitting = (int) (SIXTEEN_MB / itemSize);
        List<Map<String, AttributeValue>> all = IntStream.range(0, items)
                .mapToObj(i -> key(String.format("k%02d", i))).toList();
        KeysAndAttributes request = KeysAndAttributes.builder().keys(all)
                .projectionExpression("#i").expressionAttributeNames(Map.of("#i", "id")).consistentRead(true)
                .build();

        BatchGetItemResponse first = SERVER.client().batchGetItem(b -> b.requestItems(Map.of(table, request)));

        assertEquals(43, fitting);
        assertEquals(fitting, first.responses().get(table).size());
        KeysAndAttributes rest = first.unprocessedKeys().get(table);
        assertEquals(all.subList(fitting, items), rest.keys());
        assertEquals("#i", rest.projectionExpression());
        assertEquals(Map.of("#i", "id"), rest.expressionAttributeNames());
        assertEquals(true, rest.consistentRead());

        BatchGetItemResponse second = SERVER.client().batchGetItem(b -> b.requestItems(first.unprocessedKeys()));
        assertEquals(Map.of(), second.unprocessedKeys());
        List<Map<String, AttributeValue>> returned = new ArrayList<>(first.responses().get(table));
        returned.addAll(second.responses().get(table));
        assertEquals(all, byId(returned));
    }
}
