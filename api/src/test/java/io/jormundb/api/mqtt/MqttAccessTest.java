package io.jormundb.api.mqtt;

import io.jormundb.api.FreePort;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import io.jormundb.api.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who may connect and who may publish what on the embedded broker. */
class MqttAccessTest {

    @Test
    void clientsCannotPublishUnderTheServersTopicsButElsewhere() {
        int mqttPort = FreePort.find();
        try (TestServer server = TestServer.start(cfg -> cfg.withMqttPort(mqttPort));
             Subscriber everything = Subscriber.subscribe(mqttPort, "#");
             Subscriber intruder = Subscriber.subscribe(mqttPort, "app/#")) {
            Orders.create(server.client());
            for (String topic : List.of("jormundb/Orders/c1/o1", "jormundb", "jormundb/x")) {
                intruder.client().publishWith().topic(topic).qos(MqttQos.AT_MOST_ONCE)
                        .payload("{\"fake\":true}".getBytes(StandardCharsets.UTF_8)).send();
                // A refused QoS 1 publish gets no PUBACK: don't wait for it.
                intruder.client().publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                        .payload("{\"fake\":true}".getBytes(StandardCharsets.UTF_8)).send();
            }
            // Published after the refused ones on the same connection, so delivered after them if they were.
            intruder.client().publishWith().topic("app/ping").qos(MqttQos.AT_LEAST_ONCE)
                    .payload("pong".getBytes(StandardCharsets.UTF_8)).send().join();
            Orders.put(server.client(), "c1", "o1");

            await().atMost(Duration.ofSeconds(10)).until(() -> everything.received().size() == 2);
            assertEquals(Set.of("app/ping", "jormundb/Orders/c1/o1"), everything.topics());
            assertEquals(Set.of("app/ping"), intruder.topics());
            Subscriber.Message real = everything.received().stream()
                    .filter(m -> m.topic().startsWith("jormundb/")).findFirst().orElseThrow();
            assertEquals("INSERT", real.json().get("eventName").asText());
        }
    }

    @Test
    void aWillUnderTheServersTopicsIsRefusedAtConnectAndOtherWillsStillWork() {
        int mqttPort = FreePort.find();
        try (TestServer server = TestServer.start(cfg -> cfg.withMqttPort(mqttPort));
             Subscriber everything = Subscriber.subscribe(mqttPort, "#")) {
            try (RawMqtt intruder = RawMqtt.open(mqttPort)) {
                assertEquals(5, intruder.connect("intruder", "jormundb/Orders/c1/o1").connack(), "CONNACK not authorized");
                assertTrue(intruder.closedByServer());
            }
            try (RawMqtt dropped = RawMqtt.open(mqttPort)) {
                assertEquals(0, dropped.connect("dropper", "app/will").connack(), "CONNACK accepted");
            } // closed without DISCONNECT: the broker publishes the will
            await().atMost(Duration.ofSeconds(10)).until(() -> everything.topics().contains("app/will"));

            assertOnlyRealChangesArrive(server, everything, Set.of("app/will"));
        }
    }

    @Test
    void aSecondConnectClosesTheConnectionAndItsWillIsNeverPublished() {
        int mqttPort = FreePort.find();
        try (TestServer server = TestServer.start(cfg -> cfg.withMqttPort(mqttPort));
             Subscriber everything = Subscriber.subscribe(mqttPort, "#")) {
            try (RawMqtt intruder = RawMqtt.open(mqttPort)) {
                assertEquals(0, intruder.connect("intruder", null).connack(), "CONNACK accepted");
                intruder.connect("intruder", "jormundb/Orders/forged");
                assertTrue(intruder.closedByServer());
            }
            assertOnlyRealChangesArrive(server, everything, Set.of());
        }
    }

    @Test
    void qos1AndQos2PublishesUnderTheServersTopicsAreAcknowledgedAndReachNoSubscriber() throws Exception {
        int mqttPort = FreePort.find();
        try (TestServer server = TestServer.start(cfg -> cfg.withMqttPort(mqttPort));
             Subscriber everything = Subscriber.subscribe(mqttPort, "#");
             Subscriber intruder = Subscriber.subscribe(mqttPort, "app/#")) {
            for (MqttQos qos : List.of(MqttQos.AT_LEAST_ONCE, MqttQos.EXACTLY_ONCE)) {
                // Completes on PUBACK (QoS 1) or PUBCOMP (QoS 2): the guard answers for the broker.
                intruder.client().publishWith().topic("jormundb/Orders/c1/o1").qos(qos)
                        .payload("{\"fake\":true}".getBytes(StandardCharsets.UTF_8)).send().get(10, TimeUnit.SECONDS);
            }
            intruder.client().publishWith().topic("app/ping").qos(MqttQos.EXACTLY_ONCE)
                    .payload("pong".getBytes(StandardCharsets.UTF_8)).send().get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> everything.topics().contains("app/ping"));
            assertOnlyRealChangesArrive(server, everything, Set.of("app/ping"));
        }
    }

    @Test
    void aForgedPublishSentWithTheConnectIsAnsweredAfterTheConnack() throws Exception {
        int mqttPort = FreePort.find();
        try (TestServer server = TestServer.start(cfg -> cfg.withMqttPort(mqttPort));
             RawMqtt raw = RawMqtt.open(mqttPort)) {
            byte[] connect = RawMqtt.connectPacket("eager", null, true);
            byte[] forged = RawMqtt.publishPacket(1, "jormundb/Orders/c1/o1", 7, "{}");
            byte[] both = java.util.Arrays.copyOf(connect, connect.length + forged.length);
            System.arraycopy(forged, 0, both, connect.length, forged.length);
            raw.send(both);
            assertEquals(0, raw.connack(), "the server's first packet is its CONNACK [MQTT-3.2.0-1]");
            assertArrayEquals(new byte[] {0x40, 2, 0, 7}, raw.packet(), "then the PUBACK of the dropped publish");
        }
    }

    @Test
    void mosquittoPubToTheServersTopicsExitsAtOnceWithQos1And2AndReachesNoSubscriber() throws Exception {
        int mqttPort = FreePort.find();
        try (TestServer server = TestServer.start(cfg -> cfg.withMqttPort(mqttPort));
             Subscriber everything = Subscriber.subscribe(mqttPort, "#")) {
            for (String qos : List.of("1", "2")) {
                Process pub = Mosquitto.client("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(mqttPort),
                        "-q", qos, "-t", "jormundb/Orders/c1/o1", "-m", "{\"fake\":true}");
                assertTrue(pub.waitFor(10, TimeUnit.SECONDS), "mosquitto_pub -q " + qos + " still waits for an answer");
                assertEquals(0, pub.exitValue(), new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            assertOnlyRealChangesArrive(server, everything, Set.of());
        }
    }

    /**
     * Writes a real change and waits until {@code everything} has it: by then, a forged message
     * sent before would have arrived too. Asserts that {@code everything} got exactly the real
     * change and {@code others}, once each.
     */
    private static void assertOnlyRealChangesArrive(TestServer server, Subscriber everything, Set<String> others) {
        Orders.create(server.client());
        Orders.put(server.client(), "c1", "o1");
        await().atMost(Duration.ofSeconds(10)).until(() -> everything.topics().contains("jormundb/Orders/c1/o1"));
        Set<String> expected = new HashSet<>(others);
        expected.add("jormundb/Orders/c1/o1");
        assertEquals(expected, everything.topics());
        assertEquals(expected.size(), everything.received().size());
        Subscriber.Message real = everything.received().stream()
                .filter(m -> m.topic().startsWith("jormundb/")).findFirst().orElseThrow();
        assertEquals("INSERT", real.json().get("eventName").asText());
    }

    @Test
    void aConnectionThatSendsNoConnectIsClosedAfterTheConnectTimeout() {
        int mqttPort = FreePort.find();
        // Long enough that the well-behaved subscriber below connects in time on a busy machine.
        try (TestServer server = TestServer.start(cfg -> cfg.withMqttPort(mqttPort)
                .with(b -> b.mqttConnectTimeout(Duration.ofSeconds(2))));
             RawMqtt idle = RawMqtt.open(mqttPort)) {
            long start = System.nanoTime();
            assertTrue(idle.closedByServer());
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(waitedMs >= 1_900 && waitedMs < 10_000, "closed after " + waitedMs + " ms");
            try (Subscriber inTime = Subscriber.subscribe(mqttPort, "jormundb/#")) {
                Orders.create(server.client());
                Orders.put(server.client(), "c1", "o1");
                await().atMost(Duration.ofSeconds(10)).until(() -> inTime.received().size() == 1);
            }
        }
    }

    @Test
    void beyondTheConnectionLimitClientsAreAnsweredServerUnavailable() {
        int mqttPort = FreePort.find();
        try (TestServer server = TestServer.start(cfg -> cfg.withMqttPort(mqttPort).with(b -> b.mqttMaxConnections(2)));
             Subscriber first = Subscriber.subscribe(mqttPort, "jormundb/#");
             Subscriber second = Subscriber.subscribe(mqttPort, "jormundb/#")) {
            assertConnAck(mqttPort, null, null, Mqtt3ConnAckReturnCode.SERVER_UNAVAILABLE);
            second.disconnect();
            // The server sees the disconnection on its own time.
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
                try (Subscriber third = Subscriber.of(mqttPort)) {
                    third.connect(true, null, null);
                    return true;
                }
            });
        }
    }

    @Test
    void withAuthenticationOnlyTheRightUserAndPasswordConnect() {
        int mqttPort = FreePort.find();
        try (TestServer server = TestServer.start(cfg -> cfg.withMqttPort(mqttPort).withMqttAuth("app", "s3cret"))) {
            assertRefused(mqttPort, null, null);
            assertRefused(mqttPort, "app", "wrong");
            assertRefused(mqttPort, "other", "s3cret");

            try (Subscriber allowed = Subscriber.of(mqttPort)) {
                allowed.connect(true, "app", "s3cret");
                allowed.subscribeTo("jormundb/#");
                Orders.create(server.client());
                Orders.put(server.client(), "c1", "o1");
                await().atMost(Duration.ofSeconds(10)).until(() -> allowed.received().size() == 1);
            }
        }
    }

    private static void assertRefused(int mqttPort, String user, String password) {
        // "Bad user name or password" to an anonymous client too, as Moquette answered it.
        assertConnAck(mqttPort, user, password, Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD);
    }

    private static void assertConnAck(int mqttPort, String user, String password, Mqtt3ConnAckReturnCode expected) {
        try (Subscriber refused = Subscriber.of(mqttPort)) {
            CompletionException e = assertThrows(CompletionException.class,
                    () -> refused.connectAsync(true, user, password).join());
            Mqtt3ConnAckException connAck = assertInstanceOf(Mqtt3ConnAckException.class, e.getCause());
            assertEquals(expected, connAck.getMqttMessage().getReturnCode());
        }
    }
}
