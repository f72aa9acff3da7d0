package io.jormundb.api.mqtt;

import io.jormundb.api.FreePort;
import io.jormundb.api.TestServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stop publishes, before MQTT stops, every write it acknowledged: requests are refused from
 * the stop's start, and the publishers finish what is committed. The MQTT publisher used to stop
 * first while writes were still taken for about two seconds: those reached subscribers only at the
 * next start, and a clean session never.
 */
class MqttStopTest {
    @Test
    void everyWriteAcknowledgedBeforeAStopReachesTheSubscribers() throws Exception {
        int mqttPort = FreePort.find();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try (Subscriber subscriber = Subscriber.of(mqttPort)) {
            TestServer server = TestServer.start(cfg -> cfg.withMqttPort(mqttPort));
            DynamoDbClient client = server.client();
            Orders.create(client);
            subscriber.connect(true, null, null);
            subscriber.subscribeTo("jormundb/Orders/#");
            Future<?>[] writes = new Future<?>[2];
            for (int w = 0; w < writes.length; w++) {
                String customer = "w" + w + "-";
                writes[w] = writers.submit(() -> {
                    for (int i = 0; ; i++) {
                        try {
                            Orders.put(client, customer + i, "o");
                        } catch (RuntimeException refusedOrGone) {
                            return;
                        }
                        acknowledged.add("jormundb/Orders/" + customer + i + "/o");
                    }
                });
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged.size() >= 300);
            server.close();
            for (Future<?> write : writes) {
                write.get(30, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertEquals(Set.of(), subscriber.missing(acknowledged), "acknowledged, never published"));
            assertTrue(acknowledged.size() >= 300);
        } finally {
            writers.shutdownNow();
        }
    }
}
