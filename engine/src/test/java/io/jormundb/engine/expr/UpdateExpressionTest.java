package io.jormundb.engine.expr;

import io.jormundb.engine.value.Item;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static io.jormundb.engine.expr.Fixtures.assertValidation;
import static io.jormundb.engine.expr.Fixtures.item;
import static io.jormundb.engine.expr.Fixtures.l;
import static io.jormundb.engine.expr.Fixtures.m;
import static io.jormundb.engine.expr.Fixtures.n;
import static io.jormundb.engine.expr.Fixtures.ns;
import static io.jormundb.engine.expr.Fixtures.p;
import static io.jormundb.engine.expr.Fixtures.s;
import static io.jormundb.engine.expr.Fixtures.ss;
import static io.jormundb.engine.expr.Fixtures.update;
import static org.junit.jupiter.api.Assertions.assertEquals;

class UpdateExpressionTest {
    private static final Item ITEM = item("pk", s("k"), "a", n("10"), "lst", l(s("x"), s("y"), s("z")),
            "mp", m("b", m("c", n("1"))), "tags", ss("p", "q"));

    @Test
    void updateSetsTopLevelAndNestedAttributes() {
        Item out = update("SET x = :v, mp.b.c = :w, mp.nw = :v", ITEM, ":v", s("new"), ":w", n("2"));
        assertEquals(s("new"), out.get("x"));
        assertEquals(m("b", m("c", n("2")), "nw", s("new")), out.get("mp"));
    }

    @Test
    void updateDoesArithmeticExactly() {
        Item out = update("SET a = a + :n, c = :n - a", ITEM, ":n", n("0.1"));
        assertEquals(n("10.1"), out.get("a"));
        assertEquals(n("-9.9"), out.get("c"));
    }

    @Test
    void updateReadsEveryOperandFromTheOriginalItem() {
        Item out = update("SET a = :n, b = a", ITEM, ":n", n("99"));
        assertEquals(n("99"), out.get("a"));
        assertEquals(n("10"), out.get("b"));
    }

    @Test
    void updateIfNotExistsKeepsAnExistingValue() {
        Item out = update("SET a = if_not_exists(a, :z), c = if_not_exists(c, :z)", ITEM, ":z", n("0"));
        assertEquals(n("10"), out.get("a"));
        assertEquals(n("0"), out.get("c"));
    }

    @Test
    void updateListAppendConcatenatesInOrder() {
        Item out = update("SET lst = list_append(:front, lst), e = list_append(if_not_exists(e, :empty), :front)",
                ITEM, ":front", l(s("w")), ":empty", l());
        assertEquals(l(s("w"), s("x"), s("y"), s("z")), out.get("lst"));
        assertEquals(l(s("w")), out.get("e"));
    }

    @Test
    void updateSetPastTheEndOfAListAppends() {
        Item out = update("SET lst[10] = :v, lst[7] = :w, lst[1] = :w", ITEM, ":v", s("ten"), ":w", s("seven"));
        assertEquals(l(s("x"), s("seven"), s("z"), s("seven"), s("ten")), out.get("lst"));
    }

    @Test
    void updateRemovesSeveralListIndexesByTheirOldPositions() {
        Item out = update("REMOVE lst[0], lst[2], lst[9]", ITEM);
        assertEquals(l(s("y")), out.get("lst"));
    }

    @Test
    void updateRemovesAttributesAndMapEntries() {
        Item out = update("REMOVE a, mp.b.c, nothing", ITEM);
        assertEquals(null, out.get("a"));
        assertEquals(m("b", m()), out.get("mp"));
    }

    @Test
    void updateAddsToMissingNumberFromZero() {
        assertEquals(n("5"), update("ADD cnt :n", ITEM, ":n", n("5")).get("cnt"));
        assertEquals(n("15"), update("ADD a :n", ITEM, ":n", n("5")).get("a"));
    }

    @Test
    void updateAddUnitesSets() {
        assertEquals(ss("p", "q", "r"), update("ADD tags :s", ITEM, ":s", ss("q", "r")).get("tags"));
        assertEquals(ns("1"), update("ADD fresh :s", ITEM, ":s", ns("1")).get("fresh"));
    }

    @Test
    void updateDeleteRemovesSetMembersAndTheAttributeWhenEmpty() {
        assertEquals(ss("q"), update("DELETE tags :s", ITEM, ":s", ss("p", "zz")).get("tags"));
        assertEquals(null, update("DELETE tags :s", ITEM, ":s", ss("p", "q")).get("tags"));
        assertEquals(ITEM, update("DELETE nothing :s", ITEM, ":s", ss("p")));
    }

    @Test
    void updateOfNoItemIsAnUpsert() {
        Item out = update("SET a = :v ADD c :n", Item.EMPTY, ":v", s("x"), ":n", n("1"));
        assertEquals(item("a", s("x"), "c", n("1")), out);
    }

    @Test
    void updateClausesMayComeInAnyOrderAndCase() {
        Item out = update("remove a add cnt :n set x = :n", ITEM, ":n", n("1"));
        assertEquals(n("1"), out.get("cnt"));
        assertEquals(n("1"), out.get("x"));
        assertEquals(null, out.get("a"));
    }

    @Test
    void updatedAttributesProjectTheTouchedPaths() {
        Update u = Expressions.update("SET mp.b.c = :v REMOVE a", p(":v", n("2")), Set.of("pk"));
        Item next = u.apply(ITEM);
        assertEquals(item("mp", m("b", m("c", n("1"))), "a", n("10")), u.updatedAttributes(ITEM));
        assertEquals(item("mp", m("b", m("c", n("2")))), u.updatedAttributes(next));
    }

    @Test
    void updatingAKeyAttributeIsRejected() {
        assertValidation("One or more parameter values were invalid: Cannot update attribute pk. This attribute is "
                + "part of the key", () -> update("SET pk = :v", ITEM, ":v", s("x")));
    }

    @Test
    void settingBelowAMissingParentIsRejected() {
        assertValidation("The document path provided in the update expression is invalid for update",
                () -> update("SET nothing.b = :v", ITEM, ":v", s("x")));
        assertValidation("The document path provided in the update expression is invalid for update",
                () -> update("SET a.b = :v", ITEM, ":v", s("x")));
        assertValidation("The document path provided in the update expression is invalid for update",
                () -> update("SET mp[0] = :v", ITEM, ":v", s("x")));
    }

    @Test
    void readingAMissingAttributeIsRejected() {
        assertValidation("The provided expression refers to an attribute that does not exist in the item",
                () -> update("SET a = nothing + :n", ITEM, ":n", n("1")));
        assertValidation("The provided expression refers to an attribute that does not exist in the item",
                () -> update("SET a = list_append(nothing, :l)", ITEM, ":l", l()));
    }

    @Test
    void wrongTypesAtRunTimeAreRejected() {
        assertValidation("An operand in the update expression has an incorrect data type",
                () -> update("SET x = lst + :n", ITEM, ":n", n("1")));
        assertValidation("An operand in the update expression has an incorrect data type",
                () -> update("SET x = list_append(a, :l)", ITEM, ":l", l()));
        assertValidation("An operand in the update expression has an incorrect data type",
                () -> update("ADD tags :n", ITEM, ":n", n("1")));
        assertValidation("An operand in the update expression has an incorrect data type",
                () -> update("DELETE tags :s", ITEM, ":s", ns("1")));
        // a wrong type is reported before a missing attribute
        assertValidation("An operand in the update expression has an incorrect data type",
                () -> update("SET x = nothing + lst", ITEM));
    }

    @Test
    void wrongLiteralTypesAreRejectedWhenBound() {
        assertValidation("Invalid UpdateExpression: Incorrect operand type for operator or function; operator or "
                + "function: +, operand type: S", () -> update("SET a = a + :v", ITEM, ":v", s("1")));
        assertValidation("Invalid UpdateExpression: Incorrect operand type for operator or function; operator or "
                + "function: list_append, operand type: N", () -> update("SET a = list_append(a, :v)", ITEM, ":v", n("1")));
        assertValidation("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, "
                + "operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND", () -> update("ADD a :v", ITEM, ":v", s("1")));
        assertValidation("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, "
                + "operand type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND", () -> update("DELETE a :v", ITEM, ":v", n("1")));
    }

    @Test
    void numberOverflowIsRejected() {
        assertValidation("Number overflow. Attempting to store a number with magnitude larger than supported range",
                () -> update("SET a = :big + :big", ITEM, ":big", n("9E+125")));
    }

    @Test
    void functionsOfConditionsAreNotAllowedInUpdates() {
        assertValidation("Invalid UpdateExpression: The function is not allowed in an update expression; "
                + "function: attribute_exists", () -> update("SET a = attribute_exists(b)", ITEM));
        assertValidation("Invalid UpdateExpression: The function is not allowed in an update expression; "
                + "function: size", () -> update("SET a = size(b)", ITEM));
        assertValidation("Invalid UpdateExpression: Incorrect number of operands for operator or function; "
                + "operator or function: list_append, number of operands: 1", () -> update("SET a = list_append(b)", ITEM));
        assertValidation("Invalid UpdateExpression: Operator or function requires a document path; operator or "
                + "function: if_not_exists", () -> update("SET a = if_not_exists(:v, b)", ITEM, ":v", n("1")));
        // DynamoDB takes list_append of if_not_exists, and if_not_exists of if_not_exists, not list_append of list_append.
        assertValidation("Invalid UpdateExpression: The function is not allowed to be used this way in an expression; "
                + "function: list_append", () -> update("SET a = list_append(list_append(:l, :l), :l)", ITEM, ":l", l()));
        assertValidation("Invalid UpdateExpression: The function is not allowed to be used this way in an expression; "
                + "function: list_append", () -> update("SET a = list_append(:l, list_append(list_append(:l, :l), :l))",
                ITEM, ":l", l()));
    }

    @Test
    void eachSectionAppearsOnce() {
        assertValidation("Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;",
                () -> update("SET a = :v REMOVE b SET c = :v", ITEM, ":v", n("1")));
    }

    @Test
    void overlappingAndConflictingPathsAreRejected() {
        assertValidation("Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite "
                + "one of these paths; path one: [a, b], path two: [a]",
                () -> update("SET a.b = :v REMOVE a", ITEM, ":v", n("1")));
        assertValidation("Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite "
                + "one of these paths; path one: [a], path two: [a]",
                () -> update("SET a = :v, #a = :v", ITEM, ":v", n("1"), "#a", "a"));
        assertValidation("Invalid UpdateExpression: Two document paths conflict with each other; must remove or "
                + "rewrite one of these paths; path one: [a, [1]], path two: [a, b]",
                () -> update("SET a[1] = :v, a.b = :v", ITEM, ":v", n("1")));
    }

    @Test
    void removeOfAListElementBelowAMissingParentIsRejected() {
        assertValidation("The document path provided in the update expression is invalid for update",
                () -> update("REMOVE nothing[1]", ITEM));
    }
}
