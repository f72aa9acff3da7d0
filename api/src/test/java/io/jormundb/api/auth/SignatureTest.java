package io.jormundb.api.auth;

import io.jormundb.api.MutableClock;
import io.jormundb.api.TestServer;
import io.jormundb.api.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.jormundb.api.Sdk.assertDynamoError;
import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --auth}: {@code POST /} verifies AWS Signature Version 4 as DynamoDB does. The
 * signatures come from the AWS SDK itself: its clients with static credentials, and its
 * {@code AwsV4HttpSigner} for raw requests that a test then tampers with.
 */
class SignatureTest {
    private static final String MISMATCH = "The request signature we calculated does not match the signature you "
            + "provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for "
            + "details.";
    /** The server's clock, which a test moves on; the SDK signs with the real time. */
    private final MutableClock clock = new MutableClock(Instant.now());

    @RegisterExtension
    final TestServer.Managed server = TestServer.perTest(Keys::withAuth, clock);

    @Test
    void theSdkWithAKeyOfTheFileCreatesWritesAndReads() {
        DynamoDbClient client = server.client();
        createTable(client, "Users");
        client.putItem(r -> r.tableName("Users").item(item("id", s("u1"), "name", s("Ada"))));
        assertEquals("Ada", client.getItem(r -> r.tableName("Users").key(item("id", s("u1")))).item().get("name").s());
    }

    @Test
    void theStreamsClientSignsForDynamodbAndIsAccepted() {
        createTable(server.client(), "Users");
        try (DynamoDbStreamsClient streams = TestServer.streamsClient(server.endpoint(), Region.EU_WEST_1)) {
            assertEquals(List.of(), streams.listStreams(r -> r.tableName("Users")).streams());
        }
    }

    @Test
    void aWrongSecretIsAnInvalidSignature() {
        try (DynamoDbClient client = Keys.client(server.endpoint(), Keys.ADMIN.id(), "not-the-secret", Region.US_EAST_1)) {
            assertDynamoError("InvalidSignatureException", MISMATCH, client::listTables);
        }
    }

    @Test
    void anUnknownKeyIsAnUnrecognizedClient() {
        try (DynamoDbClient client = Keys.client(server.endpoint(), "AKIDUNKNOWN", "whatever", Region.US_EAST_1)) {
            assertDynamoError("UnrecognizedClientException", "The security token included in the request is invalid.",
                    client::listTables);
        }
    }

    @Test
    void aSessionTokenIsRefusedAsAnUnrecognizedClient() {
        try (DynamoDbClient client = DynamoDbClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(Keys.ADMIN.id(),
                        Keys.ADMIN.secret(), "session-token")))
                .overrideConfiguration(c -> c.retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy
                        .doNotRetry())).build()) {
            assertDynamoError("UnrecognizedClientException", "The security token included in the request is invalid.",
                    client::listTables);
        }
    }

    @Test
    void aRequestWithoutSignatureIsRefusedAndChangesNothing() {
        createTable(server.client(), "Users");
        Wire.Reply reply = server.get().wire().post("DeleteTable", "{\"TableName\": \"Users\"}");
        reply.assertError(400, "MissingAuthenticationTokenException", "Request is missing Authentication Token");
        assertEquals(List.of("Users"), server.client().listTables().tableNames());
    }

    @Test
    void aPresignedQueryStringDoesNotSignAPostToTheApi() {
        createTable(server.client(), "Users");
        URI presigned = new SdkSigner(Keys.ADMIN.id(), Keys.ADMIN.secret())
                .presign(server.endpoint().resolve("/"), Duration.ofDays(7));
        Wire.Reply reply = server.get().wire().post("/?" + presigned.getRawQuery(), Wire.headers("DeleteTable"),
                SdkSigner.utf8("{\"TableName\": \"Users\"}"));
        reply.assertError(400, "MissingAuthenticationTokenException", "Request is missing Authentication Token");
        assertEquals(List.of("Users"), server.client().listTables().tableNames());
    }

    @Test
    void aGarbageAuthorizationHeaderIsAnIncompleteSignature() {
        Map<String, String> headers = Wire.headers("ListTables");
        headers.put("Authorization", "garbage");
        server.get().wire().post(headers, SdkSigner.utf8("{}")).assertError(400, "IncompleteSignatureException",
                "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' "
                        + "parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=garbage");
    }

    /**
     * An Authorization header naming a component twice is refused: the signature was checked
     * against the last Credential while the region of the response's ARNs came from the first, one
     * nobody signed and the credentials file may refuse.
     */
    @Test
    void anAuthorizationHeaderNamingAComponentTwiceIsAnIncompleteSignature() {
        createTable(server.client(), "Twice");
        Map<String, String> headers = new SdkSigner(Keys.ADMIN.id(), Keys.ADMIN.secret())
                .headers(server.endpoint(), "DescribeTable", "{\"TableName\": \"Twice\"}");
        String signed = headers.get("Authorization");
        String twice = signed.replace("Credential=", "Credential=" + Keys.ADMIN.id()
                + "/20000101/ap-southeast-2/dynamodb/aws4_request, Credential=");
        headers.put("Authorization", twice);
        server.get().wire().post(headers, SdkSigner.utf8("{\"TableName\": \"Twice\"}")).assertError(400,
                "IncompleteSignatureException", "Authorization header names 'Credential' more than once. "
                        + "Authorization=" + twice);
        headers.put("Authorization", signed);
        assertEquals(200, server.get().wire().post(headers, SdkSigner.utf8("{\"TableName\": \"Twice\"}")).status());
    }

    /** A password sent the wrong way (HTTP Basic) is not quoted back: a proxy's log would keep it. */
    @Test
    void aBasicAuthorizationHeaderIsRefusedWithoutQuotingItsCredentials() {
        Map<String, String> headers = Wire.headers("ListTables");
        String basic = java.util.Base64.getEncoder().encodeToString((Keys.ADMIN.id() + ":" + Keys.ADMIN.secret())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        headers.put("Authorization", "Basic " + basic);
        server.get().wire().post(headers, SdkSigner.utf8("{}")).assertError(400, "IncompleteSignatureException",
                "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' "
                        + "parameter. Authorization header requires 'SignedHeaders' parameter. "
                        + "Authorization=Basic (credentials not shown)");
    }

    @Test
    void aSignatureScopedToAnotherServiceIsRefused() {
        Map<String, String> headers = new SdkSigner(Keys.ADMIN.id(), Keys.ADMIN.secret()).service("s3")
                .headers(server.endpoint(), "ListTables", "{}");
        server.get().wire().post(headers, SdkSigner.utf8("{}")).assertError(400, "InvalidSignatureException",
                "Credential should be scoped to correct service: 'dynamodb'. ");
    }

    @Test
    void aTamperedBodyIsAnInvalidSignature() {
        createTable(server.client(), "Users");
        Map<String, String> headers = new SdkSigner(Keys.ADMIN.id(), Keys.ADMIN.secret())
                .headers(server.endpoint(), "DescribeTable", "{\"TableName\": \"Users\"}");
        Wire wire = server.get().wire();
        assertEquals(200, wire.post(headers, SdkSigner.utf8("{\"TableName\": \"Users\"}")).status(), "as signed");
        wire.post(headers, SdkSigner.utf8("{\"TableName\": \"Other\"}")).assertError(400, "InvalidSignatureException",
                MISMATCH);
    }

    @Test
    void aTamperedSignedHeaderIsAnInvalidSignature() {
        createTable(server.client(), "Users");
        String body = "{\"TableName\": \"Users\"}";
        Map<String, String> headers = new SdkSigner(Keys.ADMIN.id(), Keys.ADMIN.secret())
                .headers(server.endpoint(), "DescribeTable", body);
        headers.put("X-Amz-Target", Wire.TARGET_PREFIX + "DeleteTable");
        server.get().wire().post(headers, SdkSigner.utf8(body)).assertError(400, "InvalidSignatureException", MISMATCH);
        assertEquals(List.of("Users"), server.client().listTables().tableNames());
    }

    @Test
    void aRequestSignedMoreThanFifteenMinutesAgoHasExpired() {
        Instant signedAt = clock.instant();
        Map<String, String> headers = new SdkSigner(Keys.ADMIN.id(), Keys.ADMIN.secret())
                .clock(Clock.fixed(signedAt, java.time.ZoneOffset.UTC)).headers(server.endpoint(), "ListTables", "{}");
        clock.advance(Duration.ofMinutes(14));
        assertEquals(200, server.get().wire().post(headers, SdkSigner.utf8("{}")).status(), "14 minutes: still valid");
        clock.advance(Duration.ofMinutes(2));
        Wire.Reply reply = server.get().wire().post(headers, SdkSigner.utf8("{}"));
        assertEquals("InvalidSignatureException", reply.errorType(), reply::text);
        assertTrue(reply.message().matches("Signature expired: \\d{8}T\\d{6}Z is now earlier than \\d{8}T\\d{6}Z "
                + "\\(\\d{8}T\\d{6}Z - 15 min\\.\\)"), reply.message());
    }

    @Test
    void aRequestSignedInTheFutureIsNotYetCurrent() {
        Map<String, String> headers = new SdkSigner(Keys.ADMIN.id(), Keys.ADMIN.secret())
                .clock(Clock.offset(clock, Duration.ofMinutes(20))).headers(server.endpoint(), "ListTables", "{}");
        Wire.Reply reply = server.get().wire().post(headers, SdkSigner.utf8("{}"));
        assertEquals("InvalidSignatureException", reply.errorType(), reply::text);
        assertTrue(reply.message().startsWith("Signature not yet current: "), reply.message());
    }

    @Test
    void aTamperedBodyWithAMatchingPayloadHashHeaderIsStillAnInvalidSignature() {
        String body = "{\"TableName\": \"Users\"}";
        Map<String, String> headers = new SdkSigner(Keys.ADMIN.id(), Keys.ADMIN.secret())
                .headers(server.endpoint(), "DescribeTable", body);
        assertTrue(headers.containsKey("x-amz-content-sha256"), "the SDK signs the payload hash header: " + headers);
        String tampered = "{\"TableName\": \"Other\"}";
        headers.put("x-amz-content-sha256", java.util.HexFormat.of().formatHex(sha256(tampered)));
        server.get().wire().post(headers, SdkSigner.utf8(tampered)).assertError(400, "InvalidSignatureException",
                MISMATCH);
    }

    private static byte[] sha256(String s) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(SdkSigner.utf8(s));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
