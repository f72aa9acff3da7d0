package io.jormundb.api.mqtt;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A subscriber that stops reading fills only its own session (its in-flight window, then its
 * session queue): the others get every change exactly once, without waiting for it.
 */
class MqttSlowSubscriberTest extends OrdersOverMqtt {
    private static final int CHANGES = 2_000;
    private static final String PAD = "x".repeat(1_000);
    @ParameterizedTest(name = "clean session {0}")
    @ValueSource(booleans = {true, false})
    void aSubscriberThatNeverReadsCostsTheOthersNothing(boolean cleanSession) throws Exception {
        try (Socket stalled = new Socket();
             Subscriber healthy = Subscriber.subscribe(mqttPort, "jormundb/Orders/#")) {
            stalled.setReceiveBufferSize(2048);
            stalled.connect(new InetSocketAddress("127.0.0.1", mqttPort));
            OutputStream out = stalled.getOutputStream();
            out.write(RawMqtt.connectPacket("stalled", null, cleanSession));
            out.write(RawMqtt.subscribePacket(1, "jormundb/Orders/#"));
            InputStream in = stalled.getInputStream();
            assertEquals(0x20, in.readNBytes(4)[0], "CONNACK");
            assertEquals(0x90, in.readNBytes(5)[0] & 0xFF, "SUBACK");
            // From here on the stalled client reads nothing: a megabyte of changes waits for it.

            for (int i = 0; i < CHANGES; i += 25) {
                List<WriteRequest> puts = new ArrayList<>();
                for (int j = i; j < i + 25; j++) {
                    puts.add(WriteRequest.builder().putRequest(PutRequest.builder().item(Map.of(
                            "customer", AttributeValue.fromS("c" + j), "order", AttributeValue.fromS("o"),
                            "pad", AttributeValue.fromS(PAD))).build()).build());
                }
                server.client().batchWriteItem(b -> b.requestItems(Map.of("Orders", puts)));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> healthy.received().size() >= CHANGES);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> healthy.received().size() == CHANGES);
            assertEquals(CHANGES, healthy.received().stream().map(m -> m.json().get("eventID").asText())
                    .distinct().count(), "every change exactly once");
        }
    }
}
