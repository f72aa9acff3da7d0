package io.jormundb.api.dynamo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.util.RawValue;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Bytes;
import io.jormundb.engine.value.Item;
import io.jormundb.engine.value.Numbers;
import io.jormundb.engine.value.ValueLimits;
import io.jormundb.streams.json.DynamoJson;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
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
    private static final JsonFactory GENERATORS = new JsonFactory();

    private AttributeJson() {
    }

    /**
     * An attribute map ({@code Item}, {@code Key}, …); {@code null} JSON gives {@code null}. Its
     * names and the nesting of its values are checked against {@link ValueLimits}.
     */
    public static Item item(JsonNode node, String parameter) {
        if (node == null || node.isNull()) {
            return null;
        }
        return new Item(attributes(node, parameter, 1));
    }

    /** A top-level attribute value (level 1 of the nesting limit). */
    public static AttributeValue value(JsonNode node, String parameter) {
        return value(node, parameter, 1);
    }

    /** The entries of a map whose values are at nesting level {@code depth}. */
    private static Map<String, AttributeValue> attributes(JsonNode node, String parameter, int depth) {
        if (!node.isObject()) {
            throw wrongType(parameter, "a map of attribute values");
        }
        Map<String, AttributeValue> attributes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            ValueLimits.checkName(e.getKey());
            attributes.put(e.getKey(), value(e.getValue(), parameter, depth));
        }
        return attributes;
    }

    private static AttributeValue value(JsonNode node, String parameter, int depth) {
        if (depth > ValueLimits.MAX_DEPTH) {
            throw ValueLimits.tooDeep();
        }
        if (node == null || !node.isObject()) {
            throw wrongType(parameter, "an attribute value object such as {\"S\": \"text\"}");
        }
        int set = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            if (!it.next().getValue().isNull()) {
                set++;
            }
        }
        if (set == 0) {
            throw DynamoException.validation(
                    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        }
        if (set > 1) {
            throw DynamoException.validation("Supplied AttributeValue has more than one datatypes set, "
                    + "must contain exactly one of the supported datatypes");
        }
        Map.Entry<String, JsonNode> only = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNull()) {
                only = e;
            }
        }
        String type = only.getKey();
        JsonNode v = only.getValue();
        return switch (type) {
            case "S" -> new AttributeValue.S(text(v, "S"));
            case "N" -> new AttributeValue.N(Numbers.parse(text(v, "N")));
            case "B" -> new AttributeValue.B(binary(v));
            case "BOOL" -> {
                if (!v.isBoolean()) {
                    throw wrongType("BOOL", "a boolean");
                }
                yield v.booleanValue() ? AttributeValue.BOOL.TRUE : AttributeValue.BOOL.FALSE;
            }
            case "NULL" -> {
                if (!v.isBoolean()) {
                    throw wrongType("NULL", "a boolean");
                }
                if (!v.booleanValue()) {
                    throw DynamoException.validation("One or more parameter values were invalid: "
                            + "Null attribute value types must have the value of true");
                }
                yield AttributeValue.NULL.INSTANCE;
            }
            case "L" -> {
                List<AttributeValue> values = new ArrayList<>();
                for (JsonNode element : array(v, "L")) {
                    values.add(value(element, parameter, depth + 1));
                }
                yield new AttributeValue.L(values);
            }
            case "M" -> {
                if (!v.isObject()) {
                    throw wrongType("M", "a map of attribute values");
                }
                yield new AttributeValue.M(attributes(v, parameter, depth + 1));
            }
            case "SS" -> {
                Set<String> values = new LinkedHashSet<>();
                List<String> raw = new ArrayList<>();
                for (JsonNode element : array(v, "SS")) {
                    String s = text(element, "SS");
                    raw.add(s);
                    values.add(s);
                }
                checkSet(raw.size(), values.size(), "An string set  may not be empty",
                        () -> "One or more parameter values were invalid: Input collection " + raw
                                + " contains duplicates.");
                yield new AttributeValue.SS(values);
            }
            case "NS" -> {
                Set<BigDecimal> values = new LinkedHashSet<>();
                List<String> raw = new ArrayList<>();
                for (JsonNode element : array(v, "NS")) {
                    String s = text(element, "NS");
                    raw.add(s);
                    values.add(Numbers.parse(s));
                }
                checkSet(raw.size(), values.size(), "An number set  may not be empty",
                        () -> "Input collection contains duplicates");
                yield new AttributeValue.NS(values);
            }
            case "BS" -> {
                Set<Bytes> values = new LinkedHashSet<>();
                List<String> raw = new ArrayList<>();
                for (JsonNode element : array(v, "BS")) {
                    Bytes b = binary(element);
                    raw.add(element.asText());
                    values.add(b);
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

    private static String text(JsonNode v, String type) {
        if (!v.isTextual()) {
            throw wrongType(type, "a string");
        }
        return v.textValue();
    }

    private static Iterable<JsonNode> array(JsonNode v, String type) {
        if (!v.isArray()) {
            throw wrongType(type, "a list");
        }
        return v;
    }

    /**
     * A B or BS member: canonical base64 only, as DynamoDB takes it (padding included, no bits set
     * past the last byte), with DynamoDB's messages, its typo included.
     */
    private static Bytes binary(JsonNode v) {
        if (!v.isTextual()) {
            throw wrongType("B", "a base64 string");
        }
        String text = v.textValue();
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
     * writer of that form, and embedded as raw JSON.
     */
    public static JsonNode toJson(Item item) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = GENERATORS.createGenerator(out)) {
            DynamoJson.writeItem(g, item);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return JSON.rawValueNode(new RawValue(out.toString()));
    }
}
