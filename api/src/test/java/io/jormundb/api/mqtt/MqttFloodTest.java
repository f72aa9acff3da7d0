package io.jormundb.api.mqtt;

import io.jormundb.api.Metrics;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client flooding publishes must not fill a Moquette session event loop: Moquette 0.17 runs each
 * session on one of a few event loops (one per core), each with one bounded command queue (32,768)
 * shared by its sessions, and a change that finds one full fails for the subscribers there. The
 * publisher then handed the change again to everyone: duplicates for every subscriber that had it.
 * The guard reads a client's connection no faster than {@code --mqtt-max-publish-rate}.
 */
class MqttFloodTest extends OrdersOverMqtt {
    private static final String FILTER = "jormundb/Orders/#";
    private static final String PAD = "x".repeat(200);
    private static final int LOOPS = Runtime.getRuntime().availableProcessors();
    @Test
    void aClientFloodingPublishesIsSlowedToTheRateLimitAndCostsTheOthersNothing() throws Exception {
        int items = 2_000;
        try (Subscriber healthy = Subscriber.withId(mqttPort, idOnAnotherLoop("healthy", "flooder"));
             Flooder flooder = Flooder.start(mqttPort, "flooder")) {
            healthy.connect(true, null, null);
            healthy.subscribeTo(FILTER);
            await().atMost(Duration.ofSeconds(30)).until(() -> Metrics.value(server.endpoint(),
                    "jormundb_mqtt_publish_throttles_total") >= 1);
            putTwice(server.client(), items);
            assertEveryChangeExactlyOnce(healthy, 2 * items);
            assertTrue(flooder.isOpen(), "a flooding client is slowed down, not disconnected");
        }
    }

    /** Every change arrived once and nothing arrives after that (no resend of what it had). */
    private static void assertEveryChangeExactlyOnce(Subscriber subscriber, int changes) {
        await().atMost(Duration.ofSeconds(60)).until(() -> subscriber.received().size() >= changes);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
                .until(() -> subscriber.received().size() == changes);
        assertEquals(changes, subscriber.received().stream().map(m -> m.json().get("eventID").asText())
                .distinct().count(), "every change once");
    }

    /** An id from {@code prefix} whose Moquette session event loop is not {@code other}'s (if there are two). */
    private static String idOnAnotherLoop(String prefix, String other) {
        return IntStream.iterate(0, i -> i + 1).mapToObj(i -> prefix + "-" + i)
                .filter(id -> LOOPS == 1 || loop(id) != loop(other)).findFirst().orElseThrow();
    }

    /** Moquette 0.17's SessionEventLoopGroup.targetQueueOrdinal. */
    private static int loop(String clientId) {
        return Math.abs(clientId.hashCode()) % LOOPS;
    }

    /** Puts items {@code c0} to {@code c<count - 1>} twice, 25 to a batch. */
    private static void putTwice(DynamoDbClient client, int count) {
        for (int round = 1; round <= 2; round++) {
            for (int i = 0; i < count; i += 25) {
                List<WriteRequest> puts = new ArrayList<>();
                for (int j = i; j < Math.min(i + 25, count); j++) {
                    puts.add(WriteRequest.builder().putRequest(PutRequest.builder().item(Map.of(
                            "customer", AttributeValue.fromS("c" + j), "order", AttributeValue.fromS("o"),
                            "round", AttributeValue.fromN(Integer.toString(round)),
                            "pad", AttributeValue.fromS(PAD))).build()).build());
                }
                client.batchWriteItem(b -> b.requestItems(Map.of("Orders", puts)));
            }
        }
    }

    /**
     * A raw MQTT client subscribed to {@value #FILTER} and to {@code flood/#} that never reads and
     * sends QoS 0 publishes to {@code flood/x} as fast as its socket takes them, until closed.
     */
    private static final class Flooder implements AutoCloseable {
        private final Socket socket;
        private final Thread thread;

        private Flooder(Socket socket, Thread thread) {
            this.socket = socket;
            this.thread = thread;
        }

        static Flooder start(int port, String clientId) throws IOException {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(2048);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            OutputStream out = socket.getOutputStream();
            out.write(RawMqtt.connectPacket(clientId, null, true));
            out.write(RawMqtt.subscribePacket(1, FILTER));
            out.write(RawMqtt.subscribePacket(2, "flood/#"));
            byte[] connackAndSubacks = socket.getInputStream().readNBytes(4 + 5 + 5);
            assertEquals(0x20, connackAndSubacks[0], "CONNACK");
            assertEquals(0x90, connackAndSubacks[connackAndSubacks.length - 5] & 0xFF, "SUBACK");
            byte[] publish = {0x30, 9, 0, 7, 'f', 'l', 'o', 'o', 'd', '/', 'x'};
            byte[] burst = new byte[publish.length * 1000];
            for (int i = 0; i < 1000; i++) {
                System.arraycopy(publish, 0, burst, i * publish.length, publish.length);
            }
            Thread thread = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        out.write(burst);
                    }
                } catch (IOException closed) {
                    // Closed by the test or by the server.
                }
            });
            return new Flooder(socket, thread);
        }

        /** Whether the server kept the connection: its writes still go through. */
        boolean isOpen() {
            return thread.isAlive();
        }

        @Override
        public void close() throws Exception {
            socket.close();
            thread.join();
        }
    }
}
