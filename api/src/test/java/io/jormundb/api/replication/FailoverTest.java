package io.jormundb.api.replication;

import io.jormundb.api.EventStream;
import io.jormundb.api.FreePort;
import io.jormundb.api.Metrics;
import io.jormundb.api.TestServer;
import io.jormundb.api.Wire;
import io.jormundb.api.config.Config;
import io.jormundb.api.mqtt.Subscriber;
import io.jormundb.broker.publish.ChangelogPublisher;
import io.jormundb.engine.changelog.LeaderEpoch;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.s;
import static io.jormundb.api.replication.ReplicationTest.SECRET;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A failover that loses writes: the leader acknowledged (and one follower applied) changes the
 * follower promoted in its place never received. The promoted leader's changes take positions
 * after every position of the old leader's, so a resume token, a Streams API sequence number or
 * a node-local MQTT publisher cursor naming one of the lost changes resumes with the new leader's
 * first change: nothing of the new leader is skipped.
 */
class FailoverTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> NEW_KEYS = IntStream.range(0, 8).mapToObj(i -> "n" + i).toList();

    @Test
    void tokensSequenceNumbersAndMqttCursorsOfWritesAFailoverLostResumeWithTheNewLeadersFirstChange() throws Exception {
        int leaderPort = FreePort.find();
        int mqttPort = FreePort.find();
        UnaryOperator<Config> followerConfig = cfg -> cfg.withFollow("http://127.0.0.1:" + leaderPort, SECRET);
        Path promotedDir = Files.createTempDirectory("jormundb-promoted");
        Path backupDir = Files.createTempDirectory("jormundb-backup").resolve("copy");
        TestServer leader = TestServer.start(cfg -> cfg.with(b -> b.port(leaderPort).replicationSecret(SECRET)));
        try (TestServer promotable = TestServer.start(followerConfig);
             TestServer witness = TestServer.start(cfg -> followerConfig.apply(cfg).with(b -> b.mqttPort(mqttPort)));
             Subscriber mqtt = Subscriber.reconnecting(mqttPort, "failover-witness", null, null)) {
            String table = leader.client().createTable(r -> r.tableName("Failover")
                    .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                    .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .streamSpecification(st -> st.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY)))
                    .tableDescription().tableName();
            mqtt.connect(false, null, null);
            mqtt.subscribeTo("jormundb/" + table + "/#");
            put(leader.client(), table, "k", 10);
            await().atMost(WAIT).ignoreExceptions().until(() -> count(promotable, table) == 10 && count(witness, table) == 10);
            Wire.Reply backedUp = leader.wire().postEmpty("/admin/checkpoint?directory=" + backupDir);
            assertEquals(200, backedUp.status(), backedUp::text);

            String[] lost = new String[3];
            promotable.restart(() -> {
                // Acknowledged by the leader and applied by the witness, never by the follower promoted below.
                put(leader.client(), table, "lost", 5);
                await().atMost(WAIT).ignoreExceptions().until(() -> count(witness, table) == 15);
                EventStream.Event last = EventStream.firstEvents(witness.endpoint().resolve("/changes/" + table
                        + "?since=trim_horizon"), 15).get(14);
                assertEquals("lost4", last.attribute("id"));
                lost[0] = last.token();
                lost[1] = last.json().path("dynamodb").path("SequenceNumber").asText();
                lost[2] = String.valueOf(last.partition());
                await().atMost(WAIT).until(() -> mqtt.received().size() == 15);
                leader.close();
                TestServer.copyDirectory(promotable.dataDir(), promotedDir);
            });
            long promotingFrom = micros(Instant.now());
            try (TestServer promoted = TestServer.startOn(promotedDir, cfg -> cfg.with(b -> b.port(leaderPort)
                    .replicationSecret(SECRET)))) {
                put(promoted.client(), table, "n", NEW_KEYS.size());

                List<EventStream.Event> resumed = EventStream.firstEvents(promoted.endpoint().resolve("/changes/"
                        + table + "?since=" + lost[0]), NEW_KEYS.size());
                assertEquals(NEW_KEYS, resumed.stream().map(e -> e.attribute("id")).toList(),
                        "a lost change's token resumes with the new leader's first change");
                long first = resumed.getFirst().commitVersion();
                long promotedBy = micros(Instant.now());
                assertTrue(promotingFrom < first && first <= promotedBy, "the promoted leader's versions go on from "
                        + "its epoch's floor, the microsecond it started: " + first + " not in (" + promotingFrom
                        + ", " + promotedBy + "]");
                int partition = Integer.parseInt(lost[2]);
                assertEquals(resumed.stream().filter(e -> e.partition() == partition).map(e -> e.attribute("id")).toList(),
                        afterSequenceNumber(promoted, table, partition, lost[1]),
                        "after a lost change's sequence number come all of the new leader's changes in its shard");

                // The witness follows the old leader's log, which the new one does not continue: it
                // copies the new leader, keeping its MQTT publisher cursor (a lost change's position).
                witness.server().rebootstrapRequested().get(30, TimeUnit.SECONDS);
                // Held (it publishes nothing), its publisher is as many versions behind as the new leader wrote:
                // the jump to the epoch's floor is none.
                System.setProperty(ChangelogPublisher.HOLD_PROPERTY, "true");
                try {
                    witness.restart();
                } finally {
                    System.clearProperty(ChangelogPublisher.HOLD_PROPERTY);
                }
                await().atMost(WAIT).until(() -> count(witness, table) == 18);
                assertEquals(NEW_KEYS.size(), Metrics.value(witness.endpoint(),
                        "jormundb_mqtt_publisher_lag{reader=\"mqtt\"}"));
                witness.restart();
                await().atMost(WAIT).untilAsserted(() -> assertEquals(NEW_KEYS, mqtt.received().stream().skip(15)
                        .map(m -> m.topic().substring(m.topic().lastIndexOf('/') + 1)).distinct().sorted().toList(),
                        "every change of the new leader reaches the witness's MQTT subscriber"));

                // A restart of the new leader is no new epoch: it led its log up to here itself.
                promoted.restart();
                promoted.client().putItem(r -> r.tableName(table).item(item("id", s("restarted"))));
                EventStream.Event restarted = EventStream.firstEvents(promoted.endpoint().resolve("/changes/" + table
                        + "?since=" + resumed.getLast().token()), 1).getFirst();
                assertEquals(first + NEW_KEYS.size(), restarted.commitVersion());

                // A backup from before the failover, restored a minute later: its versions lie above the
                // promoted leader's, so a token of the promoted leader's last change (which the backup
                // never had) resumes with the restored server's first change.
                try (TestServer restored = TestServer.startOn(backupDir, cfg -> cfg,
                        Clock.offset(Clock.systemUTC(), Duration.ofMinutes(1)))) {
                    put(restored.client(), table, "r", 3);
                    assertEquals(List.of("r0", "r1", "r2"), EventStream.firstEvents(restored.endpoint().resolve(
                            "/changes/" + table + "?since=" + restarted.token()), 3).stream()
                            .map(e -> e.attribute("id")).toList());
                }
            }
        } finally {
            TestServer.deleteRecursively(promotedDir);
            TestServer.deleteRecursively(backupDir.getParent());
        }
    }

    /** The keys of the records after {@code sequenceNumber} in the shard of changelog {@code partition}. */
    private static List<String> afterSequenceNumber(TestServer server, String table, int partition,
                                                    String sequenceNumber) {
        var streams = server.streams();
        String arn = server.client().describeTable(r -> r.tableName(table)).table().latestStreamArn();
        String shard = streams.describeStream(r -> r.streamArn(arn)).streamDescription().shards().stream()
                .map(Shard::shardId).filter(id -> id.endsWith(String.format("-%08d", partition))).findFirst()
                .orElseThrow();
        String iterator = streams.getShardIterator(r -> r.streamArn(arn).shardId(shard)
                .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(sequenceNumber))
                .shardIterator();
        return streams.getRecords(r -> r.shardIterator(iterator)).records().stream()
                .map(rec -> rec.dynamodb().keys().get("id").s()).toList();
    }

    private static long count(TestServer server, String table) {
        return server.client().scan(r -> r.tableName(table)).count();
    }

    private static void put(DynamoDbClient db, String table, String prefix, int count) {
        IntStream.range(0, count).forEach(i -> db.putItem(r -> r.tableName(table).item(item("id", s(prefix + i)))));
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * LeaderEpoch.VERSIONS_PER_SECOND + t.getNano() / 1_000;
    }
}
