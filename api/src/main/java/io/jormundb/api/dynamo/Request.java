package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import io.jormundb.engine.catalog.Catalog;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.value.Item;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One DynamoDB request body with typed, validating accessors. A member of the wrong JSON type
 * is a SerializationException; a missing required member or a bad value is the
 * ValidationException DynamoDB gives ("1 validation error detected: Value null at 'tableName'
 * failed to satisfy constraint: Member must not be null").
 */
public final class Request {
    private final JsonNode body;
    private final String region;
    /** The Host header the client sent ({@code host:port}), or {@code null}. */
    private final String host;
    /** Where this object lies in the request, as messages name it ({@code streamSpecification.}), or empty. */
    private final String path;
    /** The tables a listing (ListTables, ListStreams) shows the signer: those it may read. */
    private final Predicate<String> listed;

    /** A request (or a member of one) signed for the default region. */
    public Request(JsonNode body) {
        this(body, SigningRegion.DEFAULT);
    }

    /** A request signed for {@code region} (see {@link SigningRegion}). */
    public Request(JsonNode body, String region) {
        this(body, region, null, "");
    }

    /** A request signed for {@code region} that the client sent to {@code host} (its Host header). */
    public Request(JsonNode body, String region, String host) {
        this(body, region, host, "");
    }

    /** The same, by a signer whose listings show only the tables {@code listed} accepts. */
    public Request(JsonNode body, String region, String host, Predicate<String> listed) {
        this(body, region, host, "", listed);
    }

    private Request(JsonNode body, String region, String host, String path) {
        this(body, region, host, path, table -> true);
    }

    private Request(JsonNode body, String region, String host, String path, Predicate<String> listed) {
        this.body = body;
        this.region = region;
        this.host = host;
        this.path = path;
        this.listed = listed;
    }

    /**
     * Whether a listing shows table {@code table} to the request's signer: a listing pages over
     * those only, so that no page (nor where the next one starts) names a table the signer may
     * not see.
     */
    public boolean lists(String table) {
        return listed.test(table);
    }

    /**
     * An object inside a request that messages name by {@code path} (such as
     * {@code requestItems.Orders.member.}), for objects that are not plain members.
     */
    public static Request at(JsonNode body, String path) {
        return new Request(body, SigningRegion.DEFAULT, null, path);
    }

    /** The object member {@code member}, whose messages name its members by their path, or {@code null}. */
    public Request nested(String member) {
        JsonNode n = object(member);
        return n == null ? null : new Request(n, region, host, name(member) + ".", listed);
    }

    public JsonNode body() {
        return body;
    }

    /** The region the request was signed for, which DynamoDB writes in ARNs and stream records. */
    public String region() {
        return region;
    }

    /** The {@code host[:port]} the client addressed (its Host header), or {@code null} when it sent none. */
    public String host() {
        return host;
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

    /**
     * TableName, checked against DynamoDB's naming rule: a table's name, or its ARN
     * ({@code arn:aws:dynamodb:<region>:<account>:table/<name>}), which DynamoDB accepts there too.
     */
    public String tableName() {
        String name = nameOrArn(requireString("TableName"), "TableName");
        Catalog.validateName(name, "tableName");
        return name;
    }

    /**
     * The table name {@code given} names: itself, or the name in a table ARN
     * ({@code arn:aws:dynamodb:<region>:<account>:table/<name>}), unchecked.
     *
     * @param where what the error message calls the member
     */
    static String nameOrArn(String given, String where) {
        if (!given.startsWith("arn:")) {
            return given;
        }
        String fromArn = ResourceArns.tableName(given);
        if (fromArn == null) {
            throw DynamoException.validation("Invalid " + where + ": " + given + " is neither a table name nor a "
                    + "table ARN (arn:aws:dynamodb:<region>:<account>:table/<name>)");
        }
        return fromArn;
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

    /**
     * A list member that, when present, has at least {@code min} elements (DynamoDB's constraint
     * message otherwise).
     */
    public List<JsonNode> list(String member, int min) {
        List<JsonNode> list = list(member);
        if (list != null && list.size() < min) {
            throw DynamoException.validation("1 validation error detected: Value '" + (list.isEmpty() ? "[]" : list)
                    + "' at '" + name(member) + "' failed to satisfy constraint: Member must have length greater than "
                    + "or equal to " + min);
        }
        return list;
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
                    + name(member) + "' failed to satisfy constraint: Member must satisfy enum value set: "
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
                    + name(member) + "' failed to satisfy constraint: Member must satisfy enum value set: " + allowed);
        }
        return v;
    }

    /**
     * A Limit-like member: {@code null} when absent, otherwise a whole number from 1 to
     * {@code max} (DynamoDB's constraint message otherwise).
     */
    public Integer limit(String member, int max) {
        Integer limit = integer(member);
        if (limit != null && (limit < 1 || limit > max)) {
            throw DynamoException.validation("1 validation error detected: Value '" + limit + "' at '" + name(member)
                    + "' failed to satisfy constraint: Member must have value "
                    + (limit < 1 ? "greater than or equal to 1" : "less than or equal to " + max));
        }
        return limit;
    }

    /**
     * A string member that, when present, has from {@code min} to {@code max} characters
     * (DynamoDB's constraint message otherwise).
     */
    public String string(String member, int min, int max) {
        String v = string(member);
        if (v != null && (v.length() < min || v.length() > max)) {
            throw DynamoException.validation("1 validation error detected: Value '" + v + "' at '" + name(member)
                    + "' failed to satisfy constraint: Member must have length "
                    + (v.length() < min ? "greater than or equal to " + min : "less than or equal to " + max));
        }
        return v;
    }

    /** The error for a missing required member of this object. */
    public DynamoException missingMember(String member) {
        return missingAt(name(member));
    }

    public static DynamoException missing(String member) {
        return missingAt(camel(member));
    }

    private static DynamoException missingAt(String name) {
        return DynamoException.validation("1 validation error detected: Value null at '" + name
                + "' failed to satisfy constraint: Member must not be null");
    }

    /** DynamoDB names members in messages in lower camel case: TableName -> tableName. */
    static String camel(String member) {
        return member.isEmpty() ? member : member.substring(0, 1).toLowerCase(Locale.ROOT) + member.substring(1);
    }

    /** How messages name member {@code member} of this object. */
    private String name(String member) {
        return path + camel(member);
    }
}
