package io.jormundb.api.expr;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jormundb.api.EventStream.Event;
import io.jormundb.api.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import java.util.List;
import java.util.Map;

import static io.jormundb.api.EventStream.changes;
import static io.jormundb.api.EventStream.firstEvents;
import static io.jormundb.api.Sdk.assertItem;
import static io.jormundb.api.Sdk.assertValidation;
import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.l;
import static io.jormundb.api.Sdk.m;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.ns;
import static io.jormundb.api.Sdk.s;
import static io.jormundb.api.Sdk.ss;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * UpdateItem's UpdateExpression end to end: every action and function, nested document paths,
 * upserts, every ReturnValues mode (and Put's and Delete's), and the change records they leave.
 */
class UpdateItemExpressionsTest {
    private static final String TABLE = "Updates";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final TestServer.Managed SERVER = TestServer.perClass();

    @BeforeAll
    static void setUpTable() {
        createTable(SERVER.client(), TABLE, "pk", ScalarAttributeType.S);
    }

    private static void put(Map<String, AttributeValue> item) {
        SERVER.client().putItem(r -> r.tableName(TABLE).item(item));
    }

    private static Map<String, AttributeValue> get(String pk) {
        return SERVER.client().getItem(r -> r.tableName(TABLE).key(item("pk", s(pk)))).item();
    }

    private static UpdateItemResponse update(String pk, String expression, ReturnValue returnValues,
                                             Map<String, AttributeValue> values) {
        return SERVER.client().updateItem(r -> r.tableName(TABLE).key(item("pk", s(pk))).updateExpression(expression)
                .returnValues(returnValues).expressionAttributeValues(values.isEmpty() ? null : values));
    }

    private static void update(String pk, String expression, Object... values) {
        update(pk, expression, ReturnValue.NONE, item(values));
    }

    @Test
    void setComputesSumsAndDifferencesFromTheItemAsItWas() {
        put(item("pk", s("arith"), "a", n("10"), "b", n("3")));
        UpdateItemResponse r = update("arith", "SET c = a + :n, d = :n - b, e = a - b, a = a + :n",
                ReturnValue.UPDATED_NEW, item(":n", n("5")));
        assertItem(item("a", n("15"), "c", n("15"), "d", n("2"), "e", n("7")), r.attributes());
        assertItem(item("pk", s("arith"), "a", n("15"), "b", n("3"), "c", n("15"), "d", n("2"), "e", n("7")),
                get("arith"));
    }

    @Test
    void ifNotExistsKeepsAnExistingValueAndOtherwiseTakesTheFallback() {
        put(item("pk", s("ifne"), "a", n("1")));
        update("ifne", "SET a = if_not_exists(a, :zero), b = if_not_exists(b, :zero), "
                + "hits = if_not_exists(hits, :zero) + :one", ":zero", n("0"), ":one", n("1"));
        assertItem(item("pk", s("ifne"), "a", n("1"), "b", n("0"), "hits", n("1")), get("ifne"));
    }

    @Test
    void listAppendAppendsAndPrependsLists() {
        put(item("pk", s("append"), "l", l(n("1"))));
        update("append", "SET l = list_append(l, :more), f = list_append(:front, l)",
                ":more", l(n("2"), s("three")), ":front", l(n("0")));
        assertItem(item("pk", s("append"), "l", l(n("1"), n("2"), s("three")), "f", l(n("0"), n("1"))),
                get("append"));
    }

    @Test
    void removeDeletesAttributesMapEntriesAndListElementsByTheirOldPositions() {
        put(item("pk", s("remove"), "l", l(s("a"), s("b"), s("c"), s("d")), "m", m("x", n("1"), "y", n("2")),
                "t", s("gone")));
        update("remove", "REMOVE l[1], l[3], m.x, t, never");
        assertItem(item("pk", s("remove"), "l", l(s("a"), s("c")), "m", m("y", n("2"))), get("remove"));
    }

    @Test
    void addIncrementsNumbersAndUnitesSetsStartingFromNothingWhenAbsent() {
        put(item("pk", s("add"), "c", n("5"), "tags", ss("a", "b")));
        update("add", "ADD c :delta, tags :tags, fresh :delta, ids :ids",
                ":delta", n("-2.5"), ":tags", ss("b", "c"), ":ids", ns("1", "2"));
        assertItem(item("pk", s("add"), "c", n("2.5"), "tags", ss("a", "b", "c"), "fresh", n("-2.5"),
                "ids", ns("1", "2")), get("add"));
    }

    @Test
    void deleteTakesMembersOutOfSetsAndDropsASetThatEndsEmpty() {
        put(item("pk", s("delete"), "tags", ss("a", "b", "c"), "ids", ns("1", "2")));
        update("delete", "DELETE tags :tags, ids :ids, absent :tags", ":tags", ss("a", "x"), ":ids", ns("2", "1"));
        assertItem(item("pk", s("delete"), "tags", ss("b", "c")), get("delete"));
    }

    @Test
    void nestedPathsUpdateMapsAndListsInPlace() {
        put(item("pk", s("nested"), "a", m("b", l(n("0"), n("1"), m("c", s("old"))))));
        update("nested", "SET a.b[2].c = :v, a.b[0] = :w, a.added = :w, a.b[10] = :end",
                ":v", s("new"), ":w", n("9"), ":end", s("appended"));
        assertItem(item("pk", s("nested"), "a", m("b", l(n("9"), n("1"), m("c", s("new")), s("appended")),
                "added", n("9"))), get("nested"));
    }

    @Test
    void updateOfAMissingItemCreatesItButOneThatOnlyRemovesDoesNot() {
        UpdateItemResponse r = update("upsert", "SET a = :v", ReturnValue.ALL_NEW, item(":v", s("x")));
        assertItem(item("pk", s("upsert"), "a", s("x")), r.attributes());
        assertItem(item("pk", s("upsert"), "a", s("x")), get("upsert"));

        r = update("never-created", "REMOVE a DELETE tags :t", ReturnValue.ALL_NEW, item(":t", ss("x")));
        assertFalse(r.hasAttributes());
        assertFalse(SERVER.client().getItem(g -> g.tableName(TABLE).key(item("pk", s("never-created")))).hasItem());
    }

    @Test
    void updateReturnsWhatEachReturnValuesModeAsksFor() {
        put(item("pk", s("rv"), "a", m("b", s("dog"), "c", l(n("1"), n("2"), n("3"))), "d", s("cat")));
        UpdateItemResponse none = update("rv", "SET d = :v", ReturnValue.NONE, item(":v", s("cow")));
        assertFalse(none.hasAttributes());

        UpdateItemResponse allOld = update("rv", "SET d = :v", ReturnValue.ALL_OLD, item(":v", s("eel")));
        assertItem(item("pk", s("rv"), "a", m("b", s("dog"), "c", l(n("1"), n("2"), n("3"))), "d", s("cow")),
                allOld.attributes());

        UpdateItemResponse updatedOld = update("rv", "SET a.c[1] = :v, a.b = :w", ReturnValue.UPDATED_OLD,
                item(":v", n("7"), ":w", s("hi")));
        assertItem(item("a", m("b", s("dog"), "c", l(n("2")))), updatedOld.attributes());

        UpdateItemResponse allNew = update("rv", "REMOVE d", ReturnValue.ALL_NEW, Map.of());
        assertItem(item("pk", s("rv"), "a", m("b", s("hi"), "c", l(n("1"), n("7"), n("3")))), allNew.attributes());

        UpdateItemResponse updatedNew = update("rv", "SET a.c[1] = :v, e = :w REMOVE a.b", ReturnValue.UPDATED_NEW,
                item(":v", n("8"), ":w", s("new")));
        assertItem(item("a", m("c", l(n("8"))), "e", s("new")), updatedNew.attributes());

        UpdateItemResponse oldOfNothing = update("rv-missing", "SET a = :v", ReturnValue.UPDATED_OLD,
                item(":v", n("1")));
        assertFalse(oldOfNothing.hasAttributes());
    }

    @Test
    void putAndDeleteReturnTheOldItemOnlyForAllOld() {
        Map<String, AttributeValue> first = item("pk", s("pd"), "v", n("1"));
        Map<String, AttributeValue> second = item("pk", s("pd"), "v", n("2"));
        assertFalse(SERVER.client().putItem(r -> r.tableName(TABLE).item(first).returnValues(ReturnValue.ALL_OLD))
                .hasAttributes());
        assertItem(first, SERVER.client().putItem(r -> r.tableName(TABLE).item(second)
                .returnValues(ReturnValue.ALL_OLD)).attributes());
        assertFalse(SERVER.client().putItem(r -> r.tableName(TABLE).item(first).returnValues(ReturnValue.NONE))
                .hasAttributes());
        assertFalse(SERVER.client().deleteItem(r -> r.tableName(TABLE).key(item("pk", s("pd")))
                .returnValues(ReturnValue.NONE)).hasAttributes());
        put(second);
        assertItem(second, SERVER.client().deleteItem(r -> r.tableName(TABLE).key(item("pk", s("pd")))
                .returnValues(ReturnValue.ALL_OLD)).attributes());
        assertFalse(SERVER.client().deleteItem(r -> r.tableName(TABLE).key(item("pk", s("pd")))
                .returnValues(ReturnValue.ALL_OLD)).hasAttributes());
    }

    @Test
    void returnValuesOutsideWhatTheOperationTakesAreRefused() {
        assertValidation("ReturnValues can only be ALL_OLD or NONE", () -> SERVER.client().putItem(r -> r
                .tableName(TABLE).item(item("pk", s("x"))).returnValues(ReturnValue.ALL_NEW)));
        assertValidation("ReturnValues can only be ALL_OLD or NONE", () -> SERVER.client().deleteItem(r -> r
                .tableName(TABLE).key(item("pk", s("x"))).returnValues(ReturnValue.UPDATED_OLD)));
        assertValidation("1 validation error detected: Value 'EVERYTHING' at 'returnValues' failed to satisfy "
                + "constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]",
                () -> SERVER.client().updateItem(r -> r.tableName(TABLE).key(item("pk", s("x")))
                        .updateExpression("REMOVE a").returnValues("EVERYTHING")));
    }

    @Test
    void everyChangeIsOneRecordWithOldAndNewImagesAndNoChangeIsNone() throws Exception {
        String pk = "feed";
        put(item("pk", s(pk), "v", n("1"), "tags", ss("a")));
        put(item("pk", s(pk), "tags", ss("a"), "v", n("1.0")));
        update(pk, "SET v = :same ADD tags :a REMOVE nothere", ":same", n("1"), ":a", ss("a"));
        update(pk, "SET v = v + :one", ":one", n("1"));
        SERVER.client().deleteItem(r -> r.tableName(TABLE).key(item("pk", s("feed-never-written"))));
        SERVER.client().deleteItem(r -> r.tableName(TABLE).key(item("pk", s(pk))));
        update(pk, "SET v = :one", ":one", n("1"));

        List<Event> events = firstEvents(changes(SERVER.endpoint(), TABLE,
                Map.of("since", "trim_horizon", "partitionKey", pk)), 4);
        assertEquals(List.of("INSERT", "MODIFY", "REMOVE", "INSERT"),
                events.stream().map(Event::name).toList());
        assertEquals(JSON.readTree("{\"pk\":{\"S\":\"feed\"},\"v\":{\"N\":\"1\"},\"tags\":{\"SS\":[\"a\"]}}"),
                events.get(1).oldImage());
        assertEquals(JSON.readTree("{\"pk\":{\"S\":\"feed\"},\"v\":{\"N\":\"2\"},\"tags\":{\"SS\":[\"a\"]}}"),
                events.get(1).newImage());
        assertEquals(events.get(1).newImage(), events.get(2).oldImage());
        assertFalse(events.get(2).json().path("dynamodb").has("NewImage"));
        assertFalse(events.get(3).json().path("dynamodb").has("OldImage"));
        assertEquals(JSON.readTree("{\"pk\":{\"S\":\"feed\"}}"), events.get(3).json().path("dynamodb").path("Keys"));
    }
}
