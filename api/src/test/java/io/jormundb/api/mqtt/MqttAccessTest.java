package io.jormundb.api.mqtt;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import io.jormundb.api.TestServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    void aWillUnderTheServersTopicsIsRefusedAtConnectAndOtherWillsStillWork() throws Exception {
        int mqttPort = FreePort.find();
        try (TestServer server = TestServer.start(cfg -> cfg.withMqttPort(mqttPort));
             Subscriber everything = Subscriber.subscribe(mqttPort, "#")) {
            try (Socket intruder = new Socket("127.0.0.1", mqttPort)) {
                assertEquals(5, connack(intruder, "intruder", "jormundb/Orders/c1/o1"), "CONNACK not authorized");
                assertEquals(-1, intruder.getInputStream().read(), "the connection is closed");
            }
            try (Socket dropped = new Socket("127.0.0.1", mqttPort)) {
                assertEquals(0, connack(dropped, "dropper", "app/will"), "CONNACK accepted");
            } // closed without DISCONNECT: the broker publishes the will
            await().atMost(Duration.ofSeconds(10)).until(() -> everything.topics().contains("app/will"));

            Orders.create(server.client());
            Orders.put(server.client(), "c1", "o1");
            await().atMost(Duration.ofSeconds(10)).until(() -> everything.received().size() == 2);
            assertEquals(Set.of("app/will", "jormundb/Orders/c1/o1"), everything.topics());
            Subscriber.Message real = everything.received().stream()
                    .filter(m -> m.topic().startsWith("jormundb/")).findFirst().orElseThrow();
            assertEquals("INSERT", real.json().get("eventName").asText());
        }
    }

    /** Sends an MQTT 3.1.1 CONNECT with a will on {@code willTopic}; returns the CONNACK return code. */
    private static int connack(Socket socket, String clientId, String willTopic) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, "MQTT");
        body.write(4);       // protocol level 3.1.1
        body.write(0x06);    // clean session, will flag, will QoS 0
        body.write(0);
        body.write(60);      // keep alive
        writeString(body, clientId);
        writeString(body, willTopic);
        writeString(body, "{\"fake\":true}");
        OutputStream out = socket.getOutputStream();
        out.write(0x10);
        out.write(body.size()); // under 128 bytes: one length byte
        out.write(body.toByteArray());
        out.flush();
        socket.setSoTimeout(10_000);
        byte[] connack = socket.getInputStream().readNBytes(4);
        assertEquals(4, connack.length, "a CONNACK");
        assertEquals(0x20, connack[0] & 0xFF);
        return connack[3];
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length & 0xFF);
        out.writeBytes(bytes);
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
        try (Subscriber refused = Subscriber.of(mqttPort)) {
            CompletionException e = assertThrows(CompletionException.class,
                    () -> refused.connectAsync(true, user, password).join());
            Mqtt3ConnAckException connAck = assertInstanceOf(Mqtt3ConnAckException.class, e.getCause());
            Mqtt3ConnAckReturnCode code = connAck.getMqttMessage().getReturnCode();
            // Moquette answers "bad user name or password" to an anonymous client too.
            assertEquals(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD, code);
        }
    }
}
