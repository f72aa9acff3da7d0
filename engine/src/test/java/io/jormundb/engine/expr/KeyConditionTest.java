package io.jormundb.engine.expr;

import io.jormundb.engine.catalog.KeyAttribute;
import org.junit.jupiter.api.Test;

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
}
