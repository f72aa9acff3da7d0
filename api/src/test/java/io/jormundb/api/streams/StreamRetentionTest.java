package io.jormundb.api.streams;

import io.jormundb.api.MutableClock;
import io.jormundb.engine.catalog.Catalog;
import io.jormundb.api.TestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.StreamStatus;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.jormundb.api.Sdk.assertDynamoError;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.s;
import static io.jormundb.api.streams.StreamReads.allRecords;
import static io.jormundb.api.streams.StreamReads.createTable;
import static io.jormundb.api.streams.StreamReads.iterator;
import static io.jormundb.api.streams.StreamReads.readOn;
import static io.jormundb.api.streams.StreamReads.shardOf;
import static io.jormundb.api.streams.StreamReads.shards;
import static io.jormundb.api.streams.StreamReads.streamArn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Time in the Streams API, on a server whose clock the test moves (no waiting): iterators expire
 * after 15 minutes, records older than the changelog retention (here one minute) are trimmed data,
 * and a disabled stream, or the stream of a deleted table, stays readable until the retention ends.
 */
class StreamRetentionTest {
    private static final Duration RETENTION = Duration.ofMinutes(1);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-02T03:04:05.678Z"));
    @RegisterExtension
    final TestServer.Managed server = TestServer.perTest(cfg -> cfg.withChangelogRetention(RETENTION), clock);
    private DynamoDbClient db;
    private DynamoDbStreamsClient streams;

    @BeforeEach
    void clients() {
        db = server.client();
        streams = server.streams();
    }

    @Test
    void anIteratorExpiresFifteenMinutesAfterItWasMade() {
        String table = createTable(db, "Expiring", StreamViewType.KEYS_ONLY);
        String arn = streamArn(db, table);
        put(table, "p", 1);
        String shard = shardOf(streams, arn, "p").shardId();
        String iterator = iterator(streams, arn, shard, ShardIteratorType.TRIM_HORIZON);
        clock.advance(Duration.ofMinutes(15).minusMillis(1));
        GetRecordsResponse lastMoment = streams.getRecords(r -> r.shardIterator(iterator));
        assertEquals(1, lastMoment.records().size());
        clock.advance(Duration.ofMillis(1));
        assertEquals(ExpiredIteratorException.class, assertDynamoError("ExpiredIteratorException",
                "Shard iterator has expired", () -> streams.getRecords(r -> r.shardIterator(iterator))).getClass());
        GetRecordsResponse fresh = streams.getRecords(r -> r.shardIterator(lastMoment.nextShardIterator()));
        assertEquals(List.of(), fresh.records(), "the iterator GetRecords gave is new: its 15 minutes start then");
        clock.advance(Duration.ofMinutes(15));
        assertDynamoError("ExpiredIteratorException", "Shard iterator has expired",
                () -> streams.getRecords(r -> r.shardIterator(fresh.nextShardIterator())));
    }

    @Test
    void readingBeforeTheTrimHorizonIsTrimmedDataAccess() {
        String table = createTable(db, "Trimmed", StreamViewType.KEYS_ONLY);
        String arn = streamArn(db, table);
        put(table, "p", 1);
        put(table, "p", 2);
        String shard = shardOf(streams, arn, "p").shardId();
        String horizon = iterator(streams, arn, shard, ShardIteratorType.TRIM_HORIZON);
        String firstSequence = readOn(streams, horizon).records().getFirst().dynamodb().sequenceNumber();
        clock.advance(RETENTION.plusSeconds(1));
        put(table, "p", 3);
        server.server().trimmer().trimNow();

        assertEquals(TrimmedDataAccessException.class, assertDynamoError("TrimmedDataAccessException",
                "The data you are trying to access has been trimmed",
                () -> streams.getRecords(r -> r.shardIterator(horizon))).getClass());
        assertDynamoError("TrimmedDataAccessException", "The data you are trying to access has been trimmed",
                () -> streams.getShardIterator(r -> r.streamArn(arn).shardId(shard)
                        .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).sequenceNumber(firstSequence)));
        assertDynamoError("TrimmedDataAccessException", "The data you are trying to access has been trimmed",
                () -> streams.getShardIterator(r -> r.streamArn(arn).shardId(shard)
                        .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(firstSequence)));
        assertEquals(List.of("3"), sortKeys(readOn(streams, iterator(streams, arn, shard,
                ShardIteratorType.TRIM_HORIZON)).records()));
        Shard described = shards(streams, arn).stream().filter(s -> s.shardId().equals(shard)).findFirst()
                .orElseThrow();
        String start = described.sequenceNumberRange().startingSequenceNumber();
        assertTrue(new BigInteger(start).compareTo(new BigInteger(firstSequence)) > 0,
                "the shard starts after what was trimmed");
        assertEquals(List.of("3"), sortKeys(readOn(streams, iterator(streams, arn, shard,
                ShardIteratorType.AT_SEQUENCE_NUMBER, start)).records()));
    }

    @Test
    void aDisabledStreamStaysForTheRetentionAfterItWasDisabled() {
        String table = createTable(db, "Disabled", StreamViewType.NEW_IMAGE);
        String arn = streamArn(db, table);
        put(table, "p", 1);
        db.updateTable(r -> r.tableName(table).streamSpecification(s -> s.streamEnabled(false)));
        clock.advance(RETENTION.minusMillis(1));
        assertEquals(List.of(arn), listed(table));
        assertEquals(StreamStatus.DISABLED, streams.describeStream(r -> r.streamArn(arn)).streamDescription()
                .streamStatus());
        clock.advance(Duration.ofMillis(1));
        assertEquals(List.of(), listed(table));
        assertEquals(ResourceNotFoundException.class, assertDynamoError("ResourceNotFoundException",
                "Requested resource not found: Stream: " + arn + " not found",
                () -> streams.describeStream(r -> r.streamArn(arn))).getClass());
        String second = db.updateTable(r -> r.tableName(table)
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)))
                .tableDescription().latestStreamArn();
        assertEquals(List.of(second), listed(table));
    }

    @Test
    void aDeletedTablesStreamIsReadableToItsEndUntilRetentionEnds() {
        String table = createTable(db, "Deleted", StreamViewType.NEW_AND_OLD_IMAGES);
        String arn = streamArn(db, table);
        put(table, "a", 1);
        put(table, "b", 2);
        List<String> horizons = new ArrayList<>();
        for (Shard shard : shards(streams, arn)) {
            horizons.add(iterator(streams, arn, shard.shardId(), ShardIteratorType.TRIM_HORIZON));
        }
        db.deleteTable(r -> r.tableName(table));

        assertEquals(List.of(arn), listed(table));
        StreamDescription d = streams.describeStream(r -> r.streamArn(arn)).streamDescription();
        assertEquals(StreamStatus.DISABLED, d.streamStatus());
        assertEquals(table, d.tableName());
        for (Shard shard : d.shards()) {
            assertTrue(shard.sequenceNumberRange().endingSequenceNumber().matches("\\d{21,40}"), shard.toString());
            GetRecordsResponse latest = streams.getRecords(r -> r.shardIterator(iterator(streams, arn,
                    shard.shardId(), ShardIteratorType.LATEST)));
            assertEquals(List.of(), latest.records());
            assertNull(latest.nextShardIterator(), "a closed shard read to its end gives no iterator");
        }
        List<Record> read = new ArrayList<>();
        for (String horizon : horizons) {
            StreamReads.Reading reading = readOn(streams, horizon);
            assertNull(reading.next());
            read.addAll(reading.records());
        }
        assertEquals(List.of("1", "2"), sortKeys(read.stream().sorted((x, y) -> new BigInteger(x.dynamodb()
                .sequenceNumber()).compareTo(new BigInteger(y.dynamodb().sequenceNumber()))).toList()));
        assertEquals(2, allRecords(streams, arn).size());

        createTable(db, table, StreamViewType.KEYS_ONLY);
        String again = streamArn(db, table);
        assertNotEquals(arn, again);
        assertEquals(List.of(arn, again), listed(table), "the deleted table's stream, then the new table's");
        assertEquals(List.of(), allRecords(streams, again));

        String horizon = horizons.getFirst();
        clock.advance(RETENTION.plusSeconds(1));
        server.server().trimmer().trimNow();
        assertEquals(List.of(again), listed(table));
        assertDynamoError("ResourceNotFoundException", "Requested resource not found: Stream: " + arn + " not found",
                () -> streams.describeStream(r -> r.streamArn(arn)));
        assertDynamoError("TrimmedDataAccessException", "The data you are trying to access has been trimmed",
                () -> streams.getRecords(r -> r.shardIterator(horizon)));
    }

    @Test
    void aDeletedTableTrimmedAwayIsForgottenInMemoryToo() {
        Catalog catalog = server.server().engine().catalog();
        long first = deletedTable("Churned1");
        clock.advance(RETENTION.plusSeconds(1));
        server.server().trimmer().trimNow();
        assertTrue(catalog.definition(first).isPresent(), "kept a moment, for a read whose view still holds its entries");

        // The next trim pass a minute later forgets it, with no other table deleted meanwhile.
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        server.server().trimmer().trimNow();
        assertTrue(catalog.definition(first).isEmpty(), "a table trimmed away a minute ago is not held any more");
    }

    /** Creates a table with a change, deletes it and returns its id. */
    private long deletedTable(String name) {
        String table = createTable(db, name, StreamViewType.KEYS_ONLY);
        put(table, "a", 1);
        long id = server.server().engine().catalog().find(table).orElseThrow().id();
        db.deleteTable(r -> r.tableName(table));
        return id;
    }

    private void put(String table, String pk, int sk) {
        db.putItem(r -> r.tableName(table).item(item("pk", s(pk), "sk", n(sk))));
    }

    private List<String> listed(String table) {
        return streams.listStreams(r -> r.tableName(table)).streams().stream().map(s -> s.streamArn()).toList();
    }

    private static List<String> sortKeys(List<Record> records) {
        return records.stream().map(r -> r.dynamodb().keys().get("sk").n()).toList();
    }
}
