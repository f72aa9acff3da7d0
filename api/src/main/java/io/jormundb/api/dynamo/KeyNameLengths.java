package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import io.jormundb.engine.error.DynamoException;

import java.util.ArrayList;
import java.util.List;

/**
 * DynamoDB's limit on the names of key attributes, 1 to {@value #MAX_CHARS} characters (where any
 * other attribute name may have 65,535 bytes), checked over every place of a CreateTable or
 * UpdateTable request that names one before anything else is, and reported together as
 * DynamoDB reports constraint violations: {@code 2 validation errors detected: Value '…' at
 * 'attributeDefinitions.1.member.attributeName' failed to satisfy constraint: …; Value '…' at
 * 'keySchema.1.member.attributeName' …}.
 */
final class KeyNameLengths {
    static final int MAX_CHARS = 255;

    private final List<String> violations = new ArrayList<>();

    /**
     * Checks the {@code AttributeName} of each element of the list member {@code member} of
     * {@code object}, which messages name {@code path} (ignored when absent or not a list of objects:
     * the request's own parsing refuses that).
     */
    KeyNameLengths names(JsonNode object, String member, String path) {
        JsonNode list = object == null ? null : object.get(member);
        if (list == null || !list.isArray()) {
            return this;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode name = list.get(i).get("AttributeName");
            if (name != null && name.isTextual()) {
                check(name.textValue(), path + "." + (i + 1) + ".member.attributeName");
            }
        }
        return this;
    }

    /** Checks one attribute name, which messages name {@code path}. */
    KeyNameLengths name(String name, String path) {
        check(name, path);
        return this;
    }

    /** {@link #names} of the {@code KeySchema} of each index in the list member {@code member} of {@code request}. */
    KeyNameLengths indexes(JsonNode request, String member, String path, String inner) {
        JsonNode list = request.get(member);
        if (list == null || !list.isArray()) {
            return this;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode index = inner == null ? list.get(i) : list.get(i).get(inner);
            String at = path + "." + (i + 1) + ".member" + (inner == null ? "" : "." + Request.camel(inner));
            if (index != null && index.isObject()) {
                names(index, "KeySchema", at + ".keySchema");
            }
        }
        return this;
    }

    /** Throws the violations found, all in one ValidationException, if any. */
    void check() {
        if (!violations.isEmpty()) {
            throw DynamoException.validation(violations.size() + " validation error" + (violations.size() > 1 ? "s" : "")
                    + " detected: " + String.join("; ", violations));
        }
    }

    private void check(String name, String path) {
        if (name.isEmpty() || name.length() > MAX_CHARS) {
            violations.add("Value '" + name + "' at '" + path + "' failed to satisfy constraint: Member must have length "
                    + (name.isEmpty() ? "greater than or equal to 1" : "less than or equal to " + MAX_CHARS));
        }
    }
}
