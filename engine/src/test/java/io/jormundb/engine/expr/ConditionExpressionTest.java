package io.jormundb.engine.expr;

import io.jormundb.engine.value.Item;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.jormundb.engine.expr.Fixtures.assertValidation;
import static io.jormundb.engine.expr.Fixtures.b;
import static io.jormundb.engine.expr.Fixtures.bool;
import static io.jormundb.engine.expr.Fixtures.holds;
import static io.jormundb.engine.expr.Fixtures.item;
import static io.jormundb.engine.expr.Fixtures.l;
import static io.jormundb.engine.expr.Fixtures.m;
import static io.jormundb.engine.expr.Fixtures.n;
import static io.jormundb.engine.expr.Fixtures.ns;
import static io.jormundb.engine.expr.Fixtures.p;
import static io.jormundb.engine.expr.Fixtures.s;
import static io.jormundb.engine.expr.Fixtures.ss;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConditionExpressionTest {
    private static final Item ITEM = item(
            "nm", s("ana"), "age", n("30"), "tags", ss("x", "y"), "scores", ns("1", "2.5"),
            "lst", l(s("a"), n("1"), m("k", s("v"))), "mp", m("inr", m("deep", n("7"))),
            "bin", b(1, 2, 3), "flag", bool(true));

    @Test
    void conditionNamesTheAttributesItsPathsStartAtInTheOrderWritten() {
        Condition c = Fixtures.condition("size(#t) > :v AND (attribute_exists(mp.inr) OR lst[1] IN (age, :v)) "
                + "AND begins_with(nm, :p)", "#t", "tags", ":v", n("1"), ":p", s("a"));
        assertEquals(List.of("tags", "mp", "lst", "age", "nm"), List.copyOf(c.attributes()));
        assertEquals(List.of("mp", "lst"), List.copyOf(c.nestedAttributes()));
    }

    @Test
    void comparisonsWorkOnNumbersByValue() {
        assertTrue(holds("age = :v", ITEM, ":v", n("30.00")));
        assertTrue(holds("age < :v", ITEM, ":v", n("100")));
        assertTrue(holds("age >= :v", ITEM, ":v", n("30")));
        assertFalse(holds("age > :v", ITEM, ":v", n("30")));
        assertTrue(holds("age <> :v", ITEM, ":v", n("31")));
    }

    @Test
    void stringsCompareByUtf8BytesNotUtf16() {
        Item it = item("a", s("\uFFFF"));
        assertTrue(holds("a < :v", it, ":v", s("\uD83D\uDE00")));
        assertTrue(holds("a > :v", item("a", s("\u00BF")), ":v", s("z")));
    }

    @Test
    void binariesCompareAsUnsignedBytes() {
        assertTrue(holds("bin < :v", ITEM, ":v", b(0xFF)));
        assertTrue(holds("bin > :v", ITEM, ":v", b(1, 2)));
    }

    @Test
    void comparisonsBetweenDifferentTypesAreFalseAndNotEqualIsTrue() {
        assertFalse(holds("age = :v", ITEM, ":v", s("30")));
        assertFalse(holds("age < :v", ITEM, ":v", s("31")));
        assertTrue(holds("age <> :v", ITEM, ":v", s("30")));
    }

    @Test
    void missingAttributeMakesComparisonsFalseButNotEqualTrue() {
        assertFalse(holds("nope = :v", ITEM, ":v", n("1")));
        assertFalse(holds("nope < :v", ITEM, ":v", n("1")));
        assertTrue(holds("nope <> :v", ITEM, ":v", n("1")));
        assertFalse(holds("nope BETWEEN :a AND :b", ITEM, ":a", n("1"), ":b", n("2")));
        assertFalse(holds("nope IN (:a, :b)", ITEM, ":a", n("1"), ":b", n("2")));
    }

    @Test
    void setsCompareRegardlessOfOrder() {
        assertTrue(holds("tags = :v", ITEM, ":v", ss("y", "x")));
        assertTrue(holds("scores = :v", ITEM, ":v", ns("2.50", "1")));
        assertFalse(holds("tags <> :v", ITEM, ":v", ss("y", "x")));
    }

    @Test
    void betweenIsInclusiveOnBothEnds() {
        assertTrue(holds("age BETWEEN :a AND :b", ITEM, ":a", n("30"), ":b", n("30")));
        assertFalse(holds("age BETWEEN :a AND :b", ITEM, ":a", n("31"), ":b", n("40")));
    }

    @Test
    void inMatchesAnyCandidate() {
        assertTrue(holds("age IN (:a, :b)", ITEM, ":a", n("1"), ":b", n("30")));
        assertFalse(holds("age IN (:a)", ITEM, ":a", n("1")));
    }

    @Test
    void precedenceIsNotThenAndThenOr() {
        // true OR (false AND false) = true; (true OR false) AND false would be false
        assertTrue(holds("age = :t OR age = :f AND age = :f", ITEM, ":t", n("30"), ":f", n("1")));
        // NOT binds tighter than AND: (NOT true) AND true = false
        assertFalse(holds("NOT age = :t AND age = :t", ITEM, ":t", n("30")));
        assertTrue(holds("NOT (age = :t AND age = :f)", ITEM, ":t", n("30"), ":f", n("1")));
        assertTrue(holds("(age = :f OR age = :t) AND nm = :n", ITEM, ":t", n("30"), ":f", n("1"), ":n", s("ana")));
    }

    @Test
    void keywordsAreCaseInsensitive() {
        assertTrue(holds("age between :a and :b or not age in (:a)", ITEM, ":a", n("1"), ":b", n("40")));
    }

    @Test
    void nestedPathsAndListIndexesResolve() {
        assertTrue(holds("mp.inr.deep = :v", ITEM, ":v", n("7")));
        assertTrue(holds("lst[2].k = :v", ITEM, ":v", s("v")));
        assertTrue(holds("#m.#i.deep = :v", ITEM, "#m", "mp", "#i", "inr", ":v", n("7")));
        assertFalse(holds("lst[9] = :v", ITEM, ":v", s("a")));
        assertFalse(holds("nm.inr = :v", ITEM, ":v", s("a")));
    }

    @Test
    void attributeExistsAndNotExists() {
        assertTrue(holds("attribute_exists(mp.inr)", ITEM));
        assertFalse(holds("attribute_exists(mp.oth)", ITEM));
        assertTrue(holds("attribute_not_exists(pk)", ITEM));
        assertTrue(holds("attribute_not_exists(pk)", Item.EMPTY));
    }

    @Test
    void attributeTypeChecksTheWireType() {
        assertTrue(holds("attribute_type(tags, :t)", ITEM, ":t", s("SS")));
        assertFalse(holds("attribute_type(tags, :t)", ITEM, ":t", s("L")));
        assertFalse(holds("attribute_type(nope, :t)", ITEM, ":t", s("S")));
        // Of a value too, as DynamoDB allows.
        assertTrue(holds("attribute_type(:v, :t)", ITEM, ":v", n("0"), ":t", s("N")));
        assertFalse(holds("attribute_type(:v, :t)", ITEM, ":v", n("0"), ":t", s("S")));
    }

    @Test
    void beginsWithWorksOnStringsAndBinaries() {
        assertTrue(holds("begins_with(nm, :p)", ITEM, ":p", s("an")));
        assertFalse(holds("begins_with(nm, :p)", ITEM, ":p", s("na")));
        assertTrue(holds("begins_with(bin, :p)", ITEM, ":p", b(1, 2)));
        assertFalse(holds("begins_with(age, :p)", ITEM, ":p", s("3")));
    }

    @Test
    void containsFindsSubstringsSetMembersAndListElements() {
        assertTrue(holds("contains(nm, :v)", ITEM, ":v", s("n")));
        assertTrue(holds("contains(tags, :v)", ITEM, ":v", s("x")));
        assertFalse(holds("contains(tags, :v)", ITEM, ":v", s("z")));
        assertTrue(holds("contains(scores, :v)", ITEM, ":v", n("2.50")));
        assertTrue(holds("contains(lst, :v)", ITEM, ":v", m("k", s("v"))));
        assertTrue(holds("contains(bin, :v)", ITEM, ":v", b(2, 3)));
        assertFalse(holds("contains(age, :v)", ITEM, ":v", n("3")));
    }

    @Test
    void sizeCountsUtf16UnitsOfStringsAndElementsOfCollections() {
        Item it = item("s", s("\u00E9\uD834\uDD1E"), "l", l(n("1"), n("2")), "m", m("a", n("1")), "b", b(1, 2, 3));
        assertTrue(holds("size(s) = :v", it, ":v", n("3")));
        assertTrue(holds("size(l) = :v", it, ":v", n("2")));
        assertTrue(holds("size(m) = :v", it, ":v", n("1")));
        assertTrue(holds("size(b) > :v", it, ":v", n("2")));
        assertTrue(holds("size(tags) = :v", ITEM, ":v", n("2")));
    }

    @Test
    void sizeOfANumberOrMissingAttributeMakesTheComparisonFalse() {
        assertFalse(holds("size(age) > :v", ITEM, ":v", n("0")));
        assertFalse(holds("size(nope) >= :v", ITEM, ":v", n("0")));
    }

    @Test
    void emptyItemStandsForNoItem() {
        assertTrue(holds("attribute_not_exists(a) AND a <> :v", Item.EMPTY, ":v", s("x")));
    }

    @Test
    void functionsInTheWrongPlaceAreRejected() {
        assertValidation("Invalid ConditionExpression: The function is not allowed to be used this way in an "
                + "expression; function: size", () -> holds("size(a)", ITEM));
        assertValidation("Invalid ConditionExpression: The function is not allowed to be used this way in an "
                + "expression; function: begins_with", () -> holds("begins_with(a, :v) = :v", ITEM, ":v", s("x")));
        assertValidation("Invalid ConditionExpression: The function is not allowed in a condition expression; "
                + "function: if_not_exists", () -> holds("a = if_not_exists(b, :v)", ITEM, ":v", s("x")));
        assertValidation("Invalid ConditionExpression: Invalid function name; function: foo",
                () -> holds("foo(a)", ITEM));
    }

    @Test
    void functionOperandCountsAreChecked() {
        assertValidation("Invalid ConditionExpression: Incorrect number of operands for operator or function; "
                + "operator or function: begins_with, number of operands: 1", () -> holds("begins_with(a)", ITEM));
        assertValidation("Invalid ConditionExpression: Incorrect number of operands for operator or function; "
                + "operator or function: attribute_exists, number of operands: 2",
                () -> holds("attribute_exists(a, b)", ITEM));
    }

    @Test
    void operandTypesAreChecked() {
        assertValidation("Invalid ConditionExpression: Incorrect operand type for operator or function; "
                + "operator or function: begins_with, operand type: N",
                () -> holds("begins_with(a, :v)", ITEM, ":v", n("1")));
        assertValidation("Invalid ConditionExpression: Incorrect operand type for operator or function; "
                + "operator or function: <, operand type: BOOL", () -> holds("a < :v", ITEM, ":v", bool(true)));
        assertValidation("Invalid ConditionExpression: Incorrect operand type for operator or function; "
                + "operator or function: size, operand type: N", () -> holds("size(:v) > a", ITEM, ":v", n("1")));
        assertValidation("Invalid ConditionExpression: Operator or function requires a document path; "
                + "operator or function: attribute_exists", () -> holds("attribute_exists(:v)", ITEM, ":v", n("1")));
    }

    @Test
    void attributeTypeWantsAKnownTypeName() {
        assertValidation("Invalid ConditionExpression: Invalid attribute type name found; type: X, valid types: "
                + "{N,BS,L,B,NULL,M,S,SS,NS,BOOL}", () -> holds("attribute_type(a, :t)", ITEM, ":t", s("X")));
        assertValidation("Invalid ConditionExpression: Incorrect operand type for operator or function; "
                + "operator or function: attribute_type, operand type: N",
                () -> holds("attribute_type(a, :t)", ITEM, ":t", n("1")));
    }

    @Test
    void operandsMustBeDistinct() {
        assertValidation("Invalid ConditionExpression: The first operand must be distinct from the remaining "
                + "operands for this operator or function; operator: =, first operand: [a, b]",
                () -> holds("a.b = #a.b", ITEM, "#a", "a"));
        assertValidation("Invalid ConditionExpression: The first operand must be distinct from the remaining "
                + "operands for this operator or function; operator: begins_with, first operand: [a]",
                () -> holds("begins_with(a, a)", ITEM));
    }

    @Test
    void betweenBoundsMustBeOrderedAndOfOneType() {
        assertValidation("Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than "
                + "or equal to lower bound; lower bound operand: AttributeValue: {S:b}, upper bound operand: "
                + "AttributeValue: {S:a}", () -> holds("a BETWEEN :b AND :a", ITEM, ":a", s("a"), ":b", s("b")));
        assertValidation("Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and "
                + "upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}",
                () -> holds("a BETWEEN :b AND :a", ITEM, ":a", s("a"), ":b", n("1")));
    }

    @Test
    void inTakesAtMostOneHundredOperands() {
        Object[] placeholders = IntStream.range(0, 101).boxed()
                .flatMap(i -> java.util.stream.Stream.of(":v" + i, n(String.valueOf(i)))).toArray();
        String lst = IntStream.range(0, 101).mapToObj(i -> ":v" + i).collect(Collectors.joining(", "));
        assertValidation("Invalid ConditionExpression: The IN operator is provided with too many operands; "
                + "number of operands: 101", () -> holds("a IN (" + lst + ")", ITEM, placeholders));
        String hundred = IntStream.range(0, 100).mapToObj(i -> ":v" + i).collect(Collectors.joining(", "));
        Placeholders p = p(placeholders);
        assertTrue(Expressions.condition("age IN (" + hundred + ")", ExpressionKind.CONDITION, p).test(ITEM));
    }

    @Test
    void filterExpressionsNameThemselvesInMessages() {
        assertValidation("Invalid FilterExpression: Syntax error; token: \"<EOF>\", near: \"=\"",
                () -> Expressions.condition("a =", ExpressionKind.FILTER, p()));
    }

    @Test
    void undefinedPlaceholdersAreRejected() {
        assertValidation("Invalid ConditionExpression: An expression attribute value used in expression is not "
                + "defined; attribute value: :v", () -> holds("a = :v", ITEM));
        assertValidation("Invalid ConditionExpression: An expression attribute name used in the document path is "
                + "not defined; attribute name: #n", () -> holds("#n = :v", ITEM, ":v", n("1")));
    }

    @Test
    void documentPathsNestAtMostThirtyTwoLevels() {
        String ok = "a" + ".b".repeat(31);
        assertFalse(holds(ok + " = :v", ITEM, ":v", n("1")));
        assertValidation("Invalid ConditionExpression: The document path has too many nesting levels; "
                + "nesting levels: 33", () -> holds(ok + ".c = :v", ITEM, ":v", n("1")));
    }

    @Test
    void listIndexesBeyondIntRangeAreRejected() {
        assertValidation("Invalid ConditionExpression: List index is not within the allowable range; "
                + "index: [2147483648]", () -> holds("a[2147483648] = :v", ITEM, ":v", n("1")));
    }
}
