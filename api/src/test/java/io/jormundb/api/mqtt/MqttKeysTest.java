package io.jormundb.api.mqtt;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import io.jormundb.api.FreePort;
import io.jormundb.api.TestServer;
import io.jormundb.api.auth.AccessKey;
import io.jormundb.api.auth.Keys;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.s;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With {@code --auth}, MQTT clients log in with an access key id (user name) and its secret
 * (password), and may subscribe only to the tables their key may read: a refused filter gets
 * SUBACK failure (0x80), while the allowed ones of the same SUBSCRIBE receive.
 */
class MqttKeysTest {

    @Test
    void aKeyLogsInWithItsSecretAndNothingElse() {
        int mqttPort = FreePort.find();
        try (TestServer server = TestServer.start(c -> Keys.withAuth(c).withMqttPort(mqttPort))) {
            assertConnAck(mqttPort, null, null, Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD);
            assertConnAck(mqttPort, Keys.ORDERS.id(), "wrong", Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD);
            assertConnAck(mqttPort, "AKIDUNKNOWN", Keys.ORDERS.secret(), Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD);
            try (Subscriber allowed = login(mqttPort, Keys.ORDERS)) {
                allowed.subscribeTo("jormundb/Orders/#");
                Orders.create(server.client());
                Orders.put(server.client(), "c1", "o1");
                await().atMost(Duration.ofSeconds(10)).until(() -> allowed.received().size() == 1);
            }
        }
    }

    /**
     * MQTT 3.1 allows client ids of 23 characters at most, and a key's client is known to the broker
     * as {@code <key id>:<client id>}: a 3.1 client whose id does not fit beside its key's is refused
     * at once (identifier rejected), not left without a CONNACK until the connect timeout.
     */
    @Test
    void anMqtt31ClientIdTooLongBesideItsKeyIdIsRefusedAtOnce() {
        int mqttPort = FreePort.find();
        String fits = "x".repeat(23 - Keys.ORDERS.id().length() - 1);
        try (TestServer server = TestServer.start(c -> Keys.withAuth(c).withMqttPort(mqttPort));
             RawMqtt ok = RawMqtt.open(mqttPort);
             RawMqtt tooLong = RawMqtt.open(mqttPort)) {
            assertEquals(0, ok.send(RawMqtt.connect31Packet(fits, Keys.ORDERS.id(), Keys.ORDERS.secret())).connack());
            assertEquals(2, tooLong.send(RawMqtt.connect31Packet(fits + "y", Keys.ORDERS.id(), Keys.ORDERS.secret()))
                    .connack(), "identifier rejected");
            assertTrue(tooLong.closedByServer());
        }
    }

    @Test
    void aSubscriptionToAForbiddenTableIsRefusedWhileAnAllowedOneReceives() {
        int mqttPort = FreePort.find();
        try (TestServer server = TestServer.start(c -> Keys.withAuth(c).withMqttPort(mqttPort));
             Subscriber orders = login(mqttPort, Keys.ORDERS);
             Subscriber reader = login(mqttPort, Keys.READER)) {
            Orders.create(server.client());
            createTable(server.client(), "Users");
            assertEquals(List.of(Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_1, Mqtt3SubAckReturnCode.FAILURE,
                            Mqtt3SubAckReturnCode.FAILURE, Mqtt3SubAckReturnCode.FAILURE, Mqtt3SubAckReturnCode.FAILURE,
                            Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_1),
                    subscribe(orders, "jormundb/Orders/#", "jormundb/Users/#", "jormundb/#", "jormundb/+/u1", "#",
                            "app/#"));
            assertEquals(List.of(Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_1), subscribe(reader, "jormundb/#"));

            server.client().putItem(r -> r.tableName("Users").item(item("id", s("u1"))));
            Orders.put(server.client(), "c1", "o1");
            await().atMost(Duration.ofSeconds(10)).until(() -> reader.received().size() == 2);
            await().atMost(Duration.ofSeconds(10)).until(() -> orders.topics().contains("jormundb/Orders/c1/o1"));
            assertEquals(Set.of("jormundb/Orders/c1/o1"), orders.topics(), "nothing of table Users");
            assertEquals(Set.of("jormundb/Users/u1", "jormundb/Orders/c1/o1"), reader.topics());
        }
    }

    @Test
    void theMqttUserOfTheCommandLineStillLogsInBesideTheKeysAndReadsEverything() {
        int mqttPort = FreePort.find();
        try (TestServer server = TestServer.start(c -> Keys.withAuth(c).withMqttPort(mqttPort)
                .withMqttAuth("app", "s3cret"));
             Subscriber app = Subscriber.of(mqttPort);
             Subscriber key = login(mqttPort, Keys.ORDERS)) {
            app.connect(true, "app", "s3cret");
            assertEquals(List.of(Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_1), subscribe(app, "jormundb/#"));
            assertEquals(List.of(Mqtt3SubAckReturnCode.FAILURE), subscribe(key, "jormundb/#"));
            Orders.create(server.client());
            Orders.put(server.client(), "c1", "o1");
            await().atMost(Duration.ofSeconds(10)).until(() -> app.received().size() == 1);
        }
    }

    private static Subscriber login(int mqttPort, AccessKey key) {
        Subscriber subscriber = Subscriber.of(mqttPort);
        subscriber.connect(true, key.id(), key.secret());
        return subscriber;
    }

    /** The SUBACK return codes of one SUBSCRIBE of {@code filters}, QoS 1 each. */
    private static List<Mqtt3SubAckReturnCode> subscribe(Subscriber subscriber, String... filters) {
        var builder = subscriber.client().subscribeWith().addSubscription().topicFilter(filters[0])
                .qos(MqttQos.AT_LEAST_ONCE).applySubscription();
        for (int i = 1; i < filters.length; i++) {
            builder = builder.addSubscription().topicFilter(filters[i]).qos(MqttQos.AT_LEAST_ONCE).applySubscription();
        }
        try {
            return List.copyOf(builder.send().orTimeout(10, TimeUnit.SECONDS).join().getReturnCodes());
        } catch (CompletionException e) {
            return List.copyOf(assertInstanceOf(Mqtt3SubAckException.class, e.getCause()).getMqttMessage()
                    .getReturnCodes());
        }
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
