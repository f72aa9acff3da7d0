package io.jormundb.api.expr;

import io.jormundb.api.EventStream.Event;
import io.jormundb.api.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.List;
import java.util.Map;

import static io.jormundb.api.EventStream.changes;
import static io.jormundb.api.EventStream.firstEvents;
import static io.jormundb.api.Sdk.assertItem;
import static io.jormundb.api.Sdk.assertValidation;
import static io.jormundb.api.Sdk.b;
import static io.jormundb.api.Sdk.bool;
import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.l;
import static io.jormundb.api.Sdk.m;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.ns;
import static io.jormundb.api.Sdk.nul;
import static io.jormundb.api.Sdk.s;
import static io.jormundb.api.Sdk.ss;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ConditionExpression on PutItem, UpdateItem and DeleteItem end to end: every comparator,
 * logical operator and function, and the ConditionalCheckFailedException a failed condition
 * gives, with the old item in it when ReturnValuesOnConditionCheckFailure=ALL_OLD.
 */
class ConditionalWritesTest {
    private static final String TABLE = "Conditions";
    private static final Map<String, AttributeValue> ITEM = item("pk", s("all-types"), "n", n("10"), "s", s("hello"),
            "b", b(1, 2, 3), "ss", ss("a", "b"), "ns", ns("1", "2"), "l", l(s("x"), n("2"), m("k", s("v"))),
            "m", m("k", s("v"), "nest", m("deep", n("7"))), "t", bool(true), "z", nul());

    @RegisterExtension
    static final TestServer.Managed SERVER = TestServer.perClass();

    @BeforeAll
    static void setUpTable() {
        createTable(SERVER.client(), TABLE, "pk", ScalarAttributeType.S);
        SERVER.client().putItem(r -> r.tableName(TABLE).item(ITEM));
    }

    /**
     * Whether {@code condition} holds for ITEM: a conditional put of ITEM itself, which changes
     * nothing when it succeeds.
     */
    private static boolean holds(String condition, Object... values) {
        Map<String, AttributeValue> v = item(values);
        try {
            SERVER.client().putItem(r -> r.tableName(TABLE).item(ITEM).conditionExpression(condition)
                    .expressionAttributeValues(v.isEmpty() ? null : v));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Test
    void comparatorsCompareNumbersStringsAndBinariesAndPathsWithPaths() {
        assertTrue(holds("n = :v", ":v", n("10")));
        assertFalse(holds("n <> :v", ":v", n("10")));
        assertTrue(holds("n < :v", ":v", n("11")));
        assertTrue(holds("n <= :v", ":v", n("10")));
        assertFalse(holds("n > :v", ":v", n("10")));
        assertTrue(holds("n >= :v", ":v", n("10")));
        assertTrue(holds("s < :v", ":v", s("help")));
        assertTrue(holds("b > :v", ":v", b(1, 2)));
        assertTrue(holds("n > m.nest.deep"));
        assertTrue(holds("l[1] < n"));
        assertTrue(holds("m.k = l[2].k"));
    }

    @Test
    void betweenAndInTestRangesAndCandidates() {
        assertTrue(holds("n BETWEEN :lo AND :hi", ":lo", n("5"), ":hi", n("10")));
        assertFalse(holds("n BETWEEN :lo AND :hi", ":lo", n("11"), ":hi", n("20")));
        assertTrue(holds("s BETWEEN :lo AND :hi", ":lo", s("a"), ":hi", s("z")));
        assertTrue(holds("n IN (:a, :b)", ":a", n("5"), ":b", n("10")));
        assertFalse(holds("s IN (:a, :b)", ":a", s("hell"), ":b", s("Hello")));
        assertTrue(holds("m.nest.deep IN (n, l[1], :seven)", ":seven", n("7")));
    }

    @Test
    void andBindsTighterThanOrAndParenthesesAndNotRegroup() {
        assertTrue(holds("n = :ten AND s = :hello", ":ten", n("10"), ":hello", s("hello")));
        assertTrue(holds("n = :five OR s = :hello", ":five", n("5"), ":hello", s("hello")));
        assertTrue(holds("NOT n = :five", ":five", n("5")));
        assertFalse(holds("NOT (n = :ten AND s = :hello)", ":ten", n("10"), ":hello", s("hello")));
        assertTrue(holds("n = :five AND s = :x OR t = :true", ":five", n("5"), ":x", s("x"), ":true", bool(true)));
        assertFalse(holds("n = :five AND (s = :x OR t = :true)", ":five", n("5"), ":x", s("x"), ":true", bool(true)));
        assertTrue(holds("NOT NOT (t = :true)", ":true", bool(true)));
    }

    @Test
    void attributeExistsAndNotExistsFollowDocumentPaths() {
        assertTrue(holds("attribute_exists(m.nest.deep)"));
        assertTrue(holds("attribute_exists(l[2].k)"));
        assertTrue(holds("attribute_exists(z)"));
        assertFalse(holds("attribute_exists(l[3])"));
        assertFalse(holds("attribute_exists(s.nope)"));
        assertTrue(holds("attribute_not_exists(nope)"));
        assertFalse(holds("attribute_not_exists(n)"));
    }

    @Test
    void attributeTypeNamesEveryType() {
        Map<String, String> types = Map.of("n", "N", "s", "S", "b", "B", "ss", "SS", "ns", "NS", "l", "L", "m", "M",
                "t", "BOOL", "z", "NULL");
        types.forEach((attribute, type) ->
                assertTrue(holds("attribute_type(" + attribute + ", :t)", ":t", s(type)), attribute));
        assertFalse(holds("attribute_type(n, :t)", ":t", s("S")));
        assertFalse(holds("attribute_type(nope, :t)", ":t", s("S")));
        assertValidation("Invalid ConditionExpression: Invalid attribute type name found; type: STRING, valid types: "
                + "{N,BS,L,B,NULL,M,S,SS,NS,BOOL}", () -> holds("attribute_type(s, :t)", ":t", s("STRING")));
    }

    @Test
    void beginsWithAndContainsLookInsideStringsBinariesSetsAndLists() {
        assertTrue(holds("begins_with(s, :p)", ":p", s("he")));
        assertFalse(holds("begins_with(s, :p)", ":p", s("lo")));
        assertTrue(holds("begins_with(b, :p)", ":p", b(1, 2)));
        assertFalse(holds("begins_with(l, :p)", ":p", s("x")));
        assertTrue(holds("contains(s, :v)", ":v", s("ell")));
        assertTrue(holds("contains(ss, :v)", ":v", s("a")));
        assertFalse(holds("contains(ss, :v)", ":v", s("ab")));
        assertTrue(holds("contains(ns, :v)", ":v", n("2.0")));
        assertTrue(holds("contains(l, :v)", ":v", n("2")));
        assertTrue(holds("contains(l, :v)", ":v", m("k", s("v"))));
        assertFalse(holds("contains(l, :v)", ":v", s("v")));
        assertFalse(holds("contains(n, :v)", ":v", n("1")));
    }

    @Test
    void sizeMeasuresEveryTypeThatHasASize() {
        assertTrue(holds("size(s) = :v", ":v", n("5")));
        assertTrue(holds("size(b) = :v", ":v", n("3")));
        assertTrue(holds("size(ss) = :v", ":v", n("2")));
        assertTrue(holds("size(ns) = :v", ":v", n("2")));
        assertTrue(holds("size(l) = :v", ":v", n("3")));
        assertTrue(holds("size(m) = :v", ":v", n("2")));
        assertTrue(holds("size(m.nest) < size(l)"));
        assertFalse(holds("size(n) >= :v", ":v", n("0")));
        assertFalse(holds("size(t) >= :v", ":v", n("0")));
        assertFalse(holds("size(nope) >= :v", ":v", n("0")));
    }

    @Test
    void aFailedConditionOnPutUpdateOrDeleteIsAConditionalCheckFailureThatChangesNothing() {
        Map<String, AttributeValue> key = item("pk", s("guarded"));
        Map<String, AttributeValue> guarded = item("pk", s("guarded"), "v", n("1"));
        SERVER.client().putItem(r -> r.tableName(TABLE).item(guarded).conditionExpression("attribute_not_exists(pk)"));

        ConditionalCheckFailedException put = assertThrows(ConditionalCheckFailedException.class,
                () -> SERVER.client().putItem(r -> r.tableName(TABLE).item(key)
                        .conditionExpression("attribute_not_exists(pk)")));
        ConditionalCheckFailedException update = assertThrows(ConditionalCheckFailedException.class,
                () -> SERVER.client().updateItem(r -> r.tableName(TABLE).key(key).updateExpression("SET v = :two")
                        .conditionExpression("#v > :one").expressionAttributeNames(Map.of("#v", "v"))
                        .expressionAttributeValues(item(":one", n("1"), ":two", n("2")))));
        ConditionalCheckFailedException delete = assertThrows(ConditionalCheckFailedException.class,
                () -> SERVER.client().deleteItem(r -> r.tableName(TABLE).key(key).conditionExpression("v = :two")
                        .expressionAttributeValues(item(":two", n("2")))));
        for (ConditionalCheckFailedException e : List.of(put, update, delete)) {
            assertEquals("The conditional request failed", e.awsErrorDetails().errorMessage());
            assertEquals(400, e.statusCode());
            assertFalse(e.hasItem());
        }
        assertItem(guarded, SERVER.client().getItem(r -> r.tableName(TABLE).key(key)).item());

        SERVER.client().updateItem(r -> r.tableName(TABLE).key(key).updateExpression("SET v = :two")
                .conditionExpression("v = :one").expressionAttributeValues(item(":one", n("1"), ":two", n("2"))));
        List<Event> events = firstEvents(changes(SERVER.endpoint(), TABLE,
                Map.of("since", "trim_horizon", "partitionKey", "guarded")), 2);
        assertEquals(List.of("INSERT", "MODIFY"), events.stream().map(Event::name).toList());
        assertEquals("1", events.get(1).oldImage().path("v").path("N").asText());
    }

    @Test
    void allOldOnConditionCheckFailurePutsTheOldItemIntoTheError() {
        Map<String, AttributeValue> key = item("pk", s("returned"));
        Map<String, AttributeValue> old = item("pk", s("returned"), "v", n("1"), "tags", ss("x"));
        SERVER.client().putItem(r -> r.tableName(TABLE).item(old));
        var allOld = ReturnValuesOnConditionCheckFailure.ALL_OLD;

        ConditionalCheckFailedException put = assertThrows(ConditionalCheckFailedException.class,
                () -> SERVER.client().putItem(r -> r.tableName(TABLE).item(key)
                        .conditionExpression("attribute_not_exists(pk)").returnValuesOnConditionCheckFailure(allOld)));
        ConditionalCheckFailedException update = assertThrows(ConditionalCheckFailedException.class,
                () -> SERVER.client().updateItem(r -> r.tableName(TABLE).key(key).updateExpression("REMOVE v")
                        .conditionExpression("contains(tags, :t)").expressionAttributeValues(item(":t", s("y")))
                        .returnValuesOnConditionCheckFailure(allOld)));
        ConditionalCheckFailedException delete = assertThrows(ConditionalCheckFailedException.class,
                () -> SERVER.client().deleteItem(r -> r.tableName(TABLE).key(key).conditionExpression("size(tags) > :n")
                        .expressionAttributeValues(item(":n", n("1"))).returnValuesOnConditionCheckFailure(allOld)));
        for (ConditionalCheckFailedException e : List.of(put, update, delete)) {
            assertItem(old, e.item());
        }

        ConditionalCheckFailedException missing = assertThrows(ConditionalCheckFailedException.class,
                () -> SERVER.client().updateItem(r -> r.tableName(TABLE).key(item("pk", s("returned-missing")))
                        .updateExpression("REMOVE v").conditionExpression("attribute_exists(pk)")
                        .returnValuesOnConditionCheckFailure(allOld)));
        assertFalse(missing.hasItem());
    }

    @Test
    void aConditionThatHoldsLetsEachWriteThrough() {
        Map<String, AttributeValue> key = item("pk", s("allowed"));
        SERVER.client().putItem(r -> r.tableName(TABLE).item(item("pk", s("allowed"), "v", n("1")))
                .conditionExpression("attribute_not_exists(pk)"));
        SERVER.client().updateItem(r -> r.tableName(TABLE).key(key).updateExpression("ADD v :one")
                .conditionExpression("v = :one").expressionAttributeValues(item(":one", n("1"))));
        assertItem(item("pk", s("allowed"), "v", n("2")),
                SERVER.client().getItem(r -> r.tableName(TABLE).key(key)).item());
        SERVER.client().deleteItem(r -> r.tableName(TABLE).key(key).conditionExpression("v BETWEEN :a AND :b")
                .expressionAttributeValues(item(":a", n("2"), ":b", n("3"))));
        assertFalse(SERVER.client().getItem(r -> r.tableName(TABLE).key(key)).hasItem());
    }
}
