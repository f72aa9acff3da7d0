package io.jormundb.api.mqtt;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import io.jormundb.api.TestServer;
import org.junit.jupiter.api.Test;

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
