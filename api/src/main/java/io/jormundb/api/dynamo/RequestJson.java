package io.jormundb.api.dynamo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.value.ValueLimits;

import java.io.IOException;
import java.util.Set;

/**
 * A request body as a JSON tree, read so that DynamoDB's rules decide what is refused, not the
 * parser's: Jackson's own limits sit far above them (a string or a member name may be as long as
 * the body, a 65,535-byte attribute name included), except nesting, which it stops at
 * {@value #MAX_JSON_DEPTH} levels — a body that deep holds a value nested beyond DynamoDB's 32
 * levels, so that is DynamoDB's nesting error. Text must be Unicode: bytes that are not UTF-8 and
 * strings or member names holding a lone UTF-16 surrogate ({@code "\ud800"}) are a
 * ValidationException naming where, never a string changed behind the client's back.
 */
final class RequestJson {
    /**
     * Deepest JSON the parser follows. A value nested 32 levels takes about 66 JSON levels inside
     * the deepest request (TransactWriteItems), so this only ever stops what DynamoDB refuses.
     */
    static final int MAX_JSON_DEPTH = 256;

    /**
     * Top-level members holding an attribute map: read straight into engine values
     * ({@link AttributeJson#parse}) instead of into JSON nodes. Every operation that takes one of
     * these names at the top level takes it as an attribute map.
     */
    private static final Set<String> ATTRIBUTE_MAPS = Set.of("Item", "Key", "ExpressionAttributeValues",
            "ExclusiveStartKey");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonFactory factory;

    RequestJson(int maxBodyBytes) {
        factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_JSON_DEPTH)
                        .maxStringLength(maxBodyBytes)
                        .maxNameLength(maxBodyBytes)
                        .build())
                // Buffers from a shared pool: see AttributeJson#GENERATORS.
                .recyclerPool(JsonRecyclerPools.sharedBoundedPool())
                .build();
    }

    /**
     * The body as a JSON object, or the DynamoDB error for what it is instead. Read with the
     * streaming parser: the request's own members become small JSON nodes, its attribute maps
     * engine values ({@link #ATTRIBUTE_MAPS}).
     */
    JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw DynamoException.serialization("Request body is empty: expected a JSON object");
        }
        Unicode unicode = Unicode.forRequest();
        JsonNode json;
        try (JsonParser p = factory.createParser(body)) {
            json = p.nextToken() == null ? null : node(p, unicode, true);
            if (json != null && p.nextToken() != null) {
                throw DynamoException.serialization("Request body is not valid JSON" + where(p.currentLocation())
                        + ": trailing content after the JSON object");
            }
        } catch (StreamConstraintsException e) {
            if (e.getOriginalMessage().contains("nesting depth")) {
                throw ValueLimits.tooDeep();
            }
            throw DynamoException.serialization("Request body is not valid JSON" + where(e.getLocation()) + ": "
                    + withoutParserNames(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            String reason = e.getOriginalMessage();
            if (reason.startsWith("Invalid UTF-8")) {
                throw DynamoException.validation("Request body is not valid UTF-8" + where(e.getLocation()) + ": "
                        + reason.replace('\n', ' '));
            }
            if (reason.contains("surrogate")) {
                throw DynamoException.validation("One or more parameter values were invalid: the request is not valid "
                        + "Unicode" + where(e.getLocation()) + ": " + reason.replace('\n', ' '));
            }
            int cut = reason.indexOf(" (start marker");
            reason = (cut > 0 ? reason.substring(0, cut) : reason).replace('\n', ' ');
            throw DynamoException.serialization("Request body is not valid JSON" + where(e.getLocation()) + ": "
                    + reason);
        } catch (IOException e) {
            throw DynamoException.serialization("Request body could not be read: " + e.getMessage());
        }
        if (json == null || !json.isObject()) {
            throw DynamoException.serialization("Request body must be a JSON object");
        }
        unicode.throwFirst();
        return json;
    }

    /** The value the parser stands on, as a node; at the top level, attribute maps as engine values. */
    private static JsonNode node(JsonParser p, Unicode unicode, boolean top) throws IOException {
        return switch (p.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = unicode.name(p);
                    JsonToken value = p.nextToken();
                    object.set(name, top && value == JsonToken.START_OBJECT && ATTRIBUTE_MAPS.contains(name)
                            ? NODES.pojoNode(AttributeJson.parse(p, name, unicode))
                            : node(p, unicode, false));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    array.add(node(p, unicode, false));
                }
                yield array;
            }
            case VALUE_STRING -> NODES.textNode(unicode.text(p));
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> NODES.numberNode(p.getIntValue());
                case LONG -> NODES.numberNode(p.getLongValue());
                default -> NODES.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw DynamoException.serialization("Request body is not valid JSON" + where(p.currentLocation())
                    + ": unexpected " + p.currentToken());
        };
    }

    private static String where(JsonLocation location) {
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** Jackson's limit messages name its classes; the client needs only the limit. */
    private static String withoutParserNames(String message) {
        int cut = message.indexOf(" (from `");
        return cut > 0 ? message.substring(0, cut) + ")" : message;
    }
}
