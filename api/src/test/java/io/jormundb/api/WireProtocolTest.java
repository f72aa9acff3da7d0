package io.jormundb.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import static io.jormundb.api.Sdk.createTable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DynamoDB JSON protocol as raw HTTP: headers, content types, and the errors for bodies no
 * SDK would send. A client mistake is always a 4xx with a DynamoDB error body, never a 500, a
 * hang or a stack trace.
 */
class WireProtocolTest {
    private static final int MAX_BODY = 16 * 1024 * 1024;

    private static long crc32(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return crc.getValue();
    }

    private static void assertDynamoHeaders(Wire.Reply reply) {
        String requestId = reply.header("x-amzn-RequestId");
        assertNotNull(requestId, "x-amzn-RequestId");
        assertFalse(requestId.isBlank(), "x-amzn-RequestId");
        assertEquals(Long.toString(crc32(reply.body())), reply.header("x-amz-crc32"), "x-amz-crc32");
    }

    /** A 400 with a DynamoDB error body of an expected kind, a message, and nothing of the server's insides. */
    private static void assertClientError(Wire.Reply reply, Set<String> allowedTypes) {
        assertEquals(400, reply.status(), reply::text);
        assertTrue(allowedTypes.contains(reply.errorType()), reply::text);
        assertFalse(reply.message().isBlank(), reply::text);
        for (String leak : new String[] {"\tat ", "io.jormundb", "java.", "com.fasterxml", "Exception:"}) {
            assertFalse(reply.message().contains(leak), () -> "message leaks '" + leak + "': " + reply.text());
        }
        assertDynamoHeaders(reply);
    }

    @Test
    void healthAnswersThatTheServerIsServing() throws Exception {
        TestServer.with((server, client) -> {
            Wire.Reply health = server.wire().get("/health");
            assertEquals(200, health.status());
            assertEquals("serving", health.json().path("status").asText());
            assertEquals("leader", health.json().path("role").asText());
        });
    }

    @Test
    void everyResponseCarriesARequestIdAndTheCrc32OfItsBody() throws Exception {
        TestServer.with((server, client) -> {
            Wire.Reply ok = server.wire().post("ListTables", "{}");
            assertEquals(200, ok.status());
            assertEquals("application/x-amz-json-1.0", ok.header("Content-Type"));
            assertDynamoHeaders(ok);
            Wire.Reply error = server.wire().post("DescribeTable", "{\"TableName\":\"Nope\"}");
            error.assertError(400, "ResourceNotFoundException", "Requested resource not found: Table: Nope not found");
            assertDynamoHeaders(error);
            assertFalse(ok.header("x-amzn-RequestId").equals(error.header("x-amzn-RequestId")));
        });
    }

    @Test
    void theJson11ContentTypeIsAcceptedAndAnsweredInKind() throws Exception {
        TestServer.with((server, client) -> {
            Map<String, String> headers = Wire.headers("ListTables");
            headers.put("Content-Type", "application/x-amz-json-1.1");
            Wire.Reply reply = server.wire().post(headers, "{}".getBytes(StandardCharsets.UTF_8));
            assertEquals(200, reply.status(), reply::text);
            assertEquals("application/x-amz-json-1.1", reply.header("Content-Type"));
            assertTrue(reply.json().path("TableNames").isArray());
        });
    }

    @Test
    void aSigV4AuthorizationWithAnyCredentialsIsAccepted() throws Exception {
        TestServer.with((server, client) -> {
            Map<String, String> headers = Wire.headers("ListTables");
            headers.put("Authorization", "AWS4-HMAC-SHA256 Credential=ANYONE/20240101/eu-west-3/dynamodb/aws4_request, "
                    + "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123456789abcdef");
            headers.put("X-Amz-Date", "20240101T000000Z");
            headers.put("X-Amz-Security-Token", "whatever");
            Wire.Reply reply = server.wire().post(headers, "{}".getBytes(StandardCharsets.UTF_8));
            assertEquals(200, reply.status(), reply::text);
        });
    }

    @Test
    void anUnknownOperationIsUnknownOperationException() throws Exception {
        TestServer.with((server, client) -> server.wire().post("FlyToTheMoon", "{}").assertError(400,
                "UnknownOperationException", "Unknown operation: DynamoDB_20120810.FlyToTheMoon"));
    }

    @Test
    void aDynamoDbOperationNotServedYetSaysSo() throws Exception {
        TestServer.with((server, client) -> server.wire().post("CreateBackup", "{}").assertError(400,
                "UnknownOperationException",
                "CreateBackup is a DynamoDB operation that JormunDB does not support yet"));
    }

    @Test
    void aMissingTargetIsUnknownOperationException() throws Exception {
        TestServer.with((server, client) -> {
            Map<String, String> headers = Wire.headers("ListTables");
            headers.remove("X-Amz-Target");
            Wire.Reply reply = server.wire().post(headers, "{}".getBytes(StandardCharsets.UTF_8));
            reply.assertError(400, "UnknownOperationException", "Missing X-Amz-Target header");
            assertDynamoHeaders(reply);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"TableName\": }", "not json", "{\"TableName\":\"abc\"} trailing", "{'a': 1}",
            "{\"TableName\":\"abc\",}"})
    void brokenJsonIsSerializationException(String body) throws Exception {
        TestServer.with((server, client) -> {
            Wire.Reply reply = server.wire().post("DescribeTable", body);
            assertClientError(reply, Set.of("SerializationException"));
            assertTrue(reply.message().startsWith("Request body is not valid JSON (line 1, column "), reply::text);
        });
    }

    @Test
    void anEmptyOrNonObjectBodyIsSerializationException() throws Exception {
        TestServer.with((server, client) -> {
            server.wire().post("ListTables", "").assertError(400, "SerializationException",
                    "Request body is empty: expected a JSON object");
            for (String body : new String[] {"[]", "\"text\"", "42", "null"}) {
                server.wire().post("ListTables", body).assertError(400, "SerializationException",
                        "Request body must be a JSON object");
            }
        });
    }

    static Stream<Arguments> wrongJsonTypes() {
        return Stream.of(
                Arguments.of("DescribeTable", "{\"TableName\": 5}", "Unexpected JSON type for TableName: expected a string"),
                Arguments.of("ListTables", "{\"Limit\": \"5\"}", "Unexpected JSON type for Limit: expected an integer"),
                Arguments.of("ListTables", "{\"Limit\": 1.5}", "Unexpected JSON type for Limit: expected an integer"),
                Arguments.of("PutItem", "{\"TableName\": \"Things\", \"Item\": []}",
                        "Unexpected JSON type for Item: expected a map of attribute values"),
                Arguments.of("PutItem", "{\"TableName\": \"Things\", \"Item\": {\"id\": {\"S\": 1}}}",
                        "Unexpected JSON type for S: expected a string"),
                Arguments.of("PutItem", "{\"TableName\": \"Things\", \"Item\": {\"id\": {\"S\": \"a\"}, \"n\": {\"N\": 1}}}",
                        "Unexpected JSON type for N: expected a string"),
                Arguments.of("PutItem", "{\"TableName\": \"Things\", \"Item\": {\"id\": \"plain\"}}",
                        "Unexpected JSON type for Item: expected an attribute value object such as {\"S\": \"text\"}"),
                Arguments.of("PutItem", "{\"TableName\": \"Things\", \"Item\": {\"id\": {\"S\": \"a\"}, "
                        + "\"l\": {\"L\": {}}}}", "Unexpected JSON type for L: expected a list"),
                Arguments.of("GetItem", "{\"TableName\": \"Things\", \"Key\": {\"id\": {\"S\": \"a\"}}, "
                        + "\"ConsistentRead\": \"yes\"}", "Unexpected JSON type for ConsistentRead: expected a boolean"),
                Arguments.of("CreateTable", "{\"TableName\": \"Other\", \"KeySchema\": {}}",
                        "Unexpected JSON type for KeySchema: expected a list"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("wrongJsonTypes")
    void wrongJsonTypesAreSerializationException(String operation, String body, String message) throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Things");
            Wire.Reply reply = server.wire().post(operation, body);
            reply.assertError(400, "SerializationException", message);
            assertDynamoHeaders(reply);
        });
    }

    @Test
    void missingMembersAndMalformedAttributeValuesAreValidationException() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Things");
            server.wire().post("GetItem", "{\"Key\": {\"id\": {\"S\": \"a\"}}}").assertError(400,
                    "ValidationException", "1 validation error detected: Value null at 'tableName' failed to "
                            + "satisfy constraint: Member must not be null");
            server.wire().post("PutItem", "{\"TableName\": \"Things\", \"Item\": {\"id\": {\"S\": \"a\", \"N\": \"1\"}}}")
                    .assertError(400, "ValidationException", "Supplied AttributeValue has more than one datatypes "
                            + "set, must contain exactly one of the supported datatypes");
            server.wire().post("PutItem", "{\"TableName\": \"Things\", \"Item\": {\"id\": {}}}")
                    .assertError(400, "ValidationException", "Supplied AttributeValue is empty, must contain exactly "
                            + "one of the supported datatypes");
        });
    }

    static Stream<Arguments> badRequests() {
        String deep = "{\"L\": [".repeat(200) + "]}".repeat(200);
        return Stream.of(
                Arguments.of("PutItem", "{\"TableName\": \"Things\", \"Item\": {\"id\": {\"S\": \"a\"}, \"d\": " + deep + "}}"),
                Arguments.of("PutItem", "{\"TableName\": \"Things\", \"Item\": {\"id\": {\"B\": \"!!not base64!!\"}}}"),
                Arguments.of("PutItem", "{\"TableName\": \"Things\", \"Item\": {\"id\": {\"X\": \"y\"}}}"),
                Arguments.of("PutItem", "{\"TableName\": \"Things\", \"Item\": {\"id\": {\"S\": \"a\"}, "
                        + "\"n\": {\"N\": \"1E-2147483649\"}}}"),
                Arguments.of("PutItem", "{\"TableName\": \"Things\", \"Item\": {\"id\": {\"S\": \"a\"}, "
                        + "\"n\": {\"N\": \"1E999999999999\"}}}"),
                Arguments.of("PutItem", "{\"TableName\": \"Things\", \"Item\": {\"id\": {\"S\": \"a\"}, "
                        + "\"n\": {\"N\": \"" + "9".repeat(100_000) + "\"}}}"),
                Arguments.of("PutItem", "{\"TableName\": \"Things\", \"Item\": {\"id\": {\"NULL\": \"true\"}}}"),
                Arguments.of("PutItem", "{\"TableName\": \"Things\", \"Item\": {\"id\": {\"SS\": [1, 2]}}}"),
                Arguments.of("PutItem", "{\"TableName\": \"Things\", \"Item\": {\"id\": {\"M\": []}}}"),
                Arguments.of("PutItem", "{\"TableName\": \"Things\", \"Item\": null, \"ReturnValues\": 3}"),
                Arguments.of("GetItem", "{\"TableName\": \"Things\", \"Key\": {\"id\": {\"NS\": [\"1\", \"x\"]}}}"),
                Arguments.of("DeleteItem", "{\"TableName\": [\"Things\"], \"Key\": {}}"),
                Arguments.of("Scan", "{\"TableName\": \"Things\", \"Limit\": 99999999999999}"),
                Arguments.of("Scan", "{\"TableName\": \"Things\", \"Segment\": -1, \"TotalSegments\": 2}"),
                Arguments.of("Scan", "{\"TableName\": \"Things\", \"ExclusiveStartKey\": {\"other\": {\"S\": \"a\"}}}"),
                Arguments.of("Scan", "{\"TableName\": \"Things\", \"Select\": \"EVERYTHING\"}"),
                Arguments.of("CreateTable", "{\"TableName\": \"New\", \"KeySchema\": [{}], \"AttributeDefinitions\": [{}]}"),
                Arguments.of("CreateTable", "{\"TableName\": \"New\", \"KeySchema\": [1], \"AttributeDefinitions\": [2]}"),
                Arguments.of("CreateTable", "{\"TableName\": \"New\", \"KeySchema\": [], \"AttributeDefinitions\": []}"),
                Arguments.of("UpdateTable", "{\"TableName\": \"Things\"}"),
                Arguments.of("UpdateTable", "{\"TableName\": \"Things\", \"ProvisionedThroughput\": "
                        + "{\"ReadCapacityUnits\": 0, \"WriteCapacityUnits\": -1}}"),
                Arguments.of("ListTables", "{\"ExclusiveStartTableName\": \"x\"}"),
                Arguments.of("DescribeTable", "{\"TableName\": \"\\u0000\\u0000\\u0000\"}"));
    }

    @ParameterizedTest(name = "{0} {index}")
    @MethodSource("badRequests")
    void badRequestsAreClientErrorsNeverServerErrors(String operation, String body) throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Things");
            assertClientError(server.wire().post(operation, body),
                    Set.of("SerializationException", "ValidationException", "ResourceNotFoundException"));
        });
    }

    /** Text must be Unicode: bytes that are not UTF-8 are refused like any value DynamoDB does not take. */
    @Test
    void invalidUtf8IsAValidationException() throws Exception {
        TestServer.with((server, client) -> {
            byte[] body = {'{', '"', 'T', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
            assertClientError(server.wire().post(Wire.headers("ListTables"), body), Set.of("ValidationException"));
        });
    }

    /** A DescribeTable body of exactly {@code size} bytes: valid JSON padded with spaces. */
    private static byte[] paddedBody(int size) {
        byte[] head = "{\"TableName\":\"Nope\"".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) ' ');
        System.arraycopy(head, 0, body, 0, head.length);
        body[size - 1] = '}';
        return body;
    }

    @Test
    void aBodyOfExactly16MbIsServed() throws Exception {
        TestServer.with((server, client) -> server.wire().post(Wire.headers("DescribeTable"), paddedBody(MAX_BODY))
                .assertError(400, "ResourceNotFoundException", "Requested resource not found: Table: Nope not found"));
    }

    @Test
    void aBodyOver16MbIsRefusedWith413() throws Exception {
        TestServer.with((server, client) -> {
            Wire.Reply reply = server.wire().post(Wire.headers("DescribeTable"), paddedBody(MAX_BODY + 1));
            reply.assertError(413, "RequestEntityTooLarge", "Request size exceeds 16777216 bytes");
            assertDynamoHeaders(reply);
        });
    }

    @Test
    void aChunkedBodyOver16MbIsRefusedWith413() throws Exception {
        TestServer.with((server, client) -> {
            byte[] body = paddedBody(MAX_BODY + 4 * 1024 * 1024);
            Wire.Reply reply = server.wire().postChunked(Wire.headers("DescribeTable"),
                    () -> new ByteArrayInputStream(body));
            reply.assertError(413, "RequestEntityTooLarge", "Request size exceeds 16777216 bytes");
            // The server still answers afterwards.
            assertEquals(200, server.wire().post("ListTables", "{}").status());
        });
    }
    @Test
    void aGzipOrDeflateBodyIsDecodedAndAnUnknownEncodingOrABadBodyIsRefused() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Zipped");
            byte[] put = "{\"TableName\":\"Zipped\",\"Item\":{\"id\":{\"S\":\"z\"}}}".getBytes(StandardCharsets.UTF_8);
            Map<String, String> headers = Wire.headers("PutItem");
            headers.put("Content-Encoding", "gzip");
            assertEquals(200, server.wire().post(headers, gzip(put)).status());
            headers.put("Content-Encoding", "gzip, gzip");
            assertEquals(200, server.wire().post(headers, gzip(gzip(put))).status());
            headers.put("Content-Encoding", "deflate");
            ByteArrayOutputStream deflated = new ByteArrayOutputStream();
            try (DeflaterOutputStream out = new DeflaterOutputStream(deflated)) {
                out.write(put);
            }
            assertEquals(200, server.wire().post(headers, deflated.toByteArray()).status());
            assertEquals(1, client.scan(r -> r.tableName("Zipped")).count());

            headers.put("Content-Encoding", "gzip");
            Wire.Reply notGzip = server.wire().post(headers, put);
            assertEquals(400, notGzip.status(), notGzip::text);
            assertEquals("SerializationException", notGzip.errorType());
            // gzip's header, then garbage: the message says why, not "null".
            byte[] cutGzip = {0x1f, (byte) 0x8b, 0x08, 'g', 'a', 'r', 'b', 'a', 'g', 'e'};
            server.wire().post(headers, cutGzip).assertError(400, "SerializationException",
                    "The body is not gzip data, as its Content-Encoding says: it ends before its data does");
            headers.put("Content-Encoding", "garbage");
            server.wire().post(headers, put).assertError(400, "SerializationException",
                    "Content-Encoding 'garbage' is not supported: send the body as is, or with gzip or deflate");
            // A small body that would decode past the limit is refused as too large.
            headers.put("Content-Encoding", "gzip");
            server.wire().post(headers, gzip(new byte[MAX_BODY + 1])).assertError(413, "RequestEntityTooLarge",
                    "Request size exceeds 16777216 bytes once decoded from gzip");
        });
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
            out.write(data);
        }
        return zipped.toByteArray();
    }
}
