package io.jormundb.api.mqtt;

import io.jormundb.api.FreePort;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import io.jormundb.api.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** MQTT over WebSockets ({@code --mqtt-ws-port}, path {@code /mqtt}): the same broker, the same rules. */
class MqttWebSocketTest {
    private TestServer server;
    private int mqttPort;
    private int wsPort;

    @BeforeEach
    void start() {
        mqttPort = FreePort.find();
        wsPort = FreePort.find();
        server = TestServer.start(cfg -> cfg.withMqttPort(mqttPort).with(b -> b.mqttWsPort(wsPort)));
        Orders.create(server.client());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aSubscriberOverWebSocketsReceivesChangesLikeOneOverTcp() {
        try (Subscriber ws = Subscriber.overWebSocket(wsPort);
             Subscriber tcp = Subscriber.subscribe(mqttPort, "jormundb/#")) {
            ws.connect(true, null, null);
            ws.subscribeTo("jormundb/Orders/#");
            Orders.put(server.client(), "c1", "o1");
            await().atMost(Duration.ofSeconds(10)).until(() -> ws.received().size() == 1 && tcp.received().size() == 1);
            assertEquals("jormundb/Orders/c1/o1", ws.received().getFirst().topic());
            assertEquals(tcp.received().getFirst().text(), ws.received().getFirst().text());
        }
    }

    @Test
    void aWillUnderTheServersTopicsIsRefusedOverWebSocketsToo() {
        try (Subscriber everything = Subscriber.subscribe(mqttPort, "#");
             Subscriber intruder = Subscriber.overWebSocket(wsPort)) {
            CompletionException e = assertThrows(CompletionException.class, () -> intruder.client().connectWith()
                    .willPublish().topic("jormundb/Orders/c1/o1").qos(MqttQos.AT_LEAST_ONCE)
                    .payload("{\"fake\":true}".getBytes(StandardCharsets.UTF_8)).applyWillPublish()
                    .send().orTimeout(10, TimeUnit.SECONDS).join());
            Mqtt3ConnAckException connAck = assertInstanceOf(Mqtt3ConnAckException.class, e.getCause());
            assertEquals(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED, connAck.getMqttMessage().getReturnCode());

            Orders.put(server.client(), "c1", "o1");
            await().atMost(Duration.ofSeconds(10)).until(() -> everything.received().size() == 1);
            assertEquals("INSERT", everything.received().getFirst().json().get("eventName").asText());
        }
    }

    @Test
    void aPublishUnderTheServersTopicsOverWebSocketsIsAcknowledgedAndDropped() throws Exception {
        try (Subscriber everything = Subscriber.subscribe(mqttPort, "#");
             Subscriber intruder = Subscriber.overWebSocket(wsPort)) {
            intruder.connect(true, null, null);
            intruder.client().publishWith().topic("jormundb/Orders/c1/o1").qos(MqttQos.EXACTLY_ONCE)
                    .payload("{\"fake\":true}".getBytes(StandardCharsets.UTF_8)).send().get(10, TimeUnit.SECONDS);
            intruder.client().publishWith().topic("app/ping").qos(MqttQos.AT_LEAST_ONCE)
                    .payload("pong".getBytes(StandardCharsets.UTF_8)).send().get(10, TimeUnit.SECONDS);
            Orders.put(server.client(), "c1", "o1");
            await().atMost(Duration.ofSeconds(10)).until(() -> everything.received().size() == 2);
            assertEquals(Set.of("app/ping", "jormundb/Orders/c1/o1"), everything.topics());
            assertEquals("INSERT", everything.received().stream().filter(m -> m.topic().startsWith("jormundb/"))
                    .findFirst().orElseThrow().json().get("eventName").asText());
        }
    }
}
