package io.jormundb.engine.expr;

import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.ItemSize;
import io.jormundb.engine.value.ValueLimits;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code ExpressionAttributeNames} and {@code ExpressionAttributeValues} of one request, and
 * which of them the request's expressions used. Either map may be null (absent).
 *
 * <p>Not thread-safe: it belongs to one request, which binds its expressions one after another
 * and then calls {@link #checkAllUsed()}.
 */
public final class Placeholders {
    private static final Pattern NAME_KEY = Pattern.compile("#[A-Za-z0-9_]+");
    private static final Pattern VALUE_KEY = Pattern.compile(":[A-Za-z0-9_]+");
    /** Longest placeholder ({@code #name} or {@code :value}), in bytes. */
    public static final int MAX_KEY_BYTES = 255;
    /** Most bytes the names and values of one request may hold together: 2 MB. */
    public static final long MAX_TOTAL_BYTES = 2L * 1024 * 1024;
    /** Most keys an "unused" error lists by name. */
    private static final int MAX_KEYS_NAMED = 50;

    private final Map<String, String> names;
    private final Map<String, AttributeValue> values;
    private final Set<String> usedNames = new HashSet<>();
    private final Set<String> usedValues = new HashSet<>();
    /** Bytes the two maps hold: keys, names and values. */
    private final long bytes;

    /**
     * Takes the two maps of a request, checking them as DynamoDB does: present maps must not be
     * empty, names start with {@code #} and values with {@code :}, followed by letters, digits or
     * {@code _}, at most {@value #MAX_KEY_BYTES} bytes in all; no name maps to an empty string or
     * one longer than an attribute name may be; and the two maps together (keys, names and
     * values) hold at most {@value #MAX_TOTAL_BYTES} bytes.
     */
    public Placeholders(Map<String, String> names, Map<String, AttributeValue> values) {
        this.names = names == null ? Map.of() : new LinkedHashMap<>(names);
        this.values = values == null ? Map.of() : new LinkedHashMap<>(values);
        long total = 0;
        if (names != null) {
            if (names.isEmpty()) {
                throw DynamoException.validation("ExpressionAttributeNames must not be empty");
            }
            for (Map.Entry<String, String> e : names.entrySet()) {
                checkKey(e.getKey(), NAME_KEY, "ExpressionAttributeNames");
                if (e.getValue() == null || e.getValue().isEmpty()) {
                    throw DynamoException.validation(
                            "ExpressionAttributeNames contains invalid value: Empty attribute name for key " + e.getKey());
                }
                ValueLimits.checkName(e.getValue());
                total += ItemSize.utf8Length(e.getKey()) + ItemSize.utf8Length(e.getValue());
            }
        }
        if (values != null) {
            if (values.isEmpty()) {
                throw DynamoException.validation("ExpressionAttributeValues must not be empty");
            }
            for (Map.Entry<String, AttributeValue> e : values.entrySet()) {
                checkKey(e.getKey(), VALUE_KEY, "ExpressionAttributeValues");
                total += ItemSize.utf8Length(e.getKey()) + ItemSize.of(e.getValue());
            }
        }
        if (total > MAX_TOTAL_BYTES) {
            throw DynamoException.validation("ExpressionAttributeNames and ExpressionAttributeValues together hold "
                    + total + " bytes, more than the " + MAX_TOTAL_BYTES + " (2 MB) allowed");
        }
        this.bytes = total;
    }

    /** Bytes the names and values hold together (their keys, names and value sizes). */
    public long bytes() {
        return bytes;
    }

    private static void checkKey(String key, Pattern syntax, String parameter) {
        if (!syntax.matcher(key).matches()) {
            throw DynamoException.validation(parameter + " contains invalid key: Syntax error; key: \"" + key + "\"");
        }
        if (key.length() > MAX_KEY_BYTES) {
            // The syntax allows ASCII only: characters are bytes.
            throw DynamoException.validation(parameter + " contains invalid key: Key is " + key.length()
                    + " bytes long, more than the " + MAX_KEY_BYTES + " allowed; key: \"" + key + "\"");
        }
    }

    /** No placeholders at all: a request that sent neither map. */
    public static Placeholders none() {
        return new Placeholders(null, null);
    }

    /**
     * After every expression of the request was bound: throws DynamoDB's ValidationException when
     * a name or value was never used (names are checked first). Keys are listed in the order
     * DynamoDB lists them, that of a Java {@link HashSet}.
     */
    public void checkAllUsed() {
        checkUsed(names.keySet(), usedNames, "ExpressionAttributeNames");
        checkUsed(values.keySet(), usedValues, "ExpressionAttributeValues");
    }

    private static void checkUsed(Set<String> all, Set<String> used, String parameter) {
        Set<String> unused = new HashSet<>(all);
        unused.removeAll(used);
        if (unused.isEmpty()) {
            return;
        }
        String named = String.join(", ", unused.stream().limit(MAX_KEYS_NAMED).toList());
        String rest = unused.size() > MAX_KEYS_NAMED ? ", …} (" + unused.size() + " keys in all)" : "}";
        throw DynamoException.validation("Value provided in " + parameter + " unused in expressions: keys: {"
                + named + rest);
    }

    /** The attribute name {@code #placeholder} stands for, marking it used; null when undefined. */
    String name(String placeholder) {
        String name = names.get(placeholder);
        if (name != null) {
            usedNames.add(placeholder);
        }
        return name;
    }

    /** The value {@code :placeholder} stands for, marking it used; null when undefined. */
    AttributeValue value(String placeholder) {
        AttributeValue value = values.get(placeholder);
        if (value != null) {
            usedValues.add(placeholder);
        }
        return value;
    }
}
