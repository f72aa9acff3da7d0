package io.jormundb.engine.expr;

import io.jormundb.engine.value.AttributeValue;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static io.jormundb.engine.expr.Fixtures.assertValidation;
import static io.jormundb.engine.expr.Fixtures.n;
import static io.jormundb.engine.expr.Fixtures.p;

class PlaceholdersTest {
    @Test
    void everyPlaceholderUsedAcrossTheRequestPasses() {
        Placeholders p = p("#a", "a", ":v", n("1"), ":w", n("2"));
        Expressions.update("SET #a = :v", p, Set.of());
        Expressions.condition("b = :w", ExpressionKind.CONDITION, p);
        p.checkAllUsed();
    }

    @Test
    void unusedValueIsReported() {
        Placeholders p = p(":v", n("1"), ":x", n("2"));
        Expressions.condition("a = :v", ExpressionKind.CONDITION, p);
        assertValidation("Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}", p::checkAllUsed);
    }

    @Test
    void unusedNamesAreReportedBeforeUnusedValues() {
        Placeholders p = p("#n", "n", ":x", n("2"));
        Expressions.projection("a", p);
        assertValidation("Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}", p::checkAllUsed);
    }

    @Test
    void severalUnusedKeysAreListedInJavaHashSetOrder() {
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        values.put(":zz", n("1"));
        values.put(":a", n("1"));
        values.put(":b", n("1"));
        Placeholders p = new Placeholders(null, values);
        assertValidation("Value provided in ExpressionAttributeValues unused in expressions: keys: {:a, :b, :zz}",
                p::checkAllUsed);
    }

    @Test
    void placeholderMapsAreChecked() {
        assertValidation("ExpressionAttributeNames must not be empty", () -> new Placeholders(Map.of(), null));
        assertValidation("ExpressionAttributeValues must not be empty", () -> new Placeholders(null, Map.of()));
        assertValidation("ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\"",
                () -> new Placeholders(Map.of("a", "a"), null));
        assertValidation("ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\"",
                () -> new Placeholders(null, Map.of("v", n("1"))));
        assertValidation("ExpressionAttributeNames contains invalid value: Empty attribute name for key #a",
                () -> new Placeholders(Map.of("#a", ""), null));
    }

    @Test
    void noPlaceholdersIsAlwaysFullyUsed() {
        Placeholders.none().checkAllUsed();
    }
}
