package io.jormundb.api.sse;

import io.jormundb.api.EventStream;
import io.jormundb.api.EventStream.Event;
import io.jormundb.api.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.jormundb.api.Sdk.createTable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deleting a table while 50 subscribers read it, writers write and /metrics is scraped: every
 * feed of the table ends with {@code event: table-deleted} as its last event (also one that was
 * still catching up), the all-tables feeds announce it and go on, and /metrics never fails.
 */
class TableDeletionFeedsTest {
    @RegisterExtension
    final TestServer.Managed server = TestServer.perTest(cfg -> cfg.withSseHeartbeat(Duration.ofMillis(200)));

    @Test
    void everyFeedOfADeletedTableEndsWithTableDeletedAndTheAllTablesFeedsGoOn() throws Exception {
        DynamoDbClient client = server.client();
        createTable(client, "Stays", "pk", ScalarAttributeType.S);
        for (int round = 0; round < 3; round++) {
            createTable(client, "Gone", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<Integer> metricsStatuses = new ConcurrentLinkedQueue<>();
            ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
            try {
                List<Future<?>> work = new ArrayList<>();
                for (int w = 0; w < 2; w++) {
                    int writer = w;
                    work.add(background.submit(() -> writeUntilGone(client, writer, stop)));
                }
                work.add(background.submit(() -> {
                    scrapeMetrics(metricsStatuses, stop);
                    return null;
                }));
                List<EventStream> tableFeeds = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    tableFeeds.add(EventStream.connect(feed(Map.of())));
                }
                for (int i = 0; i < 10; i++) {
                    tableFeeds.add(EventStream.connect(feed(Map.of("partitionKey", "p" + i % 4))));
                }
                for (int i = 0; i < 10; i++) {
                    tableFeeds.add(EventStream.connect(feed(Map.of("partitionKey", "p" + i % 4, "sortKey", "1"))));
                }
                List<EventStream> allFeeds = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    allFeeds.add(EventStream.connect(EventStream.changes(server.endpoint(), Map.of())));
                }
                // Ten more open while the table is deleted: those accepted are still catching up.
                List<Future<EventStream>> racing = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    racing.add(background.submit(() -> EventStream.open(feed(Map.of("since", "trim_horizon")))));
                }
                client.deleteTable(b -> b.tableName("Gone"));
                for (Future<EventStream> f : racing) {
                    EventStream s = f.get();
                    assertTrue(s.status() == 200 || s.status() == 404, () -> "status " + s.status());
                    if (s.status() == 200) {
                        tableFeeds.add(s);
                    }
                }
                for (EventStream s : tableFeeds) {
                    try (s) {
                        List<Event> events = s.eventsUntilEnd();
                        Event last = events.getLast();
                        assertEquals("table-deleted", last.name(), () -> "last event " + last);
                        assertEquals("Gone", last.json().path("tableName").asText());
                        assertEquals(1, events.stream().filter(e -> e.name().equals("table-deleted")).count());
                    }
                }
                String after = "after-" + round;
                Tables.put(client, "Stays", "s", after);
                for (EventStream s : allFeeds) {
                    try (s) {
                        Event e;
                        do {
                            e = s.next();
                        } while (!e.name().equals("table-deleted"));
                        assertEquals("Gone", e.json().path("tableName").asText());
                        do {
                            e = s.next();
                            assertTrue(!"Gone".equals(e.table()), () -> "a change of Gone after its deletion");
                        } while (!after.equals(e.attribute("w")));
                    }
                }
                stop.set(true);
                for (Future<?> f : work) {
                    f.get();
                }
            } finally {
                stop.set(true);
                background.close();
            }
            assertTrue(metricsStatuses.size() > 0);
            assertTrue(metricsStatuses.stream().allMatch(status -> status == 200), metricsStatuses::toString);
        }
    }

    private static void writeUntilGone(DynamoDbClient client, int writer, AtomicBoolean stop) {
        for (int i = 0; !stop.get(); i++) {
            try {
                Tables.put(client, "Gone", "p" + i % 4, i % 3, "w" + writer + "-" + i);
            } catch (ResourceNotFoundException gone) {
                Tables.put(client, "Stays", "s" + writer, "w" + writer + "-" + i);
            }
        }
    }

    private void scrapeMetrics(ConcurrentLinkedQueue<Integer> statuses, AtomicBoolean stop) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest request = HttpRequest.newBuilder(server.endpoint().resolve("/metrics")).build();
            while (!stop.get()) {
                statuses.add(http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
            }
        }
    }

    private URI feed(Map<String, String> params) {
        return EventStream.changes(server.endpoint(), "Gone", params);
    }
}
