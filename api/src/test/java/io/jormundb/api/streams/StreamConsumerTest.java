package io.jormundb.api.streams;

import io.jormundb.api.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.s;
import static io.jormundb.api.streams.StreamReads.createTable;
import static io.jormundb.api.streams.StreamReads.iterator;
import static io.jormundb.api.streams.StreamReads.shards;
import static io.jormundb.api.streams.StreamReads.streamArn;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A consumer reads every shard of a stream from TRIM_HORIZON to its end while four threads write,
 * as a Streams client does (GetRecords on each shard's iterator, over and over); the stream is
 * disabled once the writers are done, which closes the shards. Allowed: a change in exactly one
 * shard, once, each shard in increasing sequence numbers, each item's changes in the order they
 * were written. Forbidden: a change missing, seen twice, out of order, or in two shards.
 */
class StreamConsumerTest {
    private static final int WRITERS = 4;
    private static final int ITEMS = 10;
    private static final int ROUNDS = 25;

    @RegisterExtension
    final TestServer.Managed server = TestServer.perTest();

    @Test
    void aConsumerReadingEveryShardToItsEndWhileFourThreadsWriteSeesEveryChangeOnceInShardOrder() {
        DynamoDbClient db = server.client();
        DynamoDbStreamsClient streams = server.streams();
        String table = createTable(db, "Busy", StreamViewType.NEW_IMAGE);
        String arn = streamArn(db, table);
        Map<String, String> iterators = new LinkedHashMap<>();
        Map<String, List<Record>> read = new HashMap<>();
        for (Shard shard : shards(streams, arn)) {
            iterators.put(shard.shardId(), iterator(streams, arn, shard.shardId(), ShardIteratorType.TRIM_HORIZON));
            read.put(shard.shardId(), new ArrayList<>());
        }

        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try {
            CompletableFuture<?>[] writing = IntStream.range(0, WRITERS).mapToObj(w -> CompletableFuture.runAsync(
                    () -> write(db, table, w), writers)).toArray(CompletableFuture[]::new);
            CompletableFuture<?> done = CompletableFuture.allOf(writing).thenRun(() -> db.updateTable(r -> r
                    .tableName(table).streamSpecification(s -> s.streamEnabled(false))));
            await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        readEveryOpenShard(streams, iterators, read);
                        return iterators.isEmpty();
                    });
            done.join();
        } finally {
            writers.shutdownNow();
        }

        Set<String> eventIds = new HashSet<>();
        Map<String, String> shardOfItem = new HashMap<>();
        Map<String, List<Integer>> versionsOfItem = new HashMap<>();
        for (Map.Entry<String, List<Record>> shard : read.entrySet()) {
            BigInteger previous = BigInteger.ZERO;
            for (Record r : shard.getValue()) {
                assertTrue(eventIds.add(r.eventID()), "seen twice: " + r);
                BigInteger sequence = new BigInteger(r.dynamodb().sequenceNumber());
                assertTrue(sequence.compareTo(previous) > 0, "out of order in " + shard.getKey() + ": " + r);
                previous = sequence;
                String itemKey = r.dynamodb().keys().get("pk").s();
                assertEquals(shard.getKey(), shardOfItem.computeIfAbsent(itemKey, k -> shard.getKey()),
                        itemKey + " in two shards");
                versionsOfItem.computeIfAbsent(itemKey, k -> new ArrayList<>())
                        .add(Integer.parseInt(r.dynamodb().newImage().get("v").n()));
                assertEquals(versionsOfItem.get(itemKey).size() == 1 ? OperationType.INSERT : OperationType.MODIFY,
                        r.eventName());
            }
        }
        assertEquals(WRITERS * ITEMS * ROUNDS, eventIds.size());
        List<Integer> everyRound = IntStream.range(0, ROUNDS).boxed().toList();
        assertEquals(WRITERS * ITEMS, versionsOfItem.size());
        versionsOfItem.forEach((itemKey, versions) -> assertEquals(everyRound, versions, itemKey));
        assertTrue(read.values().stream().filter(records -> !records.isEmpty()).count() > 1,
                "the changes spread over several shards");
    }

    /** Each writer puts each of its items once per round, with the round as its version. */
    private static void write(DynamoDbClient db, String table, int writer) {
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < ITEMS; i++) {
                String pk = "w" + writer + "-i" + i;
                int version = round;
                db.putItem(r -> r.tableName(table).item(item("pk", s(pk), "sk", n(1), "v", n(version))));
            }
        }
    }

    /** One GetRecords on every shard not read to its end yet; a shard read to its end leaves {@code iterators}. */
    private static void readEveryOpenShard(DynamoDbStreamsClient streams, Map<String, String> iterators,
                                           Map<String, List<Record>> read) {
        for (String shardId : List.copyOf(iterators.keySet())) {
            GetRecordsResponse page = streams.getRecords(r -> r.shardIterator(iterators.get(shardId)).limit(100));
            read.get(shardId).addAll(page.records());
            if (page.nextShardIterator() == null) {
                iterators.remove(shardId);
            } else {
                iterators.put(shardId, page.nextShardIterator());
            }
        }
    }
}
