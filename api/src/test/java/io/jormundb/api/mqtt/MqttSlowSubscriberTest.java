package io.jormundb.api.mqtt;

import io.jormundb.api.Metrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A subscriber that stops reading fills only its own session (its in-flight window, then its
 * session queue): the others get every change exactly once, without waiting for it. And what the
 * server keeps for it is bounded: QoS 0 messages are dropped, a clean session whose queue passes
 * the limit is disconnected.
 */
class MqttSlowSubscriberTest extends OrdersOverMqtt {
    private static final int CHANGES = 2_000;
    private static final String PAD = "x".repeat(1_000);

    @ParameterizedTest(name = "clean session {0}")
    @ValueSource(booleans = {true, false})
    void aSubscriberThatNeverReadsCostsTheOthersNothing(boolean cleanSession) throws Exception {
        try (Socket stalled = stalledSubscriber(cleanSession, 1);
             Subscriber healthy = Subscriber.subscribe(mqttPort, "jormundb/Orders/#")) {
            // From here on the stalled client reads nothing: a megabyte of changes waits for it.

            putOrders("c", CHANGES, PAD);
            await().atMost(Duration.ofSeconds(60)).until(() -> healthy.received().size() >= CHANGES);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> healthy.received().size() == CHANGES);
            assertEquals(CHANGES, healthy.received().stream().map(m -> m.json().get("eventID").asText())
                    .distinct().count(), "every change exactly once");
        }
    }

    /**
     * What the server holds for a client that stopped reading is bounded: QoS 0 messages beyond what
     * its connection buffers are dropped, as for any slow socket. 120 MB of changes go by; the heap
     * afterwards holds at most what the live tail keeps anyway (its ring: 16 MB of records and
     * their JSON).
     */
    @Test
    void aQos0SubscriberThatNeverReadsPinsABoundedAmount() throws Exception {
        int items = 400;
        String big = "y".repeat(300_000);
        try (Socket stalled = stalledSubscriber(true, 0)) {
            long before = heapAfterGc();

            putOrders("big", items, big);
            await().atMost(Duration.ofSeconds(60)).until(() -> Metrics.value(server.endpoint(),
                    "jormundb_mqtt_publisher_lag{reader=\"mqtt\"}") == 0);
            long pinned = heapAfterGc() - before;
            assertTrue(pinned < 64L << 20, "after 120 MB of changes a stalled subscriber's server holds "
                    + (pinned >> 20) + " MB more");
        }
    }

    /**
     * A QoS 1 subscriber that stops reading leaves Moquette queueing for it; once its clean session's
     * queue holds more than the limit (32 MB here, of 48 MB written), the server disconnects it, and
     * everyone else still gets every change once.
     */
    @Test
    void aQos1SubscriberThatFallsTooFarBehindIsDisconnected() throws Exception {
        int items = 160;
        try (Socket stalled = stalledSubscriber(true, 1);
             Subscriber healthy = Subscriber.subscribe(mqttPort, "jormundb/Orders/#")) {

            putOrders("big", items, "z".repeat(300_000));
            await().atMost(Duration.ofSeconds(60)).until(() -> healthy.received().size() >= items);
            // What the server had sent it, then the end of the stream: the server closed the connection
            // (long before the keep-alive of 60 s would have, and Moquette resends what is in flight
            // every few seconds, so a read alone would not end).
            CompletableFuture<Long> drained = CompletableFuture.supplyAsync(() -> {
                try {
                    return stalled.getInputStream().transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            await().atMost(Duration.ofSeconds(20)).until(drained::isDone);
            assertEquals(1.0, Metrics.value(server.endpoint(), "jormundb_mqtt_slow_disconnects_total"));
            assertEquals(items, healthy.received().stream().map(m -> m.json().get("eventID").asText())
                    .distinct().count(), "every change exactly once to the subscriber that keeps up");
        }
    }

    /**
     * A client subscribed to every order at QoS {@code qos} (CONNACK and SUBACK read) that reads
     * nothing more, with a small receive buffer.
     */
    private Socket stalledSubscriber(boolean cleanSession, int qos) throws IOException {
        Socket stalled = new Socket();
        stalled.setReceiveBufferSize(2048);
        stalled.connect(new InetSocketAddress("127.0.0.1", mqttPort));
        OutputStream out = stalled.getOutputStream();
        out.write(RawMqtt.connectPacket("stalled", null, cleanSession));
        out.write(RawMqtt.subscribePacket(1, "jormundb/Orders/#", qos));
        InputStream in = stalled.getInputStream();
        assertEquals(0x20, in.readNBytes(4)[0], "CONNACK");
        assertEquals(0x90, in.readNBytes(5)[0] & 0xFF, "SUBACK");
        return stalled;
    }

    /** Puts {@code count} orders of customers {@code prefix}0, 1, … padded with {@code pad}, 25 a batch. */
    private void putOrders(String prefix, int count, String pad) {
        for (int i = 0; i < count; i += 25) {
            List<WriteRequest> puts = new ArrayList<>();
            for (int j = i; j < Math.min(count, i + 25); j++) {
                puts.add(WriteRequest.builder().putRequest(PutRequest.builder().item(Map.of(
                        "customer", AttributeValue.fromS(prefix + j), "order", AttributeValue.fromS("o"),
                        "pad", AttributeValue.fromS(pad))).build()).build());
            }
            server.client().batchWriteItem(b -> b.requestItems(Map.of("Orders", puts)));
        }
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
