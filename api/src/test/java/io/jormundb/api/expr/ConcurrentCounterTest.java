package io.jormundb.api.expr;

import io.jormundb.api.EventStream.Event;
import io.jormundb.api.TestServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static io.jormundb.api.EventStream.changes;
import static io.jormundb.api.EventStream.firstEvents;
import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.s;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An ADD counter incremented by 16 threads at once.
 *
 * <p>Allowed outcome: the counter ends at exactly threads × increments, every increment's
 * UPDATED_NEW value is a distinct number from 1 to that total, and the changelog holds one record
 * per increment, in commit order (INSERT of 1, then MODIFY k-1 → k), gapless sequences.
 * Forbidden: a lost update (a lower total, a value returned twice), a record missing, repeated
 * or out of order.
 */
class ConcurrentCounterTest {
    private static final int THREADS = 16;
    private static final int INCREMENTS = 10;
    private static final int TOTAL = THREADS * INCREMENTS;

    @Test
    void sixteenThreadsAddingToOneCounterEndAtTheExactTotal() throws Exception {
        try (TestServer server = TestServer.start()) {
            DynamoDbClient client = server.client();
            createTable(client, "Counters", "pk", ScalarAttributeType.S);
            var key = item("pk", s("hits"));
            var one = item(":one", n("1"));
            ConcurrentLinkedQueue<Integer> returned = new ConcurrentLinkedQueue<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> workers = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
                for (int t = 0; t < THREADS; t++) {
                    workers.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < INCREMENTS; i++) {
                            var r = client.updateItem(u -> u.tableName("Counters").key(key).updateExpression("ADD c :one")
                                    .expressionAttributeValues(one).returnValues(ReturnValue.UPDATED_NEW));
                            returned.add(Integer.parseInt(r.attributes().get("c").n()));
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> worker : workers) {
                    worker.get();
                }
            }

            assertEquals(String.valueOf(TOTAL), client.getItem(r -> r.tableName("Counters").key(key)).item().get("c").n());
            Set<Integer> distinct = new TreeSet<>(returned);
            assertEquals(TOTAL, returned.size());
            assertEquals(IntStream.rangeClosed(1, TOTAL).boxed().toList(), List.copyOf(distinct));

            List<Event> events = firstEvents(changes(server.endpoint(), "Counters",
                    Map.of("since", "trim_horizon", "partitionKey", "hits")), TOTAL);
            assertEquals("INSERT", events.getFirst().name());
            long firstSequence = events.getFirst().sequence();
            for (int k = 1; k <= TOTAL; k++) {
                Event e = events.get(k - 1);
                assertEquals(String.valueOf(k), e.newImage().path("c").path("N").asText(), "record " + k);
                if (k > 1) {
                    assertEquals("MODIFY", e.name());
                    assertEquals(String.valueOf(k - 1), e.oldImage().path("c").path("N").asText(), "record " + k);
                }
                assertEquals(firstSequence + k - 1, e.sequence(), "record " + k);
            }
        }
    }
}
