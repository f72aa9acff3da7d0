package io.jormundb.api.dynamo;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.util.RawValue;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.POJONode;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.error.ErrorCode;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Bytes;
import io.jormundb.engine.value.Item;
import io.jormundb.engine.value.Numbers;
import io.jormundb.engine.value.ValueLimits;
import io.jormundb.streams.json.DynamoJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * DynamoDB JSON ({@code {"S": "x"}}, {@code {"N": "1"}}, …) to engine values, with DynamoDB's
 * validation messages; and engine items to response nodes through {@link DynamoJson}.
 */
public final class AttributeJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /**
     * Each request runs on a virtual thread of its own, so Jackson's default buffer pool (one per
     * thread) would hand every request fresh buffers, ~12 KB for a generator; a shared, bounded
     * pool reuses them.
     */
    private static final JsonFactory GENERATORS = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedBoundedPool()).build();

    private AttributeJson() {
    }

    /**
     * An attribute map ({@code Item}, {@code Key}, …); {@code null} JSON gives {@code null}. Its
     * names and the nesting of its values are checked against {@link ValueLimits}. A top-level
     * map was already read from the request's bytes ({@link Parsed}); any other is read from its
     * JSON node by the same streaming code.
     */
    public static Item item(JsonNode node, String parameter) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node instanceof POJONode pojo && pojo.getPojo() instanceof Parsed parsed) {
            return parsed.item();
        }
        return fromNode(node, p -> new Item(attributes(p, parameter, 1, Unicode.CHECKED)));
    }

    /** A top-level attribute value (level 1 of the nesting limit). */
    public static AttributeValue value(JsonNode node, String parameter) {
        return fromNode(node, p -> value(p, parameter, 1, Unicode.CHECKED));
    }

    /**
     * An attribute map read straight from the request's parser, which stands on its
     * {@code START_OBJECT}, into engine values: no JSON tree is built for it. What is wrong with
     * it is kept, not thrown, and thrown when the operation asks for the map, so that errors come
     * in the order the operation checks its members (and a member an operation ignores is
     * ignored). The parser is left on the map's {@code END_OBJECT} either way.
     */
    static Parsed parse(JsonParser p, String parameter, Unicode unicode) throws IOException {
        JsonStreamContext outside = p.getParsingContext().getParent();
        try {
            return new Parsed(new Item(attributes(p, parameter, 1, unicode)), null);
        } catch (DynamoException e) {
            skipTo(p, outside);
            return new Parsed(null, e);
        }
    }

    /** An attribute map read from the request's bytes, or what was wrong with it. */
    record Parsed(Item value, DynamoException error) {
        Item item() {
            if (error != null) {
                throw error;
            }
            return value;
        }
    }

    private interface Reader<T> {
        T read(JsonParser p) throws IOException;
    }

    private static <T> T fromNode(JsonNode node, Reader<T> reader) {
        try (JsonParser p = node.traverse()) {
            p.nextToken();
            return reader.read(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entries of a map, the parser on its first token, whose values are at nesting level {@code depth}. */
    private static Map<String, AttributeValue> attributes(JsonParser p, String parameter, int depth, Unicode unicode)
            throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw wrongType(parameter, "a map of attribute values");
        }
        Map<String, AttributeValue> attributes = new LinkedHashMap<>();
        boolean placeholders = depth == 1 && parameter.equals("ExpressionAttributeValues");
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = unicode.name(p);
            ValueLimits.checkName(name);
            p.nextToken();
            try {
                attributes.put(name, value(p, parameter, depth, unicode));
            } catch (DynamoException e) {
                // DynamoDB names the placeholder whose value is wrong.
                if (!placeholders || e.code() != ErrorCode.VALIDATION) {
                    throw e;
                }
                throw DynamoException.validation("ExpressionAttributeValues contains invalid value: " + e.getMessage()
                        + " for key " + name);
            }
        }
        return attributes;
    }

    /**
     * One attribute value, the parser on its first token. Each member of {@code {"S": …}} is read
     * as it comes and what is wrong with it kept, so that a value with no type or with two types
     * is refused for that first, as DynamoDB does; a member given twice counts once, its last.
     */
    private static AttributeValue value(JsonParser p, String parameter, int depth, Unicode unicode)
            throws IOException {
        if (depth > ValueLimits.MAX_DEPTH) {
            throw ValueLimits.tooDeep();
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw wrongType(parameter, "an attribute value object such as {\"S\": \"text\"}");
        }
        Map<String, Object> members = new LinkedHashMap<>(2);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String type = unicode.name(p);
            JsonStreamContext outer = p.getParsingContext();
            if (p.nextToken() == JsonToken.VALUE_NULL) {
                members.remove(type);
                continue;
            }
            try {
                members.put(type, typed(type, p, parameter, depth, unicode));
            } catch (DynamoException e) {
                members.put(type, e);
                skipTo(p, outer);
            }
        }
        if (members.isEmpty()) {
            throw DynamoException.validation(
                    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        }
        if (members.size() > 1) {
            throw DynamoException.validation("Supplied AttributeValue has more than one datatypes set, "
                    + "must contain exactly one of the supported datatypes");
        }
        Object only = members.values().iterator().next();
        if (only instanceof DynamoException e) {
            throw e;
        }
        return (AttributeValue) only;
    }

    /**
     * After an error somewhere inside a value, moves the parser to the value's last token: back in
     * {@code context}, the object or array that holds the value.
     */
    private static void skipTo(JsonParser p, JsonStreamContext context) throws IOException {
        while (p.getParsingContext() != context) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                p.skipChildren();
            }
        }
    }

    private static AttributeValue typed(String type, JsonParser p, String parameter, int depth, Unicode unicode)
            throws IOException {
        return switch (type) {
            case "S" -> new AttributeValue.S(text(p, "S", unicode));
            case "N" -> AttributeValue.N.parse(text(p, "N", unicode));
            case "B" -> new AttributeValue.B(binary(p, unicode));
            case "BOOL" -> bool(p, "BOOL") ? AttributeValue.BOOL.TRUE : AttributeValue.BOOL.FALSE;
            case "NULL" -> {
                if (!bool(p, "NULL")) {
                    throw DynamoException.validation("One or more parameter values were invalid: "
                            + "Null attribute value types must have the value of true");
                }
                yield AttributeValue.NULL.INSTANCE;
            }
            case "L" -> {
                array(p, "L");
                List<AttributeValue> values = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    values.add(value(p, parameter, depth + 1, unicode));
                }
                yield new AttributeValue.L(values);
            }
            case "M" -> {
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    throw wrongType("M", "a map of attribute values");
                }
                yield new AttributeValue.M(attributes(p, parameter, depth + 1, unicode));
            }
            case "SS" -> {
                array(p, "SS");
                Set<String> values = new LinkedHashSet<>();
                List<String> raw = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    String s = text(p, "SS", unicode);
                    raw.add(s);
                    values.add(s);
                }
                checkSet(raw.size(), values.size(), "An string set  may not be empty",
                        () -> "One or more parameter values were invalid: Input collection " + raw
                                + " contains duplicates.");
                yield new AttributeValue.SS(values);
            }
            case "NS" -> {
                array(p, "NS");
                Set<BigDecimal> values = new LinkedHashSet<>();
                int given = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    given++;
                    values.add(Numbers.parse(text(p, "NS", unicode)));
                }
                checkSet(given, values.size(), "An number set  may not be empty",
                        () -> "Input collection contains duplicates");
                yield new AttributeValue.NS(values);
            }
            case "BS" -> {
                array(p, "BS");
                Set<Bytes> values = new LinkedHashSet<>();
                List<String> raw = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    values.add(binary(p, unicode));
                    raw.add(p.getText());
                }
                checkSet(raw.size(), values.size(), "Binary sets should not be empty",
                        () -> "One or more parameter values were invalid: Input collection " + raw
                                + "of type BS contains duplicates.");
                yield new AttributeValue.BS(values);
            }
            default -> throw DynamoException.serialization("Unknown attribute value type '" + type
                    + "': expected one of S, N, B, BOOL, NULL, L, M, SS, NS, BS");
        };
    }

    /** DynamoDB words the duplicate message differently for SS, NS and BS; the caller passes its own. */
    private static void checkSet(int given, int distinct, String emptyMessage, Supplier<String> duplicatesMessage) {
        if (given == 0) {
            throw DynamoException.validation("One or more parameter values were invalid: " + emptyMessage);
        }
        if (distinct != given) {
            throw DynamoException.validation(duplicatesMessage.get());
        }
    }

    private static String text(JsonParser p, String type, Unicode unicode) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw wrongType(type, "a string");
        }
        return unicode.text(p);
    }

    private static boolean bool(JsonParser p, String type) {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
            throw wrongType(type, "a boolean");
        }
        return t == JsonToken.VALUE_TRUE;
    }

    private static void array(JsonParser p, String type) {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw wrongType(type, "a list");
        }
    }

    /**
     * A B or BS member: canonical base64 only, as DynamoDB takes it (padding included, no bits set
     * past the last byte), with DynamoDB's messages, its typo included.
     */
    private static Bytes binary(JsonParser p, Unicode unicode) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw wrongType("B", "a base64 string");
        }
        String text = unicode.text(p);
        if (text.length() % 4 != 0) {
            throw DynamoException.serialization(
                    "Base64 encoded length is expected a multiple of 4 bytes but found: " + text.length());
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw DynamoException.serialization("Base64 encoded binary value is malformed: " + e.getMessage());
        }
        if (!Base64.getEncoder().encodeToString(bytes).equals(text)) {
            throw DynamoException.serialization("Invalid last non-pad Base64 character dectected");
        }
        return Bytes.wrap(bytes);
    }

    static DynamoException wrongType(String parameter, String expected) {
        return DynamoException.serialization("Unexpected JSON type for " + parameter + ": expected " + expected);
    }

    /**
     * An item as a DynamoDB JSON node for a response; written by {@link DynamoJson}, the one
     * writer of that form, straight to UTF-8 bytes and embedded as raw JSON ({@link Utf8Json}).
     */
    public static JsonNode toJson(Item item) {
        ByteArrayBuilder out = new ByteArrayBuilder(256);
        try (JsonGenerator g = GENERATORS.createGenerator(out, JsonEncoding.UTF8)) {
            DynamoJson.writeItem(g, item);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return JSON.rawValueNode(new RawValue(new Utf8Json(out.toByteArray())));
    }
}
