package io.jormundb.engine.expr;

import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Item;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.jormundb.engine.expr.Fixtures.PK;
import static io.jormundb.engine.expr.Fixtures.SK;
import static io.jormundb.engine.expr.Fixtures.assertValidation;
import static io.jormundb.engine.expr.Fixtures.bool;
import static io.jormundb.engine.expr.Fixtures.item;
import static io.jormundb.engine.expr.Fixtures.l;
import static io.jormundb.engine.expr.Fixtures.n;
import static io.jormundb.engine.expr.Fixtures.s;
import static io.jormundb.engine.expr.Fixtures.ss;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LegacyTest {
    private static final Item ITEM = item("a", n("5"), "s", s("hello"), "tags", ss("x", "y"), "l", l(n("1")));

    private static Legacy.FilterEntry f(String op, AttributeValue... args) {
        return new Legacy.FilterEntry(op, Arrays.asList(args));
    }

    private static boolean filter(String attribute, Legacy.FilterEntry entry) {
        return Legacy.filter("ScanFilter", Map.of(attribute, entry), null).test(ITEM);
    }

    @Test
    void filterComparisonOperatorsMatchDynamoDb() {
        assertTrue(filter("a", f("EQ", n("5"))));
        assertTrue(filter("a", f("NE", n("6"))));
        assertTrue(filter("missing", f("NE", n("6"))));
        assertTrue(filter("a", f("LE", n("5"))));
        assertTrue(filter("a", f("LT", n("6"))));
        assertTrue(filter("a", f("GE", n("5"))));
        assertFalse(filter("a", f("GT", n("5"))));
        assertTrue(filter("a", f("NOT_NULL")));
        assertTrue(filter("missing", f("NULL")));
        assertTrue(filter("s", f("CONTAINS", s("ell"))));
        assertTrue(filter("tags", f("CONTAINS", s("x"))));
        assertTrue(filter("tags", f("NOT_CONTAINS", s("z"))));
        assertFalse(filter("missing", f("NOT_CONTAINS", s("z"))));
        assertTrue(filter("s", f("BEGINS_WITH", s("he"))));
        assertTrue(filter("a", f("IN", n("1"), n("5"))));
        assertTrue(filter("a", f("BETWEEN", n("1"), n("5"))));
    }

    @Test
    void conditionalOperatorCombinesEntries() {
        Map<String, Legacy.FilterEntry> entries = new LinkedHashMap<>();
        entries.put("a", f("EQ", n("5")));
        entries.put("s", f("EQ", s("nope")));
        assertFalse(Legacy.filter("ScanFilter", entries, "AND").test(ITEM));
        assertTrue(Legacy.filter("ScanFilter", entries, "OR").test(ITEM));
        assertValidation("1 validation error detected: Value 'XOR' at 'conditionalOperator' failed to satisfy "
                + "constraint: Member must satisfy enum value set: [OR, AND]", () -> Legacy.filter("ScanFilter", entries, "XOR"));
    }

    @Test
    void argumentCountsAndTypesAreChecked() {
        assertValidation("One or more parameter values were invalid: Invalid number of argument(s) for the EQ "
                + "ComparisonOperator", () -> filter("a", f("EQ")));
        assertValidation("One or more parameter values were invalid: Invalid number of argument(s) for the NULL "
                + "ComparisonOperator", () -> filter("a", f("NULL", n("1"))));
        assertValidation("One or more parameter values were invalid: Invalid number of argument(s) for the BETWEEN "
                + "ComparisonOperator", () -> filter("a", f("BETWEEN", n("1"))));
        assertValidation("One or more parameter values were invalid: AttributeValues inside AttributeValueList must be "
                + "of same type", () -> filter("a", f("IN", n("1"), s("1"))));
        assertValidation("One or more parameter values were invalid: ComparisonOperator LT is not valid for BOOL "
                + "AttributeValue type", () -> filter("a", f("LT", bool(true))));
        assertValidation("One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not valid for "
                + "N AttributeValue type", () -> filter("a", f("BEGINS_WITH", n("1"))));
        assertValidation("The BETWEEN condition was provided a range where the lower bound is greater than the upper "
                + "bound", () -> filter("a", f("BETWEEN", n("9"), n("1"))));
    }

    @Test
    void expectedSupportsExistsValueAndComparisonOperators() {
        assertTrue(Legacy.expected(Map.of("a", new Legacy.ExpectedEntry(n("5"), null, null, null)), null).test(ITEM));
        assertTrue(Legacy.expected(Map.of("z", new Legacy.ExpectedEntry(null, false, null, null)), null).test(ITEM));
        assertFalse(Legacy.expected(Map.of("a", new Legacy.ExpectedEntry(null, false, null, null)), null).test(ITEM));
        assertTrue(Legacy.expected(Map.of("a", new Legacy.ExpectedEntry(n("4"), null, "GT", null)), null).test(ITEM));
        assertTrue(Legacy.expected(Map.of(), null).test(Item.EMPTY));
    }

    @Test
    void expectedEntriesAreValidated() {
        assertValidation("One or more parameter values were invalid: Value must be provided when Exists is null for "
                + "Attribute: a", () -> Legacy.expected(Map.of("a", new Legacy.ExpectedEntry(null, null, null, null)), null));
        assertValidation("One or more parameter values were invalid: Value must be provided when Exists is true for "
                + "Attribute: a", () -> Legacy.expected(Map.of("a", new Legacy.ExpectedEntry(null, true, null, null)), null));
        assertValidation("One or more parameter values were invalid: Value cannot be used when Exists is false for "
                + "Attribute: a", () -> Legacy.expected(Map.of("a", new Legacy.ExpectedEntry(n("1"), false, null, null)), null));
        assertValidation("One or more parameter values were invalid: Exists and ComparisonOperator cannot be used "
                + "together for Attribute: a", () -> Legacy.expected(
                Map.of("a", new Legacy.ExpectedEntry(n("1"), true, "EQ", null)), null));
        assertValidation("One or more parameter values were invalid: Value and AttributeValueList cannot be used "
                + "together for Attribute: a", () -> Legacy.expected(
                Map.of("a", new Legacy.ExpectedEntry(n("1"), null, "EQ", List.of(n("1")))), null));
        assertValidation("One or more parameter values were invalid: AttributeValueList can only be used with a "
                + "ComparisonOperator for Attribute: a", () -> Legacy.expected(
                Map.of("a", new Legacy.ExpectedEntry(null, null, null, List.of(n("1")))), null));
        assertValidation("One or more parameter values were invalid: Value or AttributeValueList must be used with "
                + "ComparisonOperator: EQ for Attribute: a", () -> Legacy.expected(
                Map.of("a", new Legacy.ExpectedEntry(null, null, "EQ", null)), null));
    }

    @Test
    void keyConditionsFollowTheKeySchema() {
        Map<String, Legacy.FilterEntry> conditions = new LinkedHashMap<>();
        conditions.put("sk", f("BETWEEN", n("1"), n("3")));
        conditions.put("pk", f("EQ", s("p")));
        KeyCondition k = Legacy.keyConditions(conditions, PK, SK);
        assertEquals(s("p"), k.partitionKey());
        assertEquals(new SortKeyCondition(SortKeyCondition.Operator.BETWEEN, n("1"), n("3")), k.sortKey());
        assertValidation("Attempted conditional constraint is not an indexable operation",
                () -> Legacy.keyConditions(Map.of("pk", f("NE", s("p"))), PK, SK));
        assertValidation("Query key condition not supported",
                () -> Legacy.keyConditions(Map.of("pk", f("BEGINS_WITH", s("p"))), PK, SK));
        assertValidation("Query condition missed key schema element: pk",
                () -> Legacy.keyConditions(Map.of("sk", f("EQ", n("1"))), PK, SK));
        assertValidation("Conditions can be of length 1 or 2 only", () -> Legacy.keyConditions(Map.of(), PK, SK));
        assertValidation("One or more parameter values were invalid: Condition parameter type does not match schema "
                + "type", () -> Legacy.keyConditions(Map.of("pk", f("EQ", n("1"))), PK, SK));
    }

    @Test
    void attributeUpdatesPutAddAndDelete() {
        Map<String, Legacy.AttributeUpdate> updates = new LinkedHashMap<>();
        updates.put("a", new Legacy.AttributeUpdate("ADD", n("2")));
        updates.put("s", new Legacy.AttributeUpdate(null, s("bye")));
        updates.put("tags", new Legacy.AttributeUpdate("DELETE", ss("x")));
        updates.put("l", new Legacy.AttributeUpdate("ADD", l(n("2"))));
        updates.put("gone", new Legacy.AttributeUpdate("DELETE", null));
        Update u = Legacy.attributeUpdates(updates, Set.of("pk"));
        Item out = u.apply(item("a", n("5"), "s", s("hello"), "tags", ss("x", "y"), "l", l(n("1")), "gone", n("0")));
        assertEquals(item("a", n("7"), "s", s("bye"), "tags", ss("y"), "l", l(n("1"), n("2"))), out);
    }

    @Test
    void attributeUpdatesAreValidated() {
        assertValidation("One or more parameter values were invalid: Only DELETE action is allowed when no attribute "
                + "value is specified", () -> Legacy.attributeUpdates(
                Map.of("a", new Legacy.AttributeUpdate("PUT", null)), Set.of()));
        assertValidation("One or more parameter values were invalid: DELETE action with value is not supported for "
                + "the type N", () -> Legacy.attributeUpdates(Map.of("a", new Legacy.AttributeUpdate("DELETE", n("1"))),
                Set.of()));
        assertValidation("One or more parameter values were invalid: ADD action is not supported for the type S",
                () -> Legacy.attributeUpdates(Map.of("a", new Legacy.AttributeUpdate("ADD", s("1"))), Set.of()));
        assertValidation("One or more parameter values were invalid: Cannot update attribute pk. This attribute is part "
                + "of the key", () -> Legacy.attributeUpdates(Map.of("pk", new Legacy.AttributeUpdate("PUT", s("1"))),
                Set.of("pk")));
        assertValidation("Type mismatch for attribute to update", () -> Legacy.attributeUpdates(
                Map.of("s", new Legacy.AttributeUpdate("ADD", n("1"))), Set.of()).apply(ITEM));
    }

    @Test
    void enumErrorsNameTheEntryAsDynamoDbRequestValidationDoes() {
        assertValidation("1 validation error detected: Value 'LIKE' at 'scanFilter.a.member.comparisonOperator' failed "
                + "to satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, "
                + "GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]", () -> filter("a", f("LIKE", n("1"))));
        assertValidation("1 validation error detected: Value null at 'queryFilter.a.member.comparisonOperator' failed "
                + "to satisfy constraint: Member must not be null",
                () -> Legacy.filter("QueryFilter", Map.of("a", f(null, n("1"))), null));
        assertValidation("1 validation error detected: Value 'eq' at 'expected.a.member.comparisonOperator' failed to "
                + "satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, "
                + "NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]", () -> Legacy.expected(
                Map.of("a", new Legacy.ExpectedEntry(n("1"), null, "eq", null)), null));
        assertValidation("1 validation error detected: Value 'GTE' at 'keyConditions.pk.member.comparisonOperator' "
                + "failed to satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, "
                + "NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]",
                () -> Legacy.keyConditions(Map.of("pk", f("GTE", s("p"))), PK, SK));
        assertValidation("1 validation error detected: Value 'SET' at 'attributeUpdates.a.member.action' failed to "
                + "satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]",
                () -> Legacy.attributeUpdates(Map.of("a", new Legacy.AttributeUpdate("SET", n("1"))), Set.of()));
    }

    @Test
    void conditionalOperatorNeedsTwoOrMoreConditions() {
        Legacy.checkConditionalOperator(null, 0);
        Legacy.checkConditionalOperator("OR", 2);
        assertValidation("ConditionalOperator cannot be used without Filter or Expected",
                () -> Legacy.checkConditionalOperator("AND", 0));
        assertValidation("ConditionalOperator can only be used when Filter or Expected has two or more elements",
                () -> Legacy.checkConditionalOperator("OR", 1));
        assertValidation("1 validation error detected: Value 'and' at 'conditionalOperator' failed to satisfy "
                + "constraint: Member must satisfy enum value set: [OR, AND]",
                () -> Legacy.checkConditionalOperator("and", 2));
    }

    @Test
    void legacyConditionsExposeTheAttributesTheyName() {
        Map<String, Legacy.FilterEntry> entries = new LinkedHashMap<>();
        entries.put("b", f("EQ", n("5")));
        entries.put("a", f("NULL"));
        Condition c = Legacy.filter("QueryFilter", entries, "OR");
        assertEquals(List.of("b", "a"), List.copyOf(c.attributes()));
        assertEquals(Set.of(), c.nestedAttributes());
    }

    @Test
    void onlyAnUpdateThatRemovesLeavesAMissingItemMissing() {
        assertFalse(Legacy.attributeUpdates(Map.of("a", new Legacy.AttributeUpdate("DELETE", null)), Set.of())
                .createsItem());
        assertTrue(Legacy.attributeUpdates(Map.of(), Set.of()).createsItem());
        assertTrue(Legacy.attributeUpdates(Map.of("a", new Legacy.AttributeUpdate("ADD", n("1"))), Set.of())
                .createsItem());
    }

    @Test
    void attributeUpdateOfNoItemStartsFromNothing() {
        Item out = Legacy.attributeUpdates(Map.of("c", new Legacy.AttributeUpdate("ADD", n("1"))), Set.of())
                .apply(Item.EMPTY);
        assertEquals(item("c", n("1")), out);
        assertNull(out.get("a"));
    }
}
