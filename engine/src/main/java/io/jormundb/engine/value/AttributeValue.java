package io.jormundb.engine.value;

import io.jormundb.engine.error.DynamoException;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A DynamoDB attribute value. The compact constructors enforce what every value must satisfy
 * wherever it came from (numbers in normal form, sets non-empty without duplicates); rules that
 * depend on where a value stands (key attributes may not be empty) are checked by the operations.
 *
 * <p>Equality is DynamoDB's: numbers by value, sets regardless of order, binary by content.
 */
public sealed interface AttributeValue
        permits AttributeValue.S, AttributeValue.N, AttributeValue.B, AttributeValue.BOOL,
        AttributeValue.NULL, AttributeValue.L, AttributeValue.M, AttributeValue.SS,
        AttributeValue.NS, AttributeValue.BS {

    /** The type descriptor as it appears on the wire: {@code S}, {@code N}, {@code SS}, … */
    String type();

    record S(String value) implements AttributeValue {
        public S {
            if (value == null) {
                throw new IllegalArgumentException("null string");
            }
        }

        @Override
        public String type() {
            return "S";
        }
    }

    /** A number in normal form (see {@link Numbers}). */
    record N(BigDecimal value) implements AttributeValue {
        public N {
            value = Numbers.checked(value);
        }

        public static N parse(String text) {
            return new N(Numbers.parse(text));
        }

        public String text() {
            return Numbers.format(value);
        }

        @Override
        public String type() {
            return "N";
        }
    }

    record B(Bytes value) implements AttributeValue {
        public B {
            if (value == null) {
                throw new IllegalArgumentException("null binary");
            }
        }

        @Override
        public String type() {
            return "B";
        }
    }

    record BOOL(boolean value) implements AttributeValue {
        public static final BOOL TRUE = new BOOL(true);
        public static final BOOL FALSE = new BOOL(false);

        @Override
        public String type() {
            return "BOOL";
        }
    }

    record NULL() implements AttributeValue {
        public static final NULL INSTANCE = new NULL();

        @Override
        public String type() {
            return "NULL";
        }
    }

    record L(List<AttributeValue> values) implements AttributeValue {
        public L {
            values = List.copyOf(values);
        }

        @Override
        public String type() {
            return "L";
        }
    }

    /** A map; keeps the order in which its entries were given, for readable output. */
    record M(Map<String, AttributeValue> values) implements AttributeValue {
        public M {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }

        @Override
        public String type() {
            return "M";
        }
    }

    record SS(Set<String> values) implements AttributeValue {
        public SS {
            values = nonEmptySet(values, "SS");
        }

        @Override
        public String type() {
            return "SS";
        }
    }

    /** A number set; every member in normal form, so {@code 1.0} and {@code 1} are one member. */
    record NS(Set<BigDecimal> values) implements AttributeValue {
        public NS {
            LinkedHashSet<BigDecimal> normal = new LinkedHashSet<>();
            for (BigDecimal v : values) {
                normal.add(Numbers.checked(v));
            }
            values = nonEmptySet(normal, "NS");
        }

        @Override
        public String type() {
            return "NS";
        }
    }

    record BS(Set<Bytes> values) implements AttributeValue {
        public BS {
            values = nonEmptySet(values, "BS");
        }

        @Override
        public String type() {
            return "BS";
        }
    }

    private static <T> Set<T> nonEmptySet(Set<T> values, String type) {
        if (values.isEmpty()) {
            throw DynamoException.validation(
                    "One or more parameter values were invalid: An " + type + " may not be empty");
        }
        return Collections.unmodifiableSet(new LinkedHashSet<>(values));
    }
}
