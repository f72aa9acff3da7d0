package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.error.DynamoException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Resource tags: the Tags member of CreateTable and TagResource, checked as DynamoDB checks them
 * (a key of 1–128 characters and a value of 0–256, letters, digits, white space and
 * {@code _ . : / = + - @}, no {@code aws:} keys, at most 50 per table), and their JSON.
 */
final class Tags {
    static final int MAX_TAGS = 50;
    private static final Pattern ALLOWED = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

    private Tags() {
    }

    /** The Tags member ({@code required}: TagResource's must be there and not empty). */
    static List<TableDefinition.Tag> of(Request request, boolean required) {
        List<JsonNode> tags = request.list("Tags");
        if (tags == null && required) {
            throw DynamoException.validation(
                    "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null");
        }
        if (tags != null && tags.isEmpty() && required) {
            throw DynamoException.validation("Atleast one Tag needs to be provided as Input.");
        }
        List<TableDefinition.Tag> out = new ArrayList<>();
        if (tags != null) {
            for (int i = 0; i < tags.size(); i++) {
                Request tag = new Request(tags.get(i));
                String key = tag.requireString("Key");
                String value = tag.requireString("Value");
                checkKey(key, "tags." + (i + 1) + ".member.key");
                check(value, "tags." + (i + 1) + ".member.value", 0, 256);
                if (key.startsWith("aws:")) {
                    throw DynamoException.validation("One or more parameter values were invalid: Tag keys starting "
                            + "with 'aws:' are reserved for use by AWS: " + key);
                }
                out.add(new TableDefinition.Tag(key, value));
            }
        }
        return merge(List.of(), out);
    }

    /** {@code current} with {@code added} put over it (a key given again takes its new value), at most 50. */
    static List<TableDefinition.Tag> merge(List<TableDefinition.Tag> current, List<TableDefinition.Tag> added) {
        Map<String, String> byKey = new LinkedHashMap<>();
        current.forEach(t -> byKey.put(t.key(), t.value()));
        added.forEach(t -> byKey.put(t.key(), t.value()));
        if (byKey.size() > MAX_TAGS) {
            throw DynamoException.validation("One or more parameter values were invalid: The number of tags of a "
                    + "table exceeds the limit of " + MAX_TAGS + " (it would have " + byKey.size() + ")");
        }
        return byKey.entrySet().stream().map(e -> new TableDefinition.Tag(e.getKey(), e.getValue())).toList();
    }

    static void render(ArrayNode out, List<TableDefinition.Tag> tags) {
        for (TableDefinition.Tag t : tags) {
            out.addObject().put("Key", t.key()).put("Value", t.value());
        }
    }

    /** A tag key of 1–128 allowed characters; {@code path} names it in the message. */
    static void checkKey(String key, String path) {
        check(key, path, 1, 128);
    }

    private static void check(String text, String path, int min, int max) {
        int length = text.codePointCount(0, text.length());
        if (length < min || length > max) {
            throw DynamoException.validation("1 validation error detected: Value '" + text + "' at '" + path
                    + "' failed to satisfy constraint: Member must have length " + (length < min
                    ? "greater than or equal to " + min : "less than or equal to " + max));
        }
        if (!ALLOWED.matcher(text).matches()) {
            throw DynamoException.validation("1 validation error detected: Value '" + text + "' at '" + path
                    + "' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                    + "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$");
        }
    }
}
