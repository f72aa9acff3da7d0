package io.jormundb.engine.expr;

import io.jormundb.engine.catalog.KeyAttribute;
import io.jormundb.engine.catalog.KeySchema;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.jormundb.engine.expr.Fixtures.PK;
import static io.jormundb.engine.expr.Fixtures.SK;
import static io.jormundb.engine.expr.Fixtures.assertValidation;
import static io.jormundb.engine.expr.Fixtures.n;
import static io.jormundb.engine.expr.Fixtures.p;
import static io.jormundb.engine.expr.Fixtures.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyConditionTest {
    private static final KeyAttribute STRING_SK = new KeyAttribute("sk", "S");

    private static KeyCondition key(String text, Object... placeholders) {
        return Expressions.keyCondition(text, p(placeholders), PK, SK);
    }

    private static KeyCondition hashOnly(String text, Object... placeholders) {
        return Expressions.keyCondition(text, p(placeholders), PK, null);
    }

    @Test
    void partitionKeyAloneGivesNoSortCondition() {
        KeyCondition k = key("pk = :p", ":p", s("a"));
        assertEquals(s("a"), k.partitionKey());
        assertNull(k.sortKey());
    }

    @Test
    void sortKeyConditionMayComeFirstAndOperandsMaySwap() {
        KeyCondition k = key(":s < sk AND #p = :p", ":s", n("5"), "#p", "pk", ":p", s("a"));
        assertEquals(new SortKeyCondition(SortKeyCondition.Operator.GT, n("5"), null), k.sortKey());
        assertTrue(k.sortKey().test(n("6")));
        assertFalse(k.sortKey().test(n("5")));
    }

    @Test
    void betweenAndBeginsWithAreSortKeyConditions() {
        KeyCondition between = key("pk = :p AND sk BETWEEN :a AND :b", ":p", s("a"), ":a", n("1"), ":b", n("3"));
        assertEquals(new SortKeyCondition(SortKeyCondition.Operator.BETWEEN, n("1"), n("3")), between.sortKey());
        assertTrue(between.sortKey().test(n("3")));
        KeyCondition begins = Expressions.keyCondition("(pk = :p) AND (begins_with(sk, :x))",
                p(":p", s("a"), ":x", s("ab")), PK, STRING_SK);
        assertEquals(new SortKeyCondition(SortKeyCondition.Operator.BEGINS_WITH, s("ab"), null), begins.sortKey());
        assertTrue(begins.sortKey().test(s("abc")));
    }

    @Test
    void onlyAndCombinesKeyConditions() {
        assertValidation("Invalid operator used in KeyConditionExpression: OR",
                () -> key("pk = :p OR sk = :s", ":p", s("a"), ":s", n("1")));
        assertValidation("Invalid operator used in KeyConditionExpression: NOT", () -> key("NOT pk = :p", ":p", s("a")));
        assertValidation("Invalid operator used in KeyConditionExpression: <>", () -> key("pk <> :p", ":p", s("a")));
        assertValidation("Invalid operator used in KeyConditionExpression: IN", () -> key("pk IN (:p)", ":p", s("a")));
        assertValidation("Invalid operator used in KeyConditionExpression: attribute_exists",
                () -> key("attribute_exists(pk)"));
    }

    @Test
    void keyConditionsAreSimpleComparisonsOnKeyAttributes() {
        assertValidation("KeyConditionExpressions cannot contain nested operations",
                () -> key("pk = :p AND size(sk) > :s", ":p", s("a"), ":s", n("1")));
        assertValidation("KeyConditionExpressions cannot have conditions on nested attributes",
                () -> key("pk.x = :p", ":p", s("a")));
        assertValidation("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition",
                () -> key("pk = sk"));
        assertValidation("Invalid condition in KeyConditionExpression: No key attribute specified",
                () -> key(":a = :b", ":a", s("a"), ":b", s("b")));
        assertValidation("KeyConditionExpressions must only contain one condition per key",
                () -> key("pk = :p AND pk = :p", ":p", s("a")));
        assertValidation("Invalid condition in KeyConditionExpression: begins_with operator must have the key "
                + "attribute as its first operand", () -> key("begins_with(:x, sk)", ":x", s("a")));
        assertValidation("Conditions can be of length 1 or 2 only",
                () -> key("pk = :p AND sk = :s AND x = :s", ":p", s("a"), ":s", n("1")));
    }

    @Test
    void keyConditionMustFitTheKeySchema() {
        assertValidation("Query condition missed key schema element: pk", () -> key("sk = :s", ":s", n("1")));
        assertValidation("Query condition missed key schema element: sk",
                () -> key("pk = :p AND extra = :s", ":p", s("a"), ":s", n("1")));
        assertValidation("Query key condition not supported", () -> key("pk > :p", ":p", s("a")));
        assertValidation("Query key condition not supported",
                () -> hashOnly("pk = :p AND sk = :s", ":p", s("a"), ":s", n("1")));
        assertValidation("Query key condition not supported",
                () -> hashOnly("y = :p AND z = :p", ":p", s("a")));
    }

    @Test
    void keyConditionValuesMustHaveTheKeyTypes() {
        assertValidation("One or more parameter values were invalid: Condition parameter type does not match schema type",
                () -> key("pk = :p", ":p", n("1")));
        assertValidation("One or more parameter values were invalid: Condition parameter type does not match schema type",
                () -> key("pk = :p AND begins_with(sk, :x)", ":p", s("a"), ":x", s("1")));
        assertValidation("Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or "
                + "function: begins_with, operand type: N", () -> key("pk = :p AND begins_with(sk, :x)", ":p", s("a"),
                ":x", n("1")));
        assertValidation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
                + "contain an empty string value. Key: pk", () -> key("pk = :p", ":p", s("")));
    }

    @Test
    void keyConditionBetweenBoundsMustBeInOrder() {
        assertValidation("Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than "
                + "or equal to lower bound; lower bound operand: AttributeValue: {N:3}, upper bound operand: "
                + "AttributeValue: {N:1}", () -> key("pk = :p AND sk BETWEEN :a AND :b", ":p", s("a"), ":a", n("3"),
                ":b", n("1")));
    }

    // Multi-attribute keys of global indexes: a, b (HASH), x (S), y (N) (RANGE).

    private static final KeySchema MULTI = new KeySchema(
            List.of(new KeyAttribute("a", "S"), new KeyAttribute("b", "N")),
            List.of(new KeyAttribute("x", "S"), new KeyAttribute("y", "N")));

    private static KeyCondition multi(String text, Object... placeholders) {
        return Expressions.keyCondition(text, p(placeholders), MULTI);
    }

    @Test
    void everyPartitionAttributeWithEqualityAndASortPrefixMakeAKeyCondition() {
        KeyCondition k = multi("b = :b AND a = :a", ":a", s("t"), ":b", n("7"));
        assertEquals(List.of(s("t"), n("7")), k.partition(), "in schema order, whatever the expression's order");
        assertEquals(List.of(), k.sortKeyPrefix());
        assertNull(k.sortKey());
        KeyCondition prefix = multi("a = :a AND b = :b AND x = :x", ":a", s("t"), ":b", n("7"), ":x", s("r"));
        assertEquals(List.of(), prefix.sortKeyPrefix());
        assertEquals(new SortKeyCondition(SortKeyCondition.Operator.EQ, s("r"), null), prefix.sortKey());
        KeyCondition range = multi("y BETWEEN :lo AND :hi AND a = :a AND x = :x AND b = :b", ":a", s("t"),
                ":b", n("7"), ":x", s("r"), ":lo", n("1"), ":hi", n("2"));
        assertEquals(List.of(s("r")), range.sortKeyPrefix());
        assertEquals(new SortKeyCondition(SortKeyCondition.Operator.BETWEEN, n("1"), n("2")), range.sortKey());
    }

    @Test
    void multiAttributeKeyConditionsMustNameEveryPartitionAttributeAndASortPrefix() {
        assertValidation("Query condition missed key schema element: b", () -> multi("a = :a", ":a", s("t")));
        assertValidation("Query key condition not supported",
                () -> multi("a = :a AND b > :b", ":a", s("t"), ":b", n("7")));
        assertValidation("RANGE key attributes x must have equality conditions specified in the query because a "
                + "condition is present on key attribute y",
                () -> multi("a = :a AND b = :b AND y = :y", ":a", s("t"), ":b", n("7"), ":y", n("1")));
        assertValidation("RANGE key attributes x must have equality conditions specified in the query because a "
                + "condition is present on key attribute y", () -> multi("a = :a AND b = :b AND x > :x AND y = :y",
                ":a", s("t"), ":b", n("7"), ":x", s("r"), ":y", n("1")));
        assertValidation("Query condition missed key schema element: y", () -> multi("a = :a AND b = :b AND x = :x "
                + "AND z = :x", ":a", s("t"), ":b", n("7"), ":x", s("r")));
        assertValidation("Conditions can be of length 1 or 2 only", () -> multi("a = :a AND b = :b AND x = :x AND "
                + "y = :y AND z = :y", ":a", s("t"), ":b", n("7"), ":x", s("r"), ":y", n("1")));
    }
}
