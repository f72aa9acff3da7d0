package io.jormundb.api.ttl;

import com.fasterxml.jackson.databind.JsonNode;
import io.jormundb.api.EventStream;
import io.jormundb.api.Hosts;
import io.jormundb.api.TestServer;
import io.jormundb.api.Wire;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveResponse;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.jormundb.api.Sdk.assertDynamoError;
import static io.jormundb.api.Sdk.assertValidation;
import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.putAll;
import static io.jormundb.api.Sdk.s;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Time to Live: UpdateTimeToLive and DescribeTimeToLive as DynamoDB answers them, the background
 * expirer (every --ttl-interval) deleting due items through the write path as REMOVE records of
 * the TTL service with their index entries, expired items readable until then, a table with data
 * backfilled when TTL is enabled, and POST /admin/ttl/expire from this machine only.
 */
class TimeToLiveTest {
    private static final String EXPIRES = "expiresAt";

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static UpdateTimeToLiveResponse ttl(DynamoDbClient client, String table, String attribute,
                                                boolean enabled) {
        return client.updateTimeToLive(r -> r.tableName(table).timeToLiveSpecification(t -> t.attributeName(attribute)
                .enabled(enabled)));
    }

    private static TimeToLiveDescription describe(DynamoDbClient client, String table) {
        return client.describeTimeToLive(r -> r.tableName(table)).timeToLiveDescription();
    }

    private static void awaitEnabled(DynamoDbClient client, String table) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> describe(client, table).timeToLiveStatus() == TimeToLiveStatus.ENABLED);
    }

    @Test
    void updateAndDescribeTimeToLiveAnswerAsDynamoDb() throws Exception {
        TestServer.with((server, client) -> {
            String table = createTable(client, "Sessions");
            assertEquals(TimeToLiveStatus.DISABLED, describe(client, table).timeToLiveStatus());
            UpdateTimeToLiveResponse enabled = ttl(client, table, EXPIRES, true);
            assertEquals(EXPIRES, enabled.timeToLiveSpecification().attributeName());
            assertTrue(enabled.timeToLiveSpecification().enabled());
            awaitEnabled(client, table);
            assertEquals(EXPIRES, describe(client, table).attributeName());
            assertValidation("TimeToLive is already enabled", () -> ttl(client, table, EXPIRES, true));
            assertValidation("TimeToLive is active on a different AttributeName: current AttributeName is expiresAt",
                    () -> ttl(client, table, "other", true));
            assertValidation("TimeToLive is active on a different AttributeName: current AttributeName is expiresAt",
                    () -> ttl(client, table, "other", false));
            UpdateTimeToLiveResponse disabled = ttl(client, table, EXPIRES, false);
            assertFalse(disabled.timeToLiveSpecification().enabled());
            assertEquals(TimeToLiveDescription.builder().timeToLiveStatus(TimeToLiveStatus.DISABLED).build(),
                    describe(client, table));
            assertValidation("TimeToLive is already disabled", () -> ttl(client, table, EXPIRES, false));
            assertValidation("1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' failed "
                    + "to satisfy constraint: Member must have length greater than or equal to 1",
                    () -> ttl(client, table, "", true));
            String tooLong = "t".repeat(256);
            assertValidation("1 validation error detected: Value '" + tooLong + "' at 'timeToLiveSpecification"
                    + ".attributeName' failed to satisfy constraint: Member must have length less than or equal to 255",
                    () -> ttl(client, table, tooLong, true));
            assertDynamoError("ResourceNotFoundException", "Requested resource not found: Table: Nope not found",
                    () -> describe(client, "Nope"));
            assertDynamoError("ResourceNotFoundException", "Requested resource not found: Table: Nope not found",
                    () -> ttl(client, "Nope", EXPIRES, true));
        });
    }

    @Test
    void aThousandExpiredItemsBecomeAThousandRemoveRecordsOfTheTtlServiceWithinTheInterval() {
        try (TestServer server = TestServer.start(c -> c.with(b -> b.ttlInterval(Duration.ofMillis(200))
                .sseHeartbeat(Duration.ofMillis(300))))) {
            DynamoDbClient client = server.client();
            String table = "Carts";
            client.createTable(r -> r.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(key("id", KeyType.HASH)).attributeDefinitions(
                            def("id"), def("owner")).globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                            .indexName("byOwner").keySchema(key("owner", KeyType.HASH))
                            .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build()));
            ttl(client, table, EXPIRES, true);
            awaitEnabled(client, table);
            long past = now() - 60;
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            Set<String> expiring = new HashSet<>();
            for (int i = 0; i < 1000; i++) {
                String id = "gone-" + i;
                expiring.add(id);
                items.add(item("id", s(id), "owner", s("o" + (i % 10)), EXPIRES, n(past - i)));
            }
            for (int i = 0; i < 20; i++) {
                // Kept: an expiry in the future, an expiry of the wrong type, no expiry.
                items.add(item("id", s("kept-" + i), "owner", s("o0"), EXPIRES,
                        i % 3 == 0 ? n(now() + 3600) : i % 3 == 1 ? s(Long.toString(past)) : s("none")));
            }
            Collections.shuffle(items, new java.util.Random(3));
            try (EventStream feed = EventStream.connect(EventStream.changes(server.endpoint(), table, Map.of()))) {
                putAll(client, table, items, 4);
                Set<String> removed = new HashSet<>();
                int inserts = 0;
                while (removed.size() < 1000) {
                    EventStream.Event e = feed.next();
                    if (e.name().equals("INSERT")) {
                        inserts++;
                        continue;
                    }
                    assertEquals("REMOVE", e.name());
                    JsonNode identity = e.json().path("userIdentity");
                    assertEquals("Service", identity.path("type").asText());
                    assertEquals("dynamodb.amazonaws.com", identity.path("principalId").asText());
                    assertTrue(removed.add(e.json().path("dynamodb").path("Keys").path("id").path("S").asText()));
                }
                assertEquals(expiring, removed);
                assertEquals(1020, inserts + feed.eventsUntilQuiet().size(), "the rest are the inserts");
            }
            assertEquals(20, client.scan(r -> r.tableName(table)).count());
            assertEquals(20L, client.describeTable(r -> r.tableName(table)).table().itemCount());
            assertEquals(20L, client.describeTable(r -> r.tableName(table)).table().globalSecondaryIndexes()
                    .getFirst().itemCount(), "the index lost the expired items' entries");
            assertEquals(20, client.query(r -> r.tableName(table).indexName("byOwner")
                    .keyConditionExpression("#o = :o").expressionAttributeNames(Map.of("#o", "owner"))
                    .expressionAttributeValues(Map.of(":o", s("o0")))).count());
        }
    }

    @Test
    void expiredItemsAreReadableUntilAPassDeletesThemAndTheAdminEndpointRunsOneNow() throws Exception {
        TestServer.with((server, client) -> {
            String table = createTable(client, "Tokens");
            ttl(client, table, EXPIRES, true);
            awaitEnabled(client, table);
            client.putItem(r -> r.tableName(table).item(item("id", s("old"), EXPIRES, n(now() - 5))));
            long almostFiveYears = 5L * 365 * 24 * 3600 - 24 * 3600;
            client.putItem(r -> r.tableName(table).item(item("id", s("older"), EXPIRES, n(now() - almostFiveYears))));
            // More than five years in the past DynamoDB leaves an item alone (0 meaning "never", or milliseconds).
            client.putItem(r -> r.tableName(table).item(item("id", s("ancient"), EXPIRES, n("162777600"))));
            client.putItem(r -> r.tableName(table).item(item("id", s("zero"), EXPIRES, n("0"))));
            client.putItem(r -> r.tableName(table).item(item("id", s("moved"), EXPIRES, n(now() - 5))));
            client.putItem(r -> r.tableName(table).item(item("id", s("new"), EXPIRES, n(now() + 3600))));
            // The default interval is 30 s: nothing is deleted yet, expired items still read.
            assertEquals(s("old"), client.getItem(r -> r.tableName(table).key(item("id", s("old")))).item().get("id"));
            // A write that moves an expiry into the future wins.
            client.updateItem(r -> r.tableName(table).key(item("id", s("moved"))).updateExpression("SET #e = :e")
                    .expressionAttributeNames(Map.of("#e", EXPIRES))
                    .expressionAttributeValues(Map.of(":e", n(now() + 3600))));
            Wire.Reply first = server.wire().postEmpty("/admin/ttl/expire");
            assertEquals(200, first.status());
            assertEquals(2, first.json().path("expired").asInt());
            assertEquals(0, server.wire().postEmpty("/admin/ttl/expire").json().path("expired").asInt());
            assertEquals(List.of("ancient", "moved", "new", "zero"), client.scan(r -> r.tableName(table)).items()
                    .stream().map(i -> i.get("id").s()).sorted().toList());
        });
    }

    @Test
    void enablingTtlOnATableWithDataIndexesTheItemsItHolds() throws Exception {
        TestServer.with((server, client) -> {
            String table = createTable(client, "Old");
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                items.add(item("id", s("i" + i), EXPIRES, n(i % 2 == 0 ? now() - 100 : now() + 3600)));
            }
            putAll(client, table, items, 4);
            assertEquals(0, server.wire().postEmpty("/admin/ttl/expire").json().path("expired").asInt());
            ttl(client, table, EXPIRES, true);
            awaitEnabled(client, table);
            assertEquals(250, server.wire().postEmpty("/admin/ttl/expire").json().path("expired").asInt());
            assertEquals(250, client.scan(r -> r.tableName(table)).count());
        });
    }

    @Test
    void theAdminEndpointRefusesRequestsFromOtherMachines() throws Exception {
        Optional<InetAddress> external = Hosts.externalAddress();
        assumeTrue(external.isPresent(), "this machine has no address besides loopback");
        TestServer.with((server, client) -> {
            Wire fromOutside = new Wire(URI.create("http://" + external.get().getHostAddress() + ":" + server.port()));
            Wire.Reply reply = fromOutside.postEmpty("/admin/ttl/expire");
            assertEquals(403, reply.status());
            assertEquals("Forbidden", reply.json().path("error").asText());
            assertEquals("the admin endpoints answer only requests over the loopback interface (127.0.0.1 or ::1)",
                    reply.json().path("message").asText());
        });
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static software.amazon.awssdk.services.dynamodb.model.AttributeDefinition def(String name) {
        return software.amazon.awssdk.services.dynamodb.model.AttributeDefinition.builder().attributeName(name)
                .attributeType(ScalarAttributeType.S).build();
    }
}
