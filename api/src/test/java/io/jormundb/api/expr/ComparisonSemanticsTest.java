package io.jormundb.api.expr;

import io.jormundb.api.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.List;
import java.util.Map;

import static io.jormundb.api.Sdk.assertValidation;
import static io.jormundb.api.Sdk.b;
import static io.jormundb.api.Sdk.bool;
import static io.jormundb.api.Sdk.bs;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DynamoDB's comparison rules, observed through Scan filters: values of different types are
 * simply unequal and unordered (never an error), numbers compare and add exactly, sets and maps
 * are equal regardless of order, strings order by UTF-8 bytes.
 */
class ComparisonSemanticsTest {
    private static final String TABLE = "Semantics";
    private static final String BIG = "12345678901234567890123456789012345678";

    @RegisterExtension
    static final TestServer.Managed SERVER = TestServer.perClass();

    @BeforeAll
    static void setUpTable() {
        createTable(SERVER.client(), TABLE, "pk", ScalarAttributeType.S);
        SERVER.client().putItem(r -> r.tableName(TABLE).item(item("pk", s("one"), "n", n("10"), "s", s("10"),
                "b", b(0x31, 0x30), "t", bool(true), "z", nul(), "l", l(n("1"), n("2")), "ss", ss("a", "b", "c"),
                "ns", ns("1", "2.5"), "bs", bs(1, 2), "m", m("x", n("1"), "y", l(s("a"))), "big", n(BIG),
                "emoji", s("\uD83D\uDE00"))));
    }

    /** Whether item "one" passes {@code filter}. */
    private static boolean matches(String filter, Object... values) {
        Map<String, AttributeValue> v = item(values);
        v.put(":pk", s("one"));
        return SERVER.client().scan(r -> r.tableName(TABLE).filterExpression("pk = :pk AND (" + filter + ")")
                .expressionAttributeValues(v)).count() == 1;
    }

    @Test
    void valuesOfDifferentTypesAreUnequalAndUnorderedButNeverAnError() {
        assertFalse(matches("n = :v", ":v", s("10")));
        assertTrue(matches("n <> :v", ":v", s("10")));
        assertFalse(matches("n < :v", ":v", s("99")));
        assertFalse(matches("n >= :v", ":v", s("0")));
        assertFalse(matches("s > :v", ":v", n("1")));
        assertFalse(matches("b = s"));
        assertFalse(matches("n BETWEEN :lo AND :hi", ":lo", s("0"), ":hi", s("99")));
        assertFalse(matches("n IN (:a, :b)", ":a", s("10"), ":b", b(0x31, 0x30)));
        assertFalse(matches("t = :v", ":v", s("true")));
        assertFalse(matches("z = :v", ":v", bool(false)));
        assertTrue(matches("z = :v", ":v", nul()));
        assertFalse(matches("ss = :v", ":v", l(s("a"), s("b"), s("c"))));
        assertFalse(matches("l = :v", ":v", ns("1", "2")));
        assertFalse(matches("nothing = :v", ":v", n("1")));
        assertTrue(matches("nothing <> :v", ":v", n("1")));
        assertFalse(matches("nothing < :v OR nothing >= :v", ":v", n("1")));
    }

    @Test
    void numbersCompareExactlyWhateverTheirNotation() {
        assertTrue(matches("n = :v", ":v", n("1E1")));
        assertTrue(matches("n = :v", ":v", n("10.000")));
        assertTrue(matches("big = :v", ":v", n(BIG)));
        assertTrue(matches("big < :v", ":v", n("12345678901234567890123456789012345679")));
        assertTrue(matches("big > :v", ":v", n("12345678901234567890123456789012345677")));
        assertTrue(matches("n > :v", ":v", n("9.9999999999999999999999999999999999999")));
        assertTrue(matches("n < :v", ":v", n("10.000000000000000000000000000000000001")));
        assertTrue(matches("ns = :v", ":v", ns("2.50", "1")));
    }

    @Test
    void arithmeticIsExactDecimalAndRefusesNumbersDynamoDbCannotStore() {
        Map<String, AttributeValue> key = item("pk", s("math"));
        var r = SERVER.client().updateItem(u -> u.tableName(TABLE).key(key).returnValues(ReturnValue.ALL_NEW)
                .updateExpression("SET tenth = :a + :b, diff = :big - :one, neg = :a - :b")
                .expressionAttributeValues(item(":a", n("0.1"), ":b", n("0.2"), ":big", n(BIG), ":one", n("1"))));
        assertEquals("0.3", r.attributes().get("tenth").n());
        assertEquals("12345678901234567890123456789012345677", r.attributes().get("diff").n());
        assertEquals("-0.1", r.attributes().get("neg").n());
        assertValidation("Number overflow. Attempting to store a number with magnitude larger than supported range",
                () -> SERVER.client().updateItem(u -> u.tableName(TABLE).key(key).updateExpression("ADD diff :tiny")
                        .expressionAttributeValues(item(":tiny", n("0.1")))));
    }

    @Test
    void setsAndMapsAreEqualRegardlessOfOrderButListsAreNot() {
        assertTrue(matches("ss = :v", ":v", ss("c", "a", "b")));
        assertFalse(matches("ss = :v", ":v", ss("a", "b")));
        assertTrue(matches("bs = :v", ":v", bs(2, 1)));
        assertTrue(matches("m = :v", ":v", m("y", l(s("a")), "x", n("1.0"))));
        assertTrue(matches("l = :v", ":v", l(n("1"), n("2"))));
        assertFalse(matches("l = :v", ":v", l(n("2"), n("1"))));
        assertTrue(matches("contains(ns, :v)", ":v", n("2.50")));
        assertTrue(matches("contains(bs, :v)", ":v", b(2)));
    }

    @Test
    void stringsOrderByUtf8BytesSoSupplementaryCharactersSortAfterTheBmp() {
        assertTrue(matches("emoji > :v", ":v", s("\uFFFF")));
        assertTrue(matches("s < :v", ":v", s("9")));
        assertTrue(matches("s BETWEEN :lo AND :hi", ":lo", s("1"), ":hi", s("10")));
    }

    @Test
    void sizeGivesLengthsAndCountsAndNothingForOtherTypes() {
        List<String> sized = List.of("size(s) = :two", "size(b) = :two", "size(l) = :two", "size(m) = :two",
                "size(bs) = :two", "size(ns) = :two");
        for (String filter : sized) {
            assertTrue(matches(filter, ":two", n("2")), filter);
        }
        assertTrue(matches("size(ss) = :three", ":three", n("3")));
        assertTrue(matches("size(m.y) < size(ss)"));
        for (String attribute : List.of("n", "t", "z", "nothing")) {
            assertFalse(matches("size(" + attribute + ") >= :zero", ":zero", n("0")), attribute);
            assertTrue(matches("NOT size(" + attribute + ") >= :zero", ":zero", n("0")), attribute);
        }
    }
}
