package io.jormundb.engine.expr;

import io.jormundb.engine.catalog.KeyAttribute;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.error.ErrorCode;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Bytes;
import io.jormundb.engine.value.Item;
import org.junit.jupiter.api.function.Executable;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Short builders for values, items and placeholders, and the exact-ValidationException assertion. */
final class Fixtures {
    static final KeyAttribute PK = new KeyAttribute("pk", "S");
    static final KeyAttribute SK = new KeyAttribute("sk", "N");

    private Fixtures() {
    }

    static AttributeValue.S s(String v) {
        return new AttributeValue.S(v);
    }

    static AttributeValue.N n(String v) {
        return AttributeValue.N.parse(v);
    }

    static AttributeValue.B b(int... bytes) {
        byte[] raw = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            raw[i] = (byte) bytes[i];
        }
        return new AttributeValue.B(Bytes.of(raw));
    }

    static AttributeValue.BOOL bool(boolean v) {
        return new AttributeValue.BOOL(v);
    }

    static AttributeValue.L l(AttributeValue... values) {
        return new AttributeValue.L(List.of(values));
    }

    static AttributeValue.SS ss(String... values) {
        return new AttributeValue.SS(new LinkedHashSet<>(Arrays.asList(values)));
    }

    static AttributeValue.NS ns(String... values) {
        Set<BigDecimal> set = new LinkedHashSet<>();
        for (String v : values) {
            set.add(new BigDecimal(v));
        }
        return new AttributeValue.NS(set);
    }

    /** {@code m("a", s("x"), "b", n("1"))}. */
    static AttributeValue.M m(Object... keysAndValues) {
        return new AttributeValue.M(map(keysAndValues));
    }

    /** {@code item("a", s("x"), "b", n("1"))}. */
    static Item item(Object... keysAndValues) {
        return new Item(map(keysAndValues));
    }

    /** Placeholders from {@code "#n", "name", ":v", value, …}: keys starting with # are names. */
    static Placeholders p(Object... keysAndValues) {
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            String key = (String) keysAndValues[i];
            if (key.startsWith("#")) {
                names.put(key, (String) keysAndValues[i + 1]);
            } else {
                values.put(key, (AttributeValue) keysAndValues[i + 1]);
            }
        }
        return new Placeholders(names.isEmpty() ? null : names, values.isEmpty() ? null : values);
    }

    static Condition condition(String text, Object... placeholders) {
        return Expressions.condition(text, ExpressionKind.CONDITION, p(placeholders));
    }

    static boolean holds(String text, Item item, Object... placeholders) {
        return condition(text, placeholders).test(item);
    }

    static Item update(String text, Item current, Object... placeholders) {
        return Expressions.update(text, p(placeholders), Set.of("pk")).apply(current);
    }

    static void assertValidation(String message, Executable executable) {
        DynamoException e = assertThrows(DynamoException.class, executable);
        assertEquals(ErrorCode.VALIDATION, e.code());
        assertEquals(message, e.getMessage());
    }

    private static Map<String, AttributeValue> map(Object... keysAndValues) {
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], (AttributeValue) keysAndValues[i + 1]);
        }
        return map;
    }
}
