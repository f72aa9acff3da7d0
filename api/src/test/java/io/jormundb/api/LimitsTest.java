package io.jormundb.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.jormundb.api.Sdk.assertDynamoError;
import static io.jormundb.api.Sdk.assertValidation;
import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.m;
import static io.jormundb.api.Sdk.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DynamoDB's limits on what a request may hold, each refused with DynamoDB's error on every path
 * that takes it: attribute names, nesting depth, Unicode, base64, the size of a transaction, the
 * expression parameters, an empty AttributesToGet; and error messages that stay short whatever
 * the request. See docs/limits.md.
 */
class LimitsTest {
    private static final String NESTING = "Nesting Levels have exceeded supported limits: "
            + "Attributes in the item have nested levels beyond supported limit";

    @RegisterExtension
    static final TestServer.Managed SERVER = TestServer.perClass();

    private static DynamoDbClient client() {
        return SERVER.client();
    }

    private static Wire wire() {
        return SERVER.get().wire();
    }

    private static String events() {
        return createTable(client(), Sdk.unique("Events"), "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.S);
    }

    /** A scalar wrapped in {@code wraps} one-entry maps: 31 wraps put the scalar at level 32, the deepest allowed. */
    private static AttributeValue deep(int wraps) {
        AttributeValue v = s("leaf");
        for (int i = 0; i < wraps; i++) {
            v = m("n", v);
        }
        return v;
    }

    private static int depthOf(AttributeValue v) {
        int depth = 0;
        while (v.hasM() && v.m().containsKey("n")) {
            depth++;
            v = v.m().get("n");
        }
        return depth;
    }

    @Test
    void aLoneSurrogateIsRefusedAndNeverBecomesAnotherKey() {
        String table = events();
        client().putItem(r -> r.tableName(table).item(item("pk", s("a"), "sk", s("?"), "v", s("first"))));
        for (String surrogate : List.of("\\ud800", "\\udfff", "x\\ud83d", "\\ude00y")) {
            Wire.Reply reply = wire().post("PutItem", "{\"TableName\":\"" + table + "\",\"Item\":{\"pk\":{\"S\":\"a\"},"
                    + "\"sk\":{\"S\":\"" + surrogate + "\"},\"v\":{\"S\":\"second\"}}}");
            assertEquals(400, reply.status(), reply::text);
            assertEquals("ValidationException", reply.errorType(), reply::text);
            assertTrue(reply.message().contains("Item.sk.S") && reply.message().contains("not valid Unicode"),
                    reply::text);
        }
        Wire.Reply inName = wire().post("PutItem", "{\"TableName\":\"" + table + "\",\"Item\":{\"pk\":{\"S\":\"a\"},"
                + "\"sk\":{\"S\":\"b\"},\"\\udc00\":{\"S\":\"v\"}}}");
        assertEquals("ValidationException", inName.errorType(), inName::text);
        Wire.Reply inExpression = wire().post("Query", "{\"TableName\":\"" + table + "\",\"KeyConditionExpression\":"
                + "\"pk = :p\\ud800\",\"ExpressionAttributeValues\":{\":p\":{\"S\":\"a\"}}}");
        assertEquals("ValidationException", inExpression.errorType(), inExpression::text);
        assertEquals(List.of(item("pk", s("a"), "sk", s("?"), "v", s("first"))),
                client().scan(r -> r.tableName(table)).items(), "the item with sort key '?' is untouched");
        // A surrogate pair, written escaped, is one character outside the BMP and fine.
        Wire.Reply pair = wire().post("PutItem", "{\"TableName\":\"" + table + "\",\"Item\":{\"pk\":{\"S\":\"a\"},"
                + "\"sk\":{\"S\":\"\\ud83d\\ude00\"}}}");
        assertEquals(200, pair.status(), pair::text);
        assertEquals(s("😀"), client().getItem(r -> r.tableName(table)
                .key(item("pk", s("a"), "sk", s("😀")))).item().get("sk"));
    }

    @Test
    void invalidUtf8BytesAreAValidationException() {
        String table = events();
        byte[] prefix = ("{\"TableName\":\"" + table + "\",\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"")
                .getBytes(StandardCharsets.UTF_8);
        // 0xFF is never UTF-8; ED A0 80 is U+D800 encoded as if it were a character (CESU-8).
        for (byte[] bad : List.of(new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[] {(byte) 0xC3})) {
            byte[] body = concat(prefix, bad, "\"}}}".getBytes(StandardCharsets.UTF_8));
            Wire.Reply reply = wire().post(Wire.headers("PutItem"), body);
            assertEquals(400, reply.status(), reply::text);
            assertEquals("ValidationException", reply.errorType(), reply::text);
        }
        assertEquals(0, client().scan(r -> r.tableName(table)).count());
    }

    @Test
    void attributeNamesMustNotBeEmpty() {
        String table = events();
        String empty = "One or more parameter values were invalid: Empty attribute name";
        assertValidation(empty, () -> client().putItem(r -> r.tableName(table)
                .item(item("pk", s("a"), "sk", s("b"), "", s("v")))));
        assertValidation(empty, () -> client().putItem(r -> r.tableName(table)
                .item(item("pk", s("a"), "sk", s("b"), "doc", m("", s("v"))))));
        assertValidation(empty, () -> client().updateItem(r -> r.tableName(table).key(item("pk", s("a"), "sk", s("b")))
                .attributeUpdates(Map.of("", software.amazon.awssdk.services.dynamodb.model.AttributeValueUpdate
                        .builder().value(s("v")).build()))));
        assertEquals(0, client().scan(r -> r.tableName(table)).count());
    }

    @Test
    void aNonKeyAttributeNameMayHave65535BytesAndNoMore() {
        String table = events();
        String longest = "é".repeat(32_767) + "x";
        String tooLong = longest + "x";
        Map<String, AttributeValue> key = item("pk", s("a"), "sk", s("b"));
        Map<String, AttributeValue> stored = new LinkedHashMap<>(key);
        stored.put(longest, s("v"));
        client().putItem(r -> r.tableName(table).item(stored));
        assertEquals(s("v"), client().getItem(r -> r.tableName(table).key(key)).item().get(longest));
        client().updateItem(r -> r.tableName(table).key(key).updateExpression("SET #n = :v")
                .expressionAttributeNames(Map.of("#n", longest)).expressionAttributeValues(Map.of(":v", s("w"))));
        assertEquals(s("w"), client().getItem(r -> r.tableName(table).key(key).projectionExpression("#n")
                .expressionAttributeNames(Map.of("#n", longest))).item().get(longest));

        String message = "One or more parameter values were invalid: An attribute name is 65536 bytes long, "
                + "more than the 65535 allowed";
        Map<String, AttributeValue> refused = new LinkedHashMap<>(key);
        refused.put(tooLong, s("v"));
        assertValidation(message, () -> client().putItem(r -> r.tableName(table).item(refused)));
        assertValidation(message, () -> client().updateItem(r -> r.tableName(table).key(key)
                .updateExpression("SET #n = :v").expressionAttributeNames(Map.of("#n", tooLong))
                .expressionAttributeValues(Map.of(":v", s("w")))));
        assertValidation(message, () -> client().getItem(r -> r.tableName(table).key(key).attributesToGet(tooLong)));
    }

    @Test
    void keyAttributeNamesMayHave255CharactersAndNoMore() {
        String longest = "k".repeat(255);
        String table = createTable(client(), Sdk.unique("LongKeys"), longest, ScalarAttributeType.S);
        client().putItem(r -> r.tableName(table).item(item(longest, s("a"))));
        assertEquals(1, client().scan(r -> r.tableName(table)).count());

        String tooLong = longest + "k";
        String constraint = "' failed to satisfy constraint: Member must have length less than or equal to 255";
        assertValidation("2 validation errors detected: Value '" + tooLong + "' at 'attributeDefinitions.1.member."
                + "attributeName" + constraint + "; Value '" + tooLong + "' at 'keySchema.1.member.attributeName"
                + constraint, () -> createTable(client(), Sdk.unique("TooLong"), tooLong, ScalarAttributeType.S));
        assertValidation("1 validation error detected: Value '" + tooLong + "' at "
                + "'globalSecondaryIndexes.1.member.keySchema.1.member.attributeName" + constraint,
                () -> client().createTable(r -> r.tableName(Sdk.unique("TooLongIndex"))
                        .billingMode(BillingMode.PAY_PER_REQUEST)
                        .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                        .attributeDefinitions(
                                AttributeDefinition.builder().attributeName("pk").attributeType("S").build(),
                                AttributeDefinition.builder().attributeName("other").attributeType("S").build())
                        .globalSecondaryIndexes(g -> g.indexName("byLong").projection(p -> p.projectionType("ALL"))
                                .keySchema(KeySchemaElement.builder().attributeName(tooLong).keyType(KeyType.HASH)
                                        .build()))));
    }

    @Test
    void everyWritePathAllows32LevelsAndRefuses33() {
        String table = events();
        Map<String, AttributeValue> deepest = item("pk", s("put"), "sk", s("1"), "doc", deep(31));
        client().putItem(r -> r.tableName(table).item(deepest));
        assertEquals(31, depthOf(client().getItem(r -> r.tableName(table).key(item("pk", s("put"), "sk", s("1"))))
                .item().get("doc")));
        Map<String, AttributeValue> tooDeep = item("pk", s("put"), "sk", s("2"), "doc", deep(32));
        assertValidation(NESTING, () -> client().putItem(r -> r.tableName(table).item(tooDeep)));
        assertValidation(NESTING, () -> client().batchWriteItem(r -> r.requestItems(Map.of(table, List.of(
                WriteRequest.builder().putRequest(PutRequest.builder().item(tooDeep).build()).build())))));
        assertValidation(NESTING, () -> client().transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName(table).item(tooDeep)).build())));
        assertValidation("ExpressionAttributeValues contains invalid value: " + NESTING + " for key :d",
                () -> client().updateItem(r -> r.tableName(table).key(item("pk", s("put"), "sk", s("2")))
                        .updateExpression("SET doc = :d").expressionAttributeValues(Map.of(":d", deep(32)))));

        // UpdateItem building the item deeper: doc.n.n…n (32 names) is the scalar at level 32; a map there
        // puts a scalar at level 33.
        String path = "doc" + ".n".repeat(31);
        client().updateItem(r -> r.tableName(table).key(item("pk", s("put"), "sk", s("1")))
                .updateExpression("SET " + path + " = :v").expressionAttributeValues(Map.of(":v", s("leaf"))));
        assertValidation(NESTING, () -> client().updateItem(r -> r.tableName(table)
                .key(item("pk", s("put"), "sk", s("1"))).updateExpression("SET " + path + " = :v")
                .expressionAttributeValues(Map.of(":v", m("n", s("leaf"))))));
        TransactionCanceledException canceled = assertThrows(TransactionCanceledException.class,
                () -> client().transactWriteItems(r -> r.transactItems(TransactWriteItem.builder().update(u -> u
                        .tableName(table).key(item("pk", s("put"), "sk", s("1")))
                        .updateExpression("SET " + path + " = :v")
                        .expressionAttributeValues(Map.of(":v", m("n", s("leaf"))))).build())));
        CancellationReason reason = canceled.cancellationReasons().getFirst();
        assertEquals("ValidationError", reason.code());
        assertEquals(NESTING, reason.message());
        assertEquals(31, depthOf(client().getItem(r -> r.tableName(table).key(item("pk", s("put"), "sk", s("1"))))
                .item().get("doc")), "the refused updates changed nothing");
    }

    @Test
    void nestingFarBeyondTheParserDepthIsTheSameValidationException() {
        String table = events();
        String open = "{\"M\":{\"n\":".repeat(2000);
        String close = "}}".repeat(2000);
        Wire.Reply reply = wire().post("PutItem", "{\"TableName\":\"" + table + "\",\"Item\":{\"pk\":{\"S\":\"a\"},"
                + "\"sk\":{\"S\":\"b\"},\"doc\":" + open + "{\"S\":\"x\"}" + close + "}}");
        reply.assertError(400, "ValidationException", NESTING);
    }

    @Test
    void aTransactionOfMoreThan4MegabytesIsRefused() {
        String table = events();
        String payload = "x".repeat(350_000);
        List<TransactWriteItem> twelve = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String sk = Integer.toString(i);
            twelve.add(TransactWriteItem.builder().put(p -> p.tableName(table)
                    .item(item("pk", s("t"), "sk", s(sk), "payload", s(payload)))).build());
        }
        var e = assertDynamoError("ValidationException", "Transaction request cannot be larger than 4 MB: "
                + "its items hold 4200158 bytes", () -> client().transactWriteItems(r -> r.transactItems(twelve)));
        assertEquals(400, e.statusCode());
        assertEquals(0, client().scanPaginator(r -> r.tableName(table)).items().stream().count());
        client().transactWriteItems(r -> r.transactItems(twelve.subList(0, 11)));
        assertEquals(11, client().scanPaginator(r -> r.tableName(table)).items().stream().count());
    }

    @Test
    void expressionPlaceholdersAreAtMost255BytesAnd2MegabytesInAll() {
        String table = events();
        Map<String, AttributeValue> key = item("pk", s("a"), "sk", s("b"));
        String longest = ":" + "v".repeat(254);
        client().updateItem(r -> r.tableName(table).key(key).updateExpression("SET v = " + longest)
                .expressionAttributeValues(Map.of(longest, s("x"))));
        String tooLong = longest + "v";
        assertValidation("ExpressionAttributeValues contains invalid key: Key is 256 bytes long, more than the 255 "
                + "allowed; key: \"" + tooLong + "\"", () -> client().updateItem(r -> r.tableName(table).key(key)
                .updateExpression("SET v = " + tooLong).expressionAttributeValues(Map.of(tooLong, s("x")))));
        String name = "#" + "n".repeat(255);
        assertValidation("ExpressionAttributeNames contains invalid key: Key is 256 bytes long, more than the 255 "
                + "allowed; key: \"" + name + "\"", () -> client().updateItem(r -> r.tableName(table).key(key)
                .updateExpression("SET " + name + " = :v").expressionAttributeNames(Map.of(name, "v"))
                .expressionAttributeValues(Map.of(":v", s("x")))));

        Map<String, AttributeValue> values = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            values.put(":v" + i, s("x".repeat(350_000)));
        }
        String set = "SET " + String.join(", ", values.keySet().stream().map(k -> "a" + k.substring(2) + " = " + k)
                .toList());
        assertValidation("ExpressionAttributeNames and ExpressionAttributeValues together hold 2100018 bytes, "
                + "more than the 2097152 (2 MB) allowed", () -> client().updateItem(r -> r.tableName(table).key(key)
                .updateExpression(set).expressionAttributeValues(values)));
    }

    @Test
    void anErrorNaming100000UnusedValuesStaysShort() {
        String table = events();
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            values.append(i == 0 ? "" : ",").append("\":u").append(i).append("\":{\"S\":\"x\"}");
        }
        Wire.Reply reply = wire().post("Query", "{\"TableName\":\"" + table + "\",\"KeyConditionExpression\":"
                + "\"pk = :u0\",\"ExpressionAttributeValues\":{" + values + "}}");
        assertEquals(400, reply.status());
        assertEquals("ValidationException", reply.errorType());
        assertTrue(reply.message().startsWith("Value provided in ExpressionAttributeValues unused in expressions: keys: {"),
                reply.message());
        assertTrue(reply.body().length < 8_192, () -> "a body of " + reply.body().length + " bytes");
        assertTrue(reply.message().endsWith("(99999 keys in all)"), reply.message());
    }

    @Test
    void aFewUnusedValuesAreNamedInFull() {
        String table = events();
        assertValidation("Value provided in ExpressionAttributeValues unused in expressions: keys: {:b, :c}",
                () -> client().query(r -> r.tableName(table).keyConditionExpression("pk = :a")
                        .expressionAttributeValues(Map.of(":a", s("x"), ":b", s("y"), ":c", s("z")))));
    }

    @Test
    void binaryValuesMustBeCanonicalBase64() {
        String table = events();
        for (String[] bad : new String[][] {
                {"AAA", "Base64 encoded length is expected a multiple of 4 bytes but found: 3"},
                {"QQ", "Base64 encoded length is expected a multiple of 4 bytes but found: 2"},
                {"QR==", "Invalid last non-pad Base64 character dectected"},
                {"QUJ=", "Invalid last non-pad Base64 character dectected"},
                {"QUJD====", "Base64 encoded binary value is malformed: Input byte array has wrong 4-byte ending unit"},
                {"Q*==", "Base64 encoded binary value is malformed: Illegal base64 character 2a"}}) {
            Wire.Reply reply = wire().post("PutItem", "{\"TableName\":\"" + table + "\",\"Item\":{\"pk\":{\"S\":\"a\"},"
                    + "\"sk\":{\"S\":\"b\"},\"bin\":{\"B\":\"" + bad[0] + "\"},\"set\":{\"BS\":[\"QQ==\"]}}}");
            reply.assertError(400, "SerializationException", bad[1]);
            Wire.Reply inSet = wire().post("PutItem", "{\"TableName\":\"" + table + "\",\"Item\":{\"pk\":{\"S\":\"a\"},"
                    + "\"sk\":{\"S\":\"b\"},\"set\":{\"BS\":[\"QQ==\",\"" + bad[0] + "\"]}}}");
            inSet.assertError(400, "SerializationException", bad[1]);
        }
        Wire.Reply good = wire().post("PutItem", "{\"TableName\":\"" + table + "\",\"Item\":{\"pk\":{\"S\":\"a\"},"
                + "\"sk\":{\"S\":\"b\"},\"bin\":{\"B\":\"QUI=\"},\"empty\":{\"B\":\"\"}}}");
        assertEquals(200, good.status(), good::text);
        assertEquals(SdkBytes.fromUtf8String("AB"), client().getItem(r -> r.tableName(table)
                .key(item("pk", s("a"), "sk", s("b")))).item().get("bin").b());
    }

    @Test
    void anEmptyAttributesToGetIsRefused() {
        String table = events();
        String message = "1 validation error detected: Value '[]' at 'attributesToGet' failed to satisfy constraint: "
                + "Member must have length greater than or equal to 1";
        Map<String, AttributeValue> key = item("pk", s("a"), "sk", s("b"));
        assertValidation(message, () -> client().getItem(r -> r.tableName(table).key(key).attributesToGet(List.of())));
        assertValidation(message, () -> client().scan(r -> r.tableName(table).attributesToGet(List.of())));
        assertValidation(message, () -> client().query(r -> r.tableName(table).attributesToGet(List.of())
                .keyConditions(Map.of("pk", software.amazon.awssdk.services.dynamodb.model.Condition.builder()
                        .comparisonOperator("EQ").attributeValueList(s("a")).build()))));
        assertValidation("1 validation error detected: Value '[]' at 'requestItems." + table
                + ".member.attributesToGet' failed to satisfy constraint: Member must have length greater than or "
                + "equal to 1", () -> client().batchGetItem(r -> r.requestItems(Map.of(table,
                KeysAndAttributes.builder().keys(key).attributesToGet(List.of()).build()))));
    }

    @Test
    void errorMessagesAreCappedInLength() {
        String name = "T".repeat(1_000_000);
        Wire.Reply reply = wire().post("DescribeTable", "{\"TableName\":\"" + name + "\"}");
        assertEquals(400, reply.status());
        assertEquals("ValidationException", reply.errorType());
        assertTrue(reply.body().length < 8_192, () -> "a body of " + reply.body().length + " bytes");
        assertTrue(reply.message().contains("failed to satisfy constraint: Member must have length less than or "
                + "equal to 255") || reply.message().contains("characters cut"), reply.message());
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
