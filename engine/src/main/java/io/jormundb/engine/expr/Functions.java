package io.jormundb.engine.expr;

import java.util.Map;

/** DynamoDB's expression functions (names are case sensitive), by where they may stand. */
final class Functions {
    /** Functions that are conditions in their own right, with their number of operands. */
    static final Map<String, Integer> CONDITIONS = Map.of(
            "attribute_exists", 1, "attribute_not_exists", 1, "attribute_type", 2, "begins_with", 2, "contains", 2);
    /** Functions that give an operand of a condition. */
    static final Map<String, Integer> CONDITION_OPERANDS = Map.of("size", 1);
    /** Functions of an update's SET values. */
    static final Map<String, Integer> UPDATE_OPERANDS = Map.of("if_not_exists", 2, "list_append", 2);

    private Functions() {
    }

    static boolean exists(String name) {
        return CONDITIONS.containsKey(name) || CONDITION_OPERANDS.containsKey(name) || UPDATE_OPERANDS.containsKey(name);
    }

    static int arity(String name) {
        Integer n = CONDITIONS.get(name);
        if (n == null) {
            n = CONDITION_OPERANDS.get(name);
        }
        if (n == null) {
            n = UPDATE_OPERANDS.get(name);
        }
        return n;
    }
}
