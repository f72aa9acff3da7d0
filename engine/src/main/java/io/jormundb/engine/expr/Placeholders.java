package io.jormundb.engine.expr;

import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.value.AttributeValue;

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

    private final Map<String, String> names;
    private final Map<String, AttributeValue> values;
    private final Set<String> usedNames = new HashSet<>();
    private final Set<String> usedValues = new HashSet<>();

    /**
     * Takes the two maps of a request, checking them as DynamoDB does: present maps must not be
     * empty, names start with {@code #} and values with {@code :}, followed by letters, digits or
     * {@code _}, and no name maps to an empty string.
     */
    public Placeholders(Map<String, String> names, Map<String, AttributeValue> values) {
        this.names = names == null ? Map.of() : new LinkedHashMap<>(names);
        this.values = values == null ? Map.of() : new LinkedHashMap<>(values);
        if (names != null) {
            if (names.isEmpty()) {
                throw DynamoException.validation("ExpressionAttributeNames must not be empty");
            }
            for (Map.Entry<String, String> e : names.entrySet()) {
                if (!NAME_KEY.matcher(e.getKey()).matches()) {
                    throw DynamoException.validation(
                            "ExpressionAttributeNames contains invalid key: Syntax error; key: \"" + e.getKey() + "\"");
                }
                if (e.getValue() == null || e.getValue().isEmpty()) {
                    throw DynamoException.validation(
                            "ExpressionAttributeNames contains invalid value: Empty attribute name for key " + e.getKey());
                }
            }
        }
        if (values != null) {
            if (values.isEmpty()) {
                throw DynamoException.validation("ExpressionAttributeValues must not be empty");
            }
            for (String key : values.keySet()) {
                if (!VALUE_KEY.matcher(key).matches()) {
                    throw DynamoException.validation(
                            "ExpressionAttributeValues contains invalid key: Syntax error; key: \"" + key + "\"");
                }
            }
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
        if (!unused.isEmpty()) {
            throw DynamoException.validation("Value provided in " + parameter + " unused in expressions: keys: {"
                    + String.join(", ", unused) + "}");
        }
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
