package io.jormundb.api.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import io.jormundb.api.StallingProxy;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each item's changes reach a subscriber in the order they were made: a message that Moquette
 * found the connection writable for is sent then, not dropped to go again seconds later (a QoS 1
 * message's resend), behind the changes made after it. Both ways the connection's writability
 * used to change under such a message are driven here: large item images, each more than a
 * connection's write buffer holds, among small ones; and subscribers on thin links, whose
 * connections turn unwritable and writable again many times a second (a change passed from the
 * client's connection to Moquette's side of it at the wrong moment: one run in three without the fix).
 */
class MqttOrderTest extends OrdersOverMqtt {
    private static final int WRITERS = 4;
    private static final int KEYS = 3;
    private static final int ROUNDS = 40;
    private static final int CHANGES = WRITERS * ROUNDS * KEYS * 2;
    private static final int THIN_LINKS = 8;

    @Test
    void largeAndSmallChangesOfOneItemArriveInTheOrderMade() throws Exception {
        try (Subscriber subscriber = Subscriber.subscribe(mqttPort, "jormundb/Orders/#")) {
            writeAll("b".repeat(300_000), "small");

            assertAllInOrder(subscriber);
        }
    }

    @Test
    void subscribersOnThinLinksGetEachItemsChangesInOrder() throws Exception {
        List<StallingProxy> links = new ArrayList<>();
        List<Subscriber> subscribers = new ArrayList<>();
        try {
            for (int i = 0; i < THIN_LINKS; i++) {
                StallingProxy link = new StallingProxy(mqttPort);
                links.add(link);
                subscribers.add(Subscriber.subscribe(link.port(), "jormundb/Orders/#"));
                link.limit(200_000); // 2 MB/s each, for 12 MB of changes (new and old images)
            }

            writeAll("m".repeat(8_000), "s".repeat(4_000));

            subscribers.forEach(MqttOrderTest::assertAllInOrder);
        } finally {
            subscribers.forEach(Subscriber::close);
            links.forEach(StallingProxy::close);
        }
    }

    /** {@link #WRITERS} writers at once, each on its own keys: per key, a first image, then a second, round after round. */
    private void writeAll(String first, String second) {
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try {
            CompletableFuture.allOf(IntStream.range(0, WRITERS).mapToObj(w -> CompletableFuture.runAsync(() -> {
                for (int round = 0; round < ROUNDS; round++) {
                    for (int k = 0; k < KEYS; k++) {
                        put(server.client(), w, k, round, first);
                        put(server.client(), w, k, round, second);
                    }
                }
            }, writers)).toArray(CompletableFuture[]::new)).join();
        } finally {
            writers.shutdown();
        }
    }

    private static void assertAllInOrder(Subscriber subscriber) {
        await().atMost(Duration.ofSeconds(60)).alias("all " + CHANGES + " changes received")
                .until(() -> distinctChanges(subscriber), n -> n >= CHANGES);
        assertEquals(CHANGES, distinctChanges(subscriber));
        assertEachItemInOrder(subscriber.received());
    }

    private static void put(DynamoDbClient client, int w, int k, int round, String note) {
        client.putItem(b -> b.tableName("Orders").item(Map.of(
                "customer", AttributeValue.fromS("w" + w),
                "order", AttributeValue.fromS("k" + k),
                "round", AttributeValue.fromN(Integer.toString(round)),
                "note", AttributeValue.fromS(note))));
    }

    private static long distinctChanges(Subscriber subscriber) {
        return subscriber.received().stream().map(m -> m.json().get("eventID").asText()).distinct().count();
    }

    /** Per topic, positions strictly rising, each change once: what was received first stays first. */
    private static void assertEachItemInOrder(List<Subscriber.Message> received) {
        Map<String, List<String>> positions = new HashMap<>();
        List<String> breaches = new ArrayList<>();
        Map<String, long[]> last = new HashMap<>();
        for (Subscriber.Message m : received) {
            JsonNode change = m.json();
            long[] position = {change.get("commitVersion").asLong(), change.get("commitIndex").asLong()};
            positions.computeIfAbsent(m.topic(), t -> new ArrayList<>()).add(position[0] + "." + position[1]);
            long[] before = last.put(m.topic(), position);
            if (before != null && (before[0] > position[0] || before[0] == position[0] && before[1] >= position[1])) {
                breaches.add(m.topic() + ": " + position[0] + "." + position[1] + " after " + before[0] + "."
                        + before[1]);
            }
        }
        assertTrue(breaches.isEmpty(), breaches.size() + " changes arrived after a later change of their item: "
                + breaches.subList(0, Math.min(10, breaches.size())));
    }
}
