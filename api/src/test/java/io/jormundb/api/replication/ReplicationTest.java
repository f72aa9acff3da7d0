package io.jormundb.api.replication;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.jormundb.api.EventStream;
import io.jormundb.api.FreePort;
import io.jormundb.api.TestServer;
import io.jormundb.api.Wire;
import io.jormundb.api.config.Config;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.jormundb.api.Sdk.assertValidation;
import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.s;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A leader and two followers on loopback ports, in this JVM, through the SDK, SSE and raw HTTP;
 * the three serve every test of the class, each test with tables of its own.
 */
class ReplicationTest {
    static final String SECRET = "s3cret-for-tests";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static TestServer leader;
    private static TestServer first;
    private static TestServer second;

    @BeforeAll
    static void start() {
        leader = TestServer.start(leaderConfig());
        first = follower(leader);
        second = follower(leader);
    }

    @AfterAll
    static void stop() {
        for (TestServer s : new TestServer[] {second, first, leader}) {
            if (s != null) {
                s.close();
            }
        }
    }

    static java.util.function.UnaryOperator<Config> leaderConfig() {
        return cfg -> cfg.with(b -> b.replicationSecret(SECRET).sseHeartbeat(Duration.ofMillis(200)));
    }

    static TestServer follower(TestServer leader) {
        return TestServer.start(cfg -> cfg.withFollow(leader.endpoint().toString(), SECRET)
                .withSseHeartbeat(Duration.ofMillis(200)));
    }

    @Test
    void writesOnTheLeaderAppearOnBothFollowersAndTheirQueriesEqualTheLeaders() {
        DynamoDbClient db = leader.client();
        String table = createTable(db, "Orders", "customer", ScalarAttributeType.S, "order", ScalarAttributeType.N);
        IntStream.range(0, 60).forEach(i -> db.putItem(r -> r.tableName(table)
                .item(item("customer", s("c" + i % 3), "order", n(i), "amount", n(i * 10)))));
        db.updateItem(r -> r.tableName(table).key(item("customer", s("c0"), "order", n(3)))
                .updateExpression("SET amount = :t").expressionAttributeValues(Map.of(":t", n(-1))));
        db.deleteItem(r -> r.tableName(table).key(item("customer", s("c1"), "order", n(4))));
        QueryRequest query = QueryRequest.builder().tableName(table).keyConditionExpression("customer = :c AND #o > :o")
                .expressionAttributeNames(Map.of("#o", "order"))
                .expressionAttributeValues(Map.of(":c", s("c0"), ":o", n(2))).scanIndexForward(false).build();
        List<Map<String, AttributeValue>> expected = db.query(query).items();
        assertEquals(19, expected.size());
        for (TestServer f : List.of(first, second)) {
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertEquals(expected,
                    f.client().query(query).items()));
            assertEquals(scanAll(db, table), scanAll(f.client(), table));
            assertEquals(59L, (long) f.client().describeTable(r -> r.tableName(table)).table().itemCount(),
                    "the follower's partition heads (item counts) follow the leader's");
        }
    }

    @Test
    void theStreamsApiOnAFollowerReturnsTheLeadersRecords() {
        DynamoDbClient db = leader.client();
        db.createTable(r -> r.tableName("Streamed").keySchema(k -> k.attributeName("id").keyType("HASH"))
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                .billingMode("PAY_PER_REQUEST").streamSpecification(sp -> sp.streamEnabled(true)
                        .streamViewType("NEW_AND_OLD_IMAGES")));
        IntStream.range(0, 10).forEach(i -> db.putItem(r -> r.tableName("Streamed").item(item("id", s("k" + i)))));
        String arn = db.describeTable(r -> r.tableName("Streamed")).table().latestStreamArn();
        List<String> onLeader = streamRecords(leader, arn);
        assertEquals(10, onLeader.size());
        await().atMost(WAIT).untilAsserted(() -> assertEquals(onLeader, streamRecords(first, arn)));
    }

    /** Every record of every shard of the stream, as sequence number and key. */
    private static List<String> streamRecords(TestServer server, String arn) {
        var streams = server.streams();
        List<String> records = new java.util.ArrayList<>();
        for (var shard : streams.describeStream(r -> r.streamArn(arn)).streamDescription().shards()) {
            String iterator = streams.getShardIterator(r -> r.streamArn(arn).shardId(shard.shardId())
                    .shardIteratorType("TRIM_HORIZON")).shardIterator();
            streams.getRecords(r -> r.shardIterator(iterator)).records().forEach(rec -> records.add(
                    rec.dynamodb().sequenceNumber() + " " + rec.dynamodb().keys().get("id").s()));
        }
        records.sort(null);
        return records;
    }

    @Test
    void aWriteToAFollowerGetsAClearErrorNamingTheLeader() {
        String table = createTable(leader.client(), "Refused");
        await().atMost(WAIT).until(() -> first.client().listTables().tableNames().contains(table));
        String message = "This JormunDB server is a read-only follower of " + leader.endpoint()
                + ": send writes (and table changes) to the leader at " + leader.endpoint();
        assertValidation(message, () -> first.client().putItem(r -> r.tableName(table).item(item("id", s("x")))));
        assertValidation(message, () -> first.client().deleteTable(r -> r.tableName(table)));
        assertValidation(message, () -> first.client().createTable(r -> r.tableName("Other")));
        assertEquals(0, first.client().scan(r -> r.tableName(table)).count(), "nothing was written");
    }

    @Test
    void catalogChangesTakeEffectOnFollowersAsTheyArrive() {
        DynamoDbClient db = leader.client();
        String table = createTable(db, "Catalogued");
        db.putItem(r -> r.tableName(table).item(item("id", s("a"), "colour", s("red"))));
        db.updateTable(r -> r.tableName(table).attributeDefinitions(a -> a.attributeName("colour")
                        .attributeType(ScalarAttributeType.S))
                .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("byColour")
                        .keySchema(k -> k.attributeName("colour").keyType("HASH"))
                        .projection(p -> p.projectionType("ALL")))));
        db.updateTimeToLive(r -> r.tableName(table).timeToLiveSpecification(t -> t.attributeName("expires")
                .enabled(true)));
        QueryRequest byColour = QueryRequest.builder().tableName(table).indexName("byColour")
                .keyConditionExpression("colour = :c").expressionAttributeValues(Map.of(":c", s("red"))).build();
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertEquals(1,
                first.client().query(byColour).count(), "the index the leader built is served by the follower"));
        await().atMost(WAIT).untilAsserted(() -> assertEquals("ENABLED", first.client()
                .describeTimeToLive(r -> r.tableName(table)).timeToLiveDescription().timeToLiveStatusAsString()));
        db.deleteTable(r -> r.tableName(table));
        await().atMost(WAIT).untilAsserted(() -> assertThrows(ResourceNotFoundException.class,
                () -> first.client().describeTable(r -> r.tableName(table))));
    }

    @Test
    void anSseSubscriberOnAFollowerReceivesEveryChangeAndItsTokenResumesOnTheLeaderAndViceVersa() {
        DynamoDbClient db = leader.client();
        String table = createTable(db, "Fed");
        await().atMost(WAIT).until(() -> first.client().listTables().tableNames().contains(table)
                && second.client().listTables().tableNames().contains(table));
        List<EventStream.Event> onFollower;
        try (EventStream feed = EventStream.connect(first.endpoint().resolve("/changes/" + table
                + "?since=trim_horizon"))) {
            IntStream.range(0, 30).forEach(i -> db.putItem(r -> r.tableName(table).item(item("id", s("k" + i)))));
            onFollower = feed.next(30);
        }
        assertEquals(IntStream.range(0, 30).mapToObj(i -> "k" + i).toList(),
                onFollower.stream().map(e -> e.keyText()).toList(), "every change, in commit order");
        List<EventStream.Event> onLeader = EventStream.firstEvents(leader.endpoint().resolve("/changes/" + table
                + "?since=trim_horizon"), 30);
        assertEquals(onLeader.stream().map(EventStream.Event::id).toList(),
                onFollower.stream().map(EventStream.Event::id).toList(), "the same tokens on every copy");

        String followerToken = onFollower.get(9).id();
        assertEquals("k10", EventStream.firstEvents(leader.endpoint().resolve("/changes/" + table + "?since="
                + followerToken), 1).getFirst().keyText(), "a follower's token resumes on the leader");
        String leaderToken = onLeader.get(19).id();
        assertEquals("k20", EventStream.firstEvents(second.endpoint().resolve("/changes/" + table + "?since="
                + leaderToken), 1).getFirst().keyText(), "a leader's token resumes on a follower");
    }

    @Test
    void aFollowerAcceptsALeadersTokenItHasNotReachedYetAndDeliversWhatComesAfterIt() throws Exception {
        DynamoDbClient db = leader.client();
        String table = createTable(db, "Ahead");
        await().atMost(WAIT).until(() -> first.client().listTables().tableNames().contains(table));
        db.putItem(r -> r.tableName(table).item(item("id", s("first"))));
        String token = EventStream.firstEvents(leader.endpoint().resolve("/changes/" + table
                + "?since=trim_horizon"), 1).getFirst().id();
        // The follower may not have the change yet; its feed starts at the token all the same.
        try (EventStream feed = EventStream.connect(first.endpoint().resolve("/changes/" + table + "?since="
                + token))) {
            db.putItem(r -> r.tableName(table).item(item("id", s("second"))));
            assertEquals("second", feed.next(1).getFirst().keyText());
        }
        String future = aheadOf(token);
        try (EventStream ahead = EventStream.open(first.endpoint().resolve("/changes/" + table + "?since=" + future))) {
            assertEquals(200, ahead.status(), "a follower waits for a position it has not reached");
        }
        assertEquals(400, leader.wire().get("/changes/" + table + "?since=" + future).status(),
                "a leader refuses a token past its end");
    }

    /** A token of the same table one commit version after {@code token}'s position. */
    private static String aheadOf(String token) {
        var decoded = (io.jormundb.streams.token.ResumeToken.Table) io.jormundb.streams.token.TokenCodec.decode(token);
        return io.jormundb.streams.token.TokenCodec.encode(new io.jormundb.streams.token.ResumeToken.Table(
                decoded.tableId(), decoded.tableCreatedMillis(), new io.jormundb.engine.changelog.Position(
                decoded.position().version() + 1000, 0)));
    }

    @Test
    void healthSaysEachServersRoleAndTheLeaderReportsEachFollowersLag() {
        createTable(leader.client(), "Healthy");
        JsonNode leaderHealth = await().atMost(WAIT).until(() -> leader.wire().get("/health").json(),
                h -> h.path("followers").size() == 2
                        && h.path("followers").findValues("lag").stream().allMatch(l -> l.asLong() == 0));
        assertEquals("leader", leaderHealth.path("role").asText());
        JsonNode health = await().atMost(WAIT).until(() -> first.wire().get("/health").json(),
                h -> h.path("connected").asBoolean() && h.path("lag").asLong() == 0);
        assertEquals("follower", health.path("role").asText());
        assertEquals("serving", health.path("status").asText());
        assertEquals(leader.endpoint().toString(), health.path("leader").asText());
        assertTrue(leaderHealth.path("followers").findValuesAsText("node").contains(health.path("node").asText()));
        String metrics = first.wire().get("/metrics").text();
        assertTrue(metrics.contains("jormundb_replication_lag{follower=\"" + health.path("node").asText() + "\"} 0.0"),
                metrics);
    }

    @Test
    void aWrongReplicationSecretIsRefused() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (String authorization : new String[] {"Bearer wrong", "Bearer " + SECRET + "x", "Basic abc"}) {
                HttpResponse<String> reply = http.send(HttpRequest.newBuilder(leader.endpoint()
                                .resolve("/replication/wal?from=1&node=n1")).header("Authorization", authorization)
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(401, reply.statusCode(), reply.body());
                assertTrue(reply.body().contains("\"error\":\"WrongSecret\""), reply.body());
            }
            HttpResponse<String> none = http.send(HttpRequest.newBuilder(leader.endpoint()
                    .resolve("/replication/checkpoint")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, none.statusCode(), none.body());
        }
        RuntimeException refused = assertThrows(RuntimeException.class, () -> TestServer.start(cfg -> cfg.withFollow(
                leader.endpoint().toString(), "not-the-secret")));
        assertTrue(refused.getMessage().contains("refused a checkpoint: HTTP 401"), refused.getMessage());
        // Nothing at the URL, or something that is not a JormunDB: one line that says what it likely means.
        String nowhere = "http://127.0.0.1:" + FreePort.find();
        RuntimeException unreachable = assertThrows(RuntimeException.class, () -> TestServer.start(cfg -> cfg
                .withFollow(nowhere, SECRET)));
        assertEquals("cannot copy a checkpoint of " + nowhere + ": nothing answers there (connection refused): is the "
                + "leader running, and is --follow its URL?", unreachable.getMessage());
        HttpServer web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        web.createContext("/", exchange -> {
            byte[] page = "<html><body><h1>404</h1>\n<p>No such page</p></body></html>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(404, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        web.start();
        try {
            RuntimeException notJormun = assertThrows(RuntimeException.class, () -> TestServer.start(cfg -> cfg
                    .withFollow("http://127.0.0.1:" + web.getAddress().getPort(), SECRET)));
            assertTrue(notJormun.getMessage().endsWith("refused a checkpoint: HTTP 404, not a JormunDB's answer: is "
                    + "--follow the leader's HTTP URL (http://host:port of its --port)?"), notJormun.getMessage());
        } finally {
            web.stop(0);
        }
        Wire.Reply closed;
        try (TestServer noSecret = TestServer.start()) {
            closed = noSecret.wire().get("/replication/wal?from=1&node=n1");
        }
        assertEquals(403, closed.status(), closed.text());
        assertTrue(closed.text().contains("start it with --replication-secret"), closed.text());
    }

    static List<Map<String, AttributeValue>> scanAll(DynamoDbClient client, String table) {
        return client.scanPaginator(r -> r.tableName(table)).items().stream().toList();
    }

}
