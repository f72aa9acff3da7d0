package io.jormundb.api.dynamo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.value.ValueLimits;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

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

    private final ObjectMapper mapper;

    RequestJson(int maxBodyBytes) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_JSON_DEPTH)
                        .maxStringLength(maxBodyBytes)
                        .maxNameLength(maxBodyBytes)
                        .build())
                .build();
        mapper = new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** The body as a JSON object, or the DynamoDB error for what it is instead. */
    JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw DynamoException.serialization("Request body is empty: expected a JSON object");
        }
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (StreamConstraintsException e) {
            if (e.getOriginalMessage().contains("nesting depth")) {
                throw ValueLimits.tooDeep();
            }
            throw DynamoException.serialization("Request body is not valid JSON" + where(e) + ": "
                    + withoutParserNames(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            String reason = e.getOriginalMessage();
            if (reason.startsWith("Invalid UTF-8")) {
                throw DynamoException.validation("Request body is not valid UTF-8" + where(e) + ": "
                        + reason.replace('\n', ' '));
            }
            if (reason.contains("surrogate")) {
                throw DynamoException.validation("One or more parameter values were invalid: the request is not valid "
                        + "Unicode" + where(e) + ": " + reason.replace('\n', ' '));
            }
            int cut = reason.indexOf(" (start marker");
            reason = (cut > 0 ? reason.substring(0, cut) : reason).replace('\n', ' ');
            throw DynamoException.serialization("Request body is not valid JSON" + where(e) + ": " + reason);
        } catch (IOException e) {
            throw DynamoException.serialization("Request body could not be read: " + e.getMessage());
        }
        if (json == null || !json.isObject()) {
            throw DynamoException.serialization("Request body must be a JSON object");
        }
        checkUnicode(json);
        return json;
    }

    private static String where(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    /** Jackson's limit messages name its classes; the client needs only the limit. */
    private static String withoutParserNames(String message) {
        int cut = message.indexOf(" (from `");
        return cut > 0 ? message.substring(0, cut) + ")" : message;
    }

    /**
     * Refuses the first string or member name that holds a lone surrogate, naming its place in the
     * request ({@code Item.sk.S}; a path is made only of names already found good, so the message
     * itself is always Unicode). Iterative: the parser bounds the depth, not the stack.
     */
    private static void checkUnicode(JsonNode root) {
        Deque<Place> pending = new ArrayDeque<>();
        pending.push(new Place(root, ""));
        while (!pending.isEmpty()) {
            Place place = pending.pop();
            JsonNode node = place.node();
            if (node.isTextual()) {
                check(node.textValue(), "the string at " + place.path());
            } else if (node.isObject()) {
                Deque<Place> members = new ArrayDeque<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    check(e.getKey(), "a member name in " + (place.path().isEmpty() ? "the request" : place.path()));
                    String path = place.path().isEmpty() ? e.getKey() : place.path() + "." + e.getKey();
                    members.push(new Place(e.getValue(), path));
                }
                members.forEach(pending::push);
            } else if (node.isArray()) {
                for (int i = node.size() - 1; i >= 0; i--) {
                    pending.push(new Place(node.get(i), place.path() + "[" + i + "]"));
                }
            }
        }
    }

    private static void check(String text, String what) {
        int at = ValueLimits.loneSurrogate(text);
        if (at >= 0) {
            throw DynamoException.validation("One or more parameter values were invalid: " + what
                    + " is not valid Unicode: it holds a lone surrogate \\u"
                    + Integer.toHexString(text.charAt(at)).toUpperCase(Locale.ROOT) + " at character " + at);
        }
    }

    private record Place(JsonNode node, String path) {
    }
}
