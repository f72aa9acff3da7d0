package io.jormundb.api.streams;

import io.jormundb.api.EventStream;
import io.jormundb.api.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.Identity;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.StreamStatus;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.jormundb.api.Sdk.assertValidation;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.s;
import static io.jormundb.api.streams.StreamReads.allRecords;
import static io.jormundb.api.streams.StreamReads.createTable;
import static io.jormundb.api.streams.StreamReads.iterator;
import static io.jormundb.api.streams.StreamReads.readOn;
import static io.jormundb.api.streams.StreamReads.shards;
import static io.jormundb.api.streams.StreamReads.streamArn;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A table's streams over its life: a stream shows exactly the changes made while it was enabled,
 * disabling closes its shards (still readable to their end), re-enabling makes a new stream, the
 * SSE feed keeps the whole changelog, and the boundaries hold across a restart.
 */
class StreamLifecycleTest {
    @RegisterExtension
    final TestServer.Managed server = TestServer.perTest(cfg -> cfg.withSseHeartbeat(Duration.ofMillis(200)));

    @Test
    void onlyChangesMadeWhileTheStreamWasEnabledAreInItAndSseKeepsThemAll() {
        DynamoDbClient db = server.client();
        DynamoDbStreamsClient streams = server.streams();
        String table = createTable(db, "Cycle", null);
        put(db, table, "a");
        TableDescription enabled = db.updateTable(r -> r.tableName(table)
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)))
                .tableDescription();
        String first = enabled.latestStreamArn();
        assertEquals(StreamViewType.NEW_IMAGE, enabled.streamSpecification().streamViewType());
        List<String> latest = new ArrayList<>();
        for (Shard shard : shards(streams, first)) {
            latest.add(iterator(streams, first, shard.shardId(), ShardIteratorType.LATEST));
        }
        put(db, table, "b");
        TableDescription disabled = db.updateTable(r -> r.tableName(table)
                .streamSpecification(s -> s.streamEnabled(false))).tableDescription();
        assertNull(disabled.streamSpecification());
        assertEquals(first, disabled.latestStreamArn());
        assertEquals(first, db.describeTable(r -> r.tableName(table)).table().latestStreamArn());
        put(db, table, "c");
        String second = db.updateTable(r -> r.tableName(table)
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY)))
                .tableDescription().latestStreamArn();
        put(db, table, "d");

        assertNotEquals(first, second);
        assertEquals(List.of(first, second), streams.listStreams(r -> r.tableName(table)).streams().stream()
                .map(s -> s.streamArn()).toList());
        StreamDescription closed = streams.describeStream(r -> r.streamArn(first)).streamDescription();
        assertEquals(StreamStatus.DISABLED, closed.streamStatus());
        assertEquals(StreamViewType.NEW_IMAGE, closed.streamViewType());
        for (Shard shard : closed.shards()) {
            String end = shard.sequenceNumberRange().endingSequenceNumber();
            assertNotNull(end, "a disabled stream's shards are closed");
            assertTrue(new BigInteger(end).compareTo(new BigInteger(shard.sequenceNumberRange()
                    .startingSequenceNumber())) >= 0);
            // A sequence number after a closed shard's end is not in it, though the stream closed later.
            String past = String.format("%0" + end.length() + "d", new BigInteger(end).add(BigInteger.ONE));
            assertValidation("Invalid SequenceNumber " + past + ": it is not in shard " + shard.shardId(),
                    () -> streams.getShardIterator(r -> r.streamArn(first).shardId(shard.shardId())
                            .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).sequenceNumber(past)));
            assertNull(readOn(streams, streams.getShardIterator(r -> r.streamArn(first).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(end))
                    .shardIterator()).next(), "after its last record, a closed shard has nothing more");
        }
        List<Record> firstRecords = new ArrayList<>();
        for (String iterator : latest) {
            StreamReads.Reading reading = readOn(streams, iterator);
            assertNull(reading.next(), "an iterator taken while the stream was enabled reads its shard to the end");
            firstRecords.addAll(reading.records());
        }
        assertEquals(List.of("b"), keys(firstRecords));
        assertEquals(List.of("b"), keys(allRecords(streams, first)));
        assertEquals(Map.of("pk", s("b"), "sk", n(1), "v", s("b")), firstRecords.getFirst().dynamodb().newImage());

        assertEquals(StreamStatus.ENABLED, streams.describeStream(r -> r.streamArn(second)).streamDescription()
                .streamStatus());
        assertEquals(List.of("d"), keys(allRecords(streams, second)));
        for (Shard shard : shards(streams, second)) {
            assertNull(shard.sequenceNumberRange().endingSequenceNumber());
            assertNotNull(readOn(streams, iterator(streams, second, shard.shardId(), ShardIteratorType.TRIM_HORIZON))
                    .next(), "an open shard always gives an iterator to go on with");
        }

        try (EventStream feed = EventStream.connect(server.endpoint().resolve("/changes/" + table
                + "?since=trim_horizon"))) {
            assertEquals(List.of("a/1", "b/1", "c/1", "d/1"), feed.exactly(4).stream().map(e -> e.keyText()).toList());
        }
    }

    @Test
    void streamsAndTheirBoundariesSurviveARestart() {
        String table = createTable(server.client(), "Restarted", null);
        server.client().updateTable(r -> r.tableName(table)
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY)));
        String first = streamArn(server.client(), table);
        List<String> horizons = new ArrayList<>();
        for (Shard shard : shards(server.streams(), first)) {
            horizons.add(iterator(server.streams(), first, shard.shardId(), ShardIteratorType.TRIM_HORIZON));
        }
        server.restart();
        put(server.client(), table, "x");
        server.client().updateTable(r -> r.tableName(table).streamSpecification(s -> s.streamEnabled(false)));
        server.restart();
        put(server.client(), table, "y");
        assertEquals(List.of("x"), keys(allRecords(server.streams(), first)),
                "the change after the disabling is not in the stream, though the server restarted in between");
        assertEquals(StreamStatus.DISABLED, server.streams().describeStream(r -> r.streamArn(first))
                .streamDescription().streamStatus());
        List<Record> fromOldIterators = new ArrayList<>();
        for (String horizon : horizons) {
            StreamReads.Reading reading = readOn(server.streams(), horizon);
            assertNull(reading.next());
            fromOldIterators.addAll(reading.records());
        }
        assertEquals(List.of("x"), keys(fromOldIterators), "iterators outlive a restart");

        server.client().updateTable(r -> r.tableName(table)
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY)));
        String second = streamArn(server.client(), table);
        server.restart();
        put(server.client(), table, "z");
        assertEquals(List.of(first, second), server.streams().listStreams(r -> r.tableName(table)).streams()
                .stream().map(s -> s.streamArn()).toList());
        assertEquals(List.of("z"), keys(allRecords(server.streams(), second)));
    }

    @Test
    void aTtlDeletionCarriesTheDynamoDbServiceAsItsUserIdentity() {
        DynamoDbClient db = server.client();
        String table = createTable(db, "Expiring", StreamViewType.OLD_IMAGE);
        db.updateTimeToLive(r -> r.tableName(table).timeToLiveSpecification(t -> t.attributeName("expiresAt")
                .enabled(true)));
        await().atMost(Duration.ofSeconds(30)).until(() -> db.describeTimeToLive(r -> r.tableName(table))
                .timeToLiveDescription().timeToLiveStatus() == TimeToLiveStatus.ENABLED);
        long past = System.currentTimeMillis() / 1000 - 60;
        db.putItem(r -> r.tableName(table).item(item("pk", s("gone"), "sk", n(1), "expiresAt", n(past))));
        db.deleteItem(r -> r.tableName(table).key(item("pk", s("gone"), "sk", n(1))));
        db.putItem(r -> r.tableName(table).item(item("pk", s("gone"), "sk", n(1), "expiresAt", n(past))));
        assertEquals(1, server.get().wire().postEmpty("/admin/ttl/expire").json().path("expired").asInt());
        List<Record> records = allRecords(server.streams(), streamArn(db, table));
        assertEquals(List.of(OperationType.INSERT, OperationType.REMOVE, OperationType.INSERT, OperationType.REMOVE),
                records.stream().map(Record::eventName).toList());
        // A user's DeleteItem has no userIdentity; the expirer's deletion names the DynamoDB service.
        assertNull(records.get(1).userIdentity());
        assertEquals(Identity.builder().type("Service").principalId("dynamodb.amazonaws.com").build(),
                records.getLast().userIdentity());
        assertEquals(s("gone"), records.getLast().dynamodb().oldImage().get("pk"));
    }

    private static void put(DynamoDbClient db, String table, String pk) {
        db.putItem(r -> r.tableName(table).item(item("pk", s(pk), "sk", n(1), "v", s(pk))));
    }

    private static List<String> keys(List<Record> records) {
        return records.stream().map(r -> r.dynamodb().keys().get("pk").s()).toList();
    }
}
