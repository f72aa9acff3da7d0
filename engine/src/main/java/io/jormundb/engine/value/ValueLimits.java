package io.jormundb.engine.value;

import io.jormundb.engine.error.DynamoException;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * DynamoDB's limits on the shape of an item, in one place: an attribute name (at any depth, a
 * map's keys included) is not empty and at most {@value #MAX_NAME_BYTES} UTF-8 bytes, and a value
 * nests at most {@value #MAX_DEPTH} levels, a top-level attribute's value being level 1 (so a
 * scalar inside 31 maps is the deepest allowed). The api checks what it reads from JSON as it
 * reads it; {@link #check(Item)} checks an item the engine built (an update's result).
 */
public final class ValueLimits {
    /** Deepest nesting of a value: its own level plus the lists and maps around it. */
    public static final int MAX_DEPTH = 32;
    /** Longest attribute name, in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 65_535;

    private ValueLimits() {
    }

    /** DynamoDB's error for a value nested deeper than {@link #MAX_DEPTH} levels. */
    public static DynamoException tooDeep() {
        return DynamoException.validation("Nesting Levels have exceeded supported limits: "
                + "Attributes in the item have nested levels beyond supported limit");
    }

    /** Refuses an empty attribute name or one longer than {@link #MAX_NAME_BYTES} bytes. */
    public static void checkName(String name) {
        if (name.isEmpty()) {
            throw DynamoException.validation("One or more parameter values were invalid: Empty attribute name");
        }
        if (name.length() > MAX_NAME_BYTES / 3) {
            int bytes = ItemSize.utf8Length(name);
            if (bytes > MAX_NAME_BYTES) {
                throw DynamoException.validation("One or more parameter values were invalid: An attribute name is "
                        + bytes + " bytes long, more than the " + MAX_NAME_BYTES + " allowed");
            }
        }
    }

    /**
     * The index of the first UTF-16 surrogate in {@code s} that is not half of a pair, or -1. A
     * string with one is not Unicode text: UTF-8 cannot hold it (Java would write it as '?'), so
     * it is refused before anything stores or compares it.
     */
    public static int loneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** Checks every name and the nesting of every value of {@code item}, without recursion. */
    public static void check(Item item) {
        Deque<Level> pending = new ArrayDeque<>();
        for (Map.Entry<String, AttributeValue> e : item.attributes().entrySet()) {
            checkName(e.getKey());
            pending.push(new Level(e.getValue(), 1));
        }
        while (!pending.isEmpty()) {
            Level level = pending.pop();
            if (level.depth() > MAX_DEPTH) {
                throw tooDeep();
            }
            switch (level.value()) {
                case AttributeValue.L l -> l.values().forEach(v -> pending.push(new Level(v, level.depth() + 1)));
                case AttributeValue.M m -> m.values().forEach((name, v) -> {
                    checkName(name);
                    pending.push(new Level(v, level.depth() + 1));
                });
                default -> {
                }
            }
        }
    }

    private record Level(AttributeValue value, int depth) {
    }
}
