package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import io.jormundb.engine.catalog.Catalog;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.value.Item;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One DynamoDB request body with typed, validating accessors. A member of the wrong JSON type
 * is a SerializationException; a missing required member or a bad value is the
 * ValidationException DynamoDB gives ("1 validation error detected: Value null at 'tableName'
 * failed to satisfy constraint: Member must not be null").
 */
public final class Request {
    private final JsonNode body;

    public Request(JsonNode body) {
        this.body = body;
    }

    public JsonNode body() {
        return body;
    }

    public boolean has(String member) {
        JsonNode n = body.get(member);
        return n != null && !n.isNull();
    }

    public JsonNode node(String member) {
        JsonNode n = body.get(member);
        return n == null || n.isNull() ? null : n;
    }

    public String string(String member) {
        JsonNode n = node(member);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw AttributeJson.wrongType(member, "a string");
        }
        return n.textValue();
    }

    public String requireString(String member) {
        String s = string(member);
        if (s == null) {
            throw missing(member);
        }
        return s;
    }

    /** TableName, checked against DynamoDB's naming rule. */
    public String tableName() {
        String name = requireString("TableName");
        Catalog.validateName(name, "tableName");
        return name;
    }

    public Integer integer(String member) {
        JsonNode n = node(member);
        if (n == null) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw AttributeJson.wrongType(member, "an integer");
        }
        return n.intValue();
    }

    public Long longValue(String member) {
        JsonNode n = node(member);
        if (n == null) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw AttributeJson.wrongType(member, "an integer");
        }
        return n.longValue();
    }

    public boolean bool(String member, boolean defaultValue) {
        JsonNode n = node(member);
        if (n == null) {
            return defaultValue;
        }
        if (!n.isBoolean()) {
            throw AttributeJson.wrongType(member, "a boolean");
        }
        return n.booleanValue();
    }

    public JsonNode object(String member) {
        JsonNode n = node(member);
        if (n != null && !n.isObject()) {
            throw AttributeJson.wrongType(member, "an object");
        }
        return n;
    }

    public List<JsonNode> list(String member) {
        JsonNode n = node(member);
        if (n == null) {
            return null;
        }
        if (!n.isArray()) {
            throw AttributeJson.wrongType(member, "a list");
        }
        List<JsonNode> out = new ArrayList<>();
        n.forEach(out::add);
        return out;
    }

    /** An attribute map member ({@code Item}, {@code Key}, {@code ExclusiveStartKey}), or {@code null}. */
    public Item item(String member) {
        return AttributeJson.item(node(member), member);
    }

    public Item requireItem(String member) {
        Item item = item(member);
        if (item == null) {
            throw missing(member);
        }
        return item;
    }

    /** A string member that must be one of {@code allowed} (DynamoDB's enum constraint message). */
    public String enumValue(String member, Set<String> allowed, String defaultValue) {
        String v = string(member);
        if (v == null) {
            return defaultValue;
        }
        if (!allowed.contains(v)) {
            throw DynamoException.validation("1 validation error detected: Value '" + v + "' at '"
                    + camel(member) + "' failed to satisfy constraint: Member must satisfy enum value set: "
                    + new java.util.TreeSet<>(allowed));
        }
        return v;
    }

    /**
     * A string member that must be one of {@code allowed}, listed in the message in the order
     * given, which is the order DynamoDB lists that enum in.
     */
    public String enumValue(String member, List<String> allowed, String defaultValue) {
        String v = string(member);
        if (v == null) {
            return defaultValue;
        }
        if (!allowed.contains(v)) {
            throw DynamoException.validation("1 validation error detected: Value '" + v + "' at '"
                    + camel(member) + "' failed to satisfy constraint: Member must satisfy enum value set: " + allowed);
        }
        return v;
    }

    public static DynamoException missing(String member) {
        return DynamoException.validation("1 validation error detected: Value null at '" + camel(member)
                + "' failed to satisfy constraint: Member must not be null");
    }

    /** DynamoDB names members in messages in lower camel case: TableName -> tableName. */
    static String camel(String member) {
        return member.isEmpty() ? member : member.substring(0, 1).toLowerCase(Locale.ROOT) + member.substring(1);
    }
}
