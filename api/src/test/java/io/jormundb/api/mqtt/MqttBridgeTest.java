package io.jormundb.api.mqtt;

import io.jormundb.api.FreePort;
import io.jormundb.api.Metrics;
import io.jormundb.api.StallingProxy;
import io.jormundb.api.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bridge against a real Mosquitto started by the test. */
class MqttBridgeTest {
    private Mosquitto mosquitto;

    @BeforeEach
    void startMosquitto() {
        mosquitto = Mosquitto.startNew();
    }

    @AfterEach
    void stopMosquitto() {
        mosquitto.close();
    }

    /** A subscriber at Mosquitto with a persistent session, so that it misses nothing across reconnects. */
    private Subscriber mosquittoSubscriber(String clientId, String filter) {
        Subscriber s = Subscriber.reconnecting(mosquitto.port(), clientId, Mosquitto.USER, Mosquitto.PASSWORD);
        s.connect(false, null, null);
        s.subscribeTo(filter);
        return s;
    }

    @Test
    void bridgeAndEmbeddedBrokerPublishTheSameMessagesTheBridgeUnderItsPrefix() {
        int mqttPort = FreePort.find();
        try (TestServer server = TestServer.start(cfg -> cfg.withMqttPort(mqttPort)
                .withMqttBridge(mosquitto.uri(), Mosquitto.USER, Mosquitto.PASSWORD, "jormundb-test", "site1"));
             Subscriber external = mosquittoSubscriber("external", "site1/jormundb/#");
             Subscriber embedded = Subscriber.subscribe(mqttPort, "jormundb/#")) {
            Orders.create(server.client());
            Orders.put(server.client(), "c/1", "o#1");
            Orders.put(server.client(), "c 2", "ö+");

            await().atMost(Duration.ofSeconds(10)).until(() -> external.received().size() == 2
                    && embedded.received().size() == 2);
            assertEquals(Set.of("site1/jormundb/Orders/c%2F1/o%231", "site1/jormundb/Orders/c 2/ö%2B"), external.topics());
            for (Subscriber.Message viaBridge : external.received()) {
                Subscriber.Message direct = embedded.received().stream()
                        .filter(m -> viaBridge.topic().equals("site1/" + m.topic())).findFirst().orElseThrow();
                assertArrayEquals(direct.payload(), viaBridge.payload());
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> Metrics.value(server.endpoint(),
                    "jormundb_mqtt_publisher_lag{reader=\"mqtt-bridge\"}") == 0);
        }
    }

    @Test
    void bridgeConnectsAndCatchesUpWhenTheExternalBrokerComesUpAfterTheServer() {
        try (Subscriber subscriber = mosquittoSubscriber("late-subscriber", "jormundb/#")) {
            mosquitto.stop();
            try (TestServer server = TestServer.start(cfg -> cfg
                    .withMqttBridge(mosquitto.uri(), Mosquitto.USER, Mosquitto.PASSWORD, "jormundb-test", null))) {
                Orders.create(server.client());
                Orders.putRange(server.client(), 0, 10);
                mosquitto.start();
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(Set.of(),
                        subscriber.missing(Orders.topics(0, 10)), mosquitto::log));
            }
        }
    }

    @Test
    void bridgeLosesNothingWhenTheExternalBrokerStopsAndRestartsMidStream() {
        try (TestServer server = TestServer.start(cfg -> cfg
                .withMqttBridge(mosquitto.uri(), Mosquitto.USER, Mosquitto.PASSWORD, "jormundb-test", ""));
             Subscriber subscriber = mosquittoSubscriber("persistent-subscriber", "jormundb/#")) {
            Orders.create(server.client());
            Orders.putRange(server.client(), 0, 30);
            await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.received().size() >= 30);

            mosquitto.stop();
            long slowest = 0;
            for (int i = 30; i < 60; i++) {
                long start = System.nanoTime();
                Orders.put(server.client(), "c" + i, "o");
                slowest = Math.max(slowest, System.nanoTime() - start);
            }
            assertTrue(slowest < Duration.ofSeconds(1).toNanos(), "a write waited for the bridge: " + slowest + " ns");
            await().atMost(Duration.ofSeconds(5)).until(() -> Metrics.value(server.endpoint(),
                    "jormundb_mqtt_publisher_lag{reader=\"mqtt-bridge\"}") == 30);

            mosquitto.start();
            Orders.putRange(server.client(), 60, 90);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(Set.of(),
                    subscriber.missing(Orders.topics(0, 90)), mosquitto::log));
            assertEquals(Orders.topics(0, 90), subscriber.topics());
            subscriber.assertDuplicatesCarryTheSameToken();
        }
    }

    /**
     * A message whose connection drops before its PUBACK is sent again once the bridge reconnects,
     * also when nothing is written after it (the publisher's heartbeats queue up behind it meanwhile).
     */
    @Test
    void aMessageInFlightWhenTheConnectionDropsIsSentAgainWithNoWriteAfterIt() {
        try (StallingProxy link = new StallingProxy(mosquitto.port());
             TestServer server = TestServer.start(cfg -> cfg.withMqttBridge("tcp://127.0.0.1:" + link.port(),
                     Mosquitto.USER, Mosquitto.PASSWORD, "jormundb-test", null));
             Subscriber subscriber = mosquittoSubscriber("drop-subscriber", "jormundb/#")) {
            String lag = "jormundb_mqtt_publisher_lag{reader=\"mqtt-bridge\"}";
            Orders.create(server.client());
            Orders.put(server.client(), "c0", "o");
            await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.received().size() == 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> Metrics.value(server.endpoint(), lag) == 0);

            link.pause();
            Orders.put(server.client(), "c1", "o");
            // In flight, unacknowledged, while several heartbeats of the publisher pass.
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                    .until(() -> Metrics.value(server.endpoint(), lag) == 1);
            link.dropConnections();
            link.resume();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(Set.of(),
                    subscriber.missing(Orders.topics(0, 2)), mosquitto::log));
            await().atMost(Duration.ofSeconds(5)).until(() -> Metrics.value(server.endpoint(), lag) == 0);
        }
    }

    /** A host name with an underscore (as Docker Compose names services) is a host like any other. */
    @Test
    void aBridgeToAHostNameWithAnUnderscoreStartsAndWaitsForIt() {
        try (TestServer server = TestServer.start(cfg -> cfg.withMqttBridge("tcp://no_such_broker.invalid:1883",
                null, null, "jormundb-test", null))) {
            Orders.create(server.client());
            Orders.put(server.client(), "c0", "o");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertEquals(1, Metrics.value(server.endpoint(),
                    "jormundb_mqtt_publisher_lag{reader=\"mqtt-bridge\"}"), "the put, waiting for the broker"));
        }
    }

    /**
     * A broker that closes the connection on a packet larger than it takes (Mosquitto's
     * max_packet_size, AWS IoT's 128 KB): without --mqtt-bridge-max-packet-size the bridge holds
     * everything from that message on (lost nothing) until the broker takes it; with it, the
     * message is skipped with an error and the rest goes on.
     */
    @Test
    void aMessageLargerThanTheExternalBrokerTakesIsHeldOrSkippedAsConfigured() {
        mosquitto.restartWith("max_packet_size 100000");
        String lag = "jormundb_mqtt_publisher_lag{reader=\"mqtt-bridge\"}";
        try (Subscriber subscriber = mosquittoSubscriber("size-subscriber", "jormundb/#")) {
            try (TestServer server = TestServer.start(cfg -> cfg.withMqttBridge(mosquitto.uri(), Mosquitto.USER,
                    Mosquitto.PASSWORD, "jormundb-test", null))) {
                Orders.create(server.client());
                Orders.put(server.client(), "c0", "o");
                putLarge(server, "c1");
                Orders.put(server.client(), "c2", "o");
                await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.topics().contains("jormundb/Orders/c0/o"));
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                        .until(() -> Metrics.value(server.endpoint(), lag) == 2);
                assertEquals(Set.of("jormundb/Orders/c0/o"), subscriber.topics(), "nothing past the large message");

                mosquitto.restartWith();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(Set.of(),
                        subscriber.missing(Orders.topics(0, 3)), mosquitto::log));
                await().atMost(Duration.ofSeconds(5)).until(() -> Metrics.value(server.endpoint(), lag) == 0);
            }

            mosquitto.restartWith("max_packet_size 100000");
            try (TestServer server = TestServer.start(cfg -> cfg.withMqttBridge(mosquitto.uri(), Mosquitto.USER,
                    Mosquitto.PASSWORD, "jormundb-test", null).with(b -> b.mqttBridgeMaxPacketSize(97 * 1024)))) {
                Orders.create(server.client());
                Orders.put(server.client(), "c3", "o");
                putLarge(server, "c4");
                Orders.put(server.client(), "c5", "o");
                await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.topics().contains("jormundb/Orders/c5/o"));
                assertTrue(subscriber.topics().contains("jormundb/Orders/c3/o"));
                assertFalse(subscriber.topics().contains("jormundb/Orders/c4/o"), "the large one skipped");
                await().atMost(Duration.ofSeconds(5)).until(() -> Metrics.value(server.endpoint(), lag) == 0);
            }
        }
    }

    /** An order with a 200 KB note: its message is a PUBLISH packet of more than 200 KB. */
    private static void putLarge(TestServer server, String customer) {
        server.client().putItem(b -> b.tableName("Orders").item(Map.of(
                "customer", AttributeValue.fromS(customer),
                "order", AttributeValue.fromS("o"),
                "note", AttributeValue.fromS("x".repeat(200_000)))));
    }
}
