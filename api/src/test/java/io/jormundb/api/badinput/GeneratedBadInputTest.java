package io.jormundb.api.badinput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.api.TestServer;
import io.jormundb.api.Wire;
import io.jormundb.api.http.HttpErrors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generated hostile requests beside the checked-in corpus: a valid request of some operation
 * with one member replaced by arbitrary JSON (strings with lone surrogates and control
 * characters, huge and NaN-like numbers, deep and empty structures), or its bytes cut short or
 * flipped. Whatever comes, the server answers — never a 5xx — and every error is DynamoDB's JSON.
 */
class GeneratedBadInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<String, String> BASES = Map.of(
            "PutItem", "{\"TableName\":\"seed\",\"Item\":{\"pk\":{\"S\":\"gen\"},\"sk\":{\"N\":\"7\"},\"v\":{\"S\":\"x\"}},"
                    + "\"ConditionExpression\":\"attribute_not_exists(pk)\"}",
            "GetItem", "{\"TableName\":\"seed\",\"Key\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}},"
                    + "\"ProjectionExpression\":\"#v\",\"ExpressionAttributeNames\":{\"#v\":\"v\"}}",
            "UpdateItem", "{\"TableName\":\"seed\",\"Key\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}},"
                    + "\"UpdateExpression\":\"SET #v = :v\",\"ExpressionAttributeNames\":{\"#v\":\"v\"},"
                    + "\"ExpressionAttributeValues\":{\":v\":{\"S\":\"y\"}}}",
            "Query", "{\"TableName\":\"seed\",\"KeyConditionExpression\":\"pk = :p AND sk > :n\","
                    + "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"a\"},\":n\":{\"N\":\"0\"}},\"Limit\":2}",
            "Scan", "{\"TableName\":\"seed\",\"FilterExpression\":\"v = :x\","
                    + "\"ExpressionAttributeValues\":{\":x\":{\"S\":\"x\"}},\"Segment\":0,\"TotalSegments\":1}",
            "BatchWriteItem", "{\"RequestItems\":{\"seed\":[{\"DeleteRequest\":{\"Key\":{\"pk\":{\"S\":\"zz\"},"
                    + "\"sk\":{\"N\":\"9\"}}}}]}}",
            "BatchGetItem", "{\"RequestItems\":{\"seed\":{\"Keys\":[{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}}],"
                    + "\"ProjectionExpression\":\"#v\",\"ExpressionAttributeNames\":{\"#v\":\"v\"}}}}",
            "TransactGetItems", "{\"TransactItems\":[{\"Get\":{\"TableName\":\"seed\",\"Key\":{\"pk\":"
                    + "{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}}}}]}",
            "TransactWriteItems", "{\"TransactItems\":[{\"ConditionCheck\":{\"TableName\":\"seed\",\"Key\":{\"pk\":"
                    + "{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}},\"ConditionExpression\":\"attribute_exists(pk)\"}}]}",
            "CreateTable", "{\"TableName\":\"gen_table\",\"AttributeDefinitions\":[{\"AttributeName\":\"id\","
                    + "\"AttributeType\":\"S\"}],\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],"
                    + "\"BillingMode\":\"PAY_PER_REQUEST\"}");
    private static TestServer server;

    @BeforeContainer
    static void start() {
        server = TestServer.start();
        SeededTables.seed(server.client());
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    @Property(tries = 200)
    void aMemberReplacedByAnyJsonIsAnsweredWithoutA5xx(@ForAll("operations") String operation,
                                                       @ForAll("anyJson") JsonNode replacement,
                                                       @ForAll("indexes") int which) throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree(BASES.get(operation));
        List<JsonNode> containers = new ArrayList<>();
        collectObjects(body, containers);
        ObjectNode target = (ObjectNode) containers.get(which % containers.size());
        List<String> names = new ArrayList<>();
        target.fieldNames().forEachRemaining(names::add);
        target.set(names.get(which % names.size()), replacement);
        assertAnswered(operation, JSON.writeValueAsBytes(body));
    }

    @Property(tries = 150)
    void bytesCutShortOrFlippedAreAnsweredWithoutA5xx(@ForAll("operations") String operation,
                                                      @ForAll("indexes") int at, @ForAll byte flip,
                                                      @ForAll boolean cut) {
        byte[] bytes = BASES.get(operation).getBytes(StandardCharsets.UTF_8);
        int i = at % bytes.length;
        byte[] body;
        if (cut) {
            body = java.util.Arrays.copyOf(bytes, i);
        } else {
            body = bytes.clone();
            body[i] = flip;
        }
        assertAnswered(operation, body);
    }

    private static void assertAnswered(String operation, byte[] body) {
        Wire.Reply r = server.wire().post(Wire.headers(operation), body);
        String text = new String(body, StandardCharsets.UTF_8);
        assertTrue(r.status() < 500, r.status() + " " + r.text() + " for " + operation + " " + text);
        if (r.status() >= 400) {
            JsonNode error = r.json();
            // r.message(): TransactionCanceledException spells it "Message", as DynamoDB does.
            assertTrue(error.path("__type").asText().startsWith(HttpErrors.DYNAMODB_TYPE_PREFIX)
                    && !r.message().isBlank(), r.text());
        }
    }

    private static void collectObjects(JsonNode node, List<JsonNode> out) {
        if (node.isObject() && node.size() > 0) {
            out.add(node);
        }
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            collectObjects(it.next(), out);
        }
    }

    @Provide
    Arbitrary<String> operations() {
        return Arbitraries.of(BASES.keySet().stream().sorted().toList());
    }

    @Provide
    Arbitrary<Integer> indexes() {
        return Arbitraries.integers().between(0, 10_000);
    }

    @Provide
    Arbitrary<JsonNode> anyJson() {
        Arbitrary<JsonNode> strings = Arbitraries.strings().all().ofMaxLength(40)
                .edgeCases(e -> e.add("\ud800").add("\udfff").add("").add("\u0000"))
                .map(NODES::textNode);
        Arbitrary<JsonNode> numberText = Arbitraries.of("NaN", "-Infinity", "1E+126", "1E-131", "1".repeat(39),
                "9".repeat(5000), "0x10", "-0", "1e999999999").map(NODES::textNode);
        Arbitrary<JsonNode> numbers = Arbitraries.oneOf(
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.bigDecimals().map(NODES::numberNode));
        Arbitrary<JsonNode> scalars = Arbitraries.oneOf(strings, numberText, numbers,
                Arbitraries.of(NODES.booleanNode(true), NODES.booleanNode(false), NODES.nullNode()));
        Arbitrary<JsonNode> attributeValues = Combinators.combine(
                        Arbitraries.of("S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS", "X", ""), scalars)
                .as((type, value) -> NODES.objectNode().set(type, value));
        Arbitrary<JsonNode> deep = Arbitraries.integers().between(1, 60).map(depth -> {
            JsonNode v = NODES.objectNode().put("S", "x");
            for (int i = 0; i < depth; i++) {
                v = NODES.objectNode().set("M", NODES.objectNode().set("a", v));
            }
            return v;
        });
        Arbitrary<JsonNode> lists = scalars.list().ofMaxSize(4).map(items -> {
            var array = NODES.arrayNode();
            items.forEach(array::add);
            return array;
        });
        Arbitrary<JsonNode> objects = Combinators.combine(strings.map(JsonNode::asText), attributeValues)
                .as((name, value) -> NODES.objectNode().set(name, value));
        return Arbitraries.oneOf(scalars, attributeValues, deep, lists, objects);
    }
}
