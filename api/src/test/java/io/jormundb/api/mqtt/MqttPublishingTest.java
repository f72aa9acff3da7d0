package io.jormundb.api.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import io.jormundb.api.TestServer;
import io.jormundb.broker.publish.ChangelogPublisher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MqttPublishingTest {
    private TestServer server;
    private int mqttPort;

    @BeforeEach
    void start() {
        mqttPort = FreePort.find();
        server = TestServer.start(cfg -> cfg.withMqttPort(mqttPort));
        Orders.create(server.client());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The server's {@code GET /metrics} text. */
    static String metrics(TestServer server) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(server.endpoint().resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    @Test
    void tablePartitionAndItemSubscribersReceiveTheirChanges() {
        try (Subscriber all = Subscriber.subscribe(mqttPort, "jormundb/#");
             Subscriber table = Subscriber.subscribe(mqttPort, "jormundb/Orders/#");
             Subscriber partition = Subscriber.subscribe(mqttPort, "jormundb/Orders/c42/#");
             Subscriber item = Subscriber.subscribe(mqttPort, "jormundb/Orders/c42/o1")) {
            Orders.put(server.client(), "c42", "o1");
            Orders.put(server.client(), "c42", "o2");
            Orders.put(server.client(), "c7", "o1");

            await().atMost(Duration.ofSeconds(10)).until(() -> all.received().size() == 3);
            await().atMost(Duration.ofSeconds(5)).until(() -> table.received().size() == 3
                    && partition.received().size() == 2 && item.received().size() == 1);
            assertEquals(Set.of("jormundb/Orders/c42/o1", "jormundb/Orders/c42/o2", "jormundb/Orders/c7/o1"), all.topics());
            assertEquals(Set.of("jormundb/Orders/c42/o1", "jormundb/Orders/c42/o2", "jormundb/Orders/c7/o1"), table.topics());
            assertEquals(Set.of("jormundb/Orders/c42/o1", "jormundb/Orders/c42/o2"), partition.topics());
            assertEquals(Set.of("jormundb/Orders/c42/o1"), item.topics());
            JsonNode record = item.received().getFirst().json();
            assertEquals("INSERT", record.get("eventName").asText());
            assertEquals("Orders", record.get("tableName").asText());
            assertEquals("c42", record.at("/dynamodb/Keys/customer/S").asText());
            assertEquals("12.5", record.at("/dynamodb/NewImage/total/N").asText());
        }
    }

    @Test
    void keysWithMqttSpecialAndNonAsciiCharactersArriveOnTheirEncodedTopics() {
        try (Subscriber all = Subscriber.subscribe(mqttPort, "jormundb/#");
             Subscriber slashPartition = Subscriber.subscribe(mqttPort, "jormundb/Orders/a%2Fb/#");
             Subscriber item = Subscriber.subscribe(mqttPort, "jormundb/Orders/grüße 日本/%23%2B%25%0A")) {
            Orders.put(server.client(), "a/b", "1");
            Orders.put(server.client(), "a/b", "x/y");
            Orders.put(server.client(), "a", "b/1");
            Orders.put(server.client(), "grüße 日本", "#+%\n");
            Orders.put(server.client(), "grüße 日本", "#+%");
            Orders.put(server.client(), "100%", "+");

            Set<String> expected = Set.of("jormundb/Orders/a%2Fb/1", "jormundb/Orders/a%2Fb/x%2Fy",
                    "jormundb/Orders/a/b%2F1", "jormundb/Orders/grüße 日本/%23%2B%25%0A",
                    "jormundb/Orders/grüße 日本/%23%2B%25", "jormundb/Orders/100%25/%2B");
            await().atMost(Duration.ofSeconds(10)).until(() -> all.topics().equals(expected)
                    && slashPartition.received().size() == 2 && item.received().size() == 1);
            assertEquals(6, all.received().size());
            assertEquals(Set.of("jormundb/Orders/a%2Fb/1", "jormundb/Orders/a%2Fb/x%2Fy"), slashPartition.topics());
            JsonNode record = item.received().getFirst().json();
            assertEquals("grüße 日本", record.at("/dynamodb/Keys/customer/S").asText());
            assertEquals("#+%\n", record.at("/dynamodb/Keys/order/S").asText());
        }
    }

    @Test
    void payloadIsTheSseRecordAndItsTokenResumesTheSseFeedJustAfterIt() throws Exception {
        try (Subscriber subscriber = Subscriber.subscribe(mqttPort, "jormundb/Orders/c42/#")) {
            Orders.put(server.client(), "c42", "o1");
            Orders.put(server.client(), "c42", "o2");
            await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.received().size() == 2);
            Subscriber.Message first = subscriber.received().get(0);
            Subscriber.Message second = subscriber.received().get(1);
            assertEquals("jormundb/Orders/c42/o1", first.topic());

            String sseData = firstSseData("/changes?since=" + first.token());
            assertEquals(second.text(), sseData);
        }
    }

    /** The {@code data:} of the first event of an SSE feed. */
    private String firstSseData(String pathAndQuery) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(server.endpoint().resolve(pathAndQuery))
                    .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
            assertEquals(200, response.statusCode());
            try (Stream<String> lines = response.body()) {
                return lines.filter(l -> l.startsWith("data: ")).findFirst().orElseThrow().substring("data: ".length());
            }
        }
    }

    @Test
    void persistentSessionGetsWhatItMissedWhileOfflineAndAcrossAServerRestart() {
        try (Subscriber offline = Subscriber.withId(mqttPort, "offline-subscriber")) {
            offline.connect(false, null, null);
            offline.subscribeTo("jormundb/Orders/#");
            offline.disconnect();
            Orders.put(server.client(), "c1", "before-restart");
            server.restart();
            Orders.put(server.client(), "c2", "after-restart");

            assertTrue(offline.connect(false, null, null).isSessionPresent());
            await().atMost(Duration.ofSeconds(10)).until(() -> offline.topics().equals(
                    Set.of("jormundb/Orders/c1/before-restart", "jormundb/Orders/c2/after-restart")));
        }
    }

    @Test
    void heldPublisherShowsItsLagAndCatchesUpFromItsCursorAfterRestart() throws Exception {
        try (Subscriber offline = Subscriber.withId(mqttPort, "catch-up-subscriber")) {
            offline.connect(false, null, null);
            offline.subscribeTo("jormundb/#");
            offline.disconnect();
            System.setProperty(ChangelogPublisher.HOLD_PROPERTY, "true");
            try {
                server.restart();
            } finally {
                System.clearProperty(ChangelogPublisher.HOLD_PROPERTY);
            }
            Orders.putRange(server.client(), 0, 3);
            assertTrue(metrics(server).contains("jormundb_mqtt_publisher_lag{reader=\"mqtt\"} 3\n"), metrics(server));

            server.restart();
            offline.connect(false, null, null);
            await().atMost(Duration.ofSeconds(10)).until(() -> offline.topics().equals(Orders.topics(0, 3)));
            assertTrue(metrics(server).contains("jormundb_mqtt_publisher_lag{reader=\"mqtt\"} 0\n"), metrics(server));
            assertTrue(metrics(server).contains("jormundb_mqtt_published_total{reader=\"mqtt\"} 3\n"), metrics(server));
        }
    }

    @Test
    void deletingItemsPublishesRemoveRecords() {
        try (Subscriber subscriber = Subscriber.subscribe(mqttPort, "jormundb/Orders/c9/o9")) {
            Orders.put(server.client(), "c9", "o9");
            server.client().deleteItem(b -> b.tableName("Orders").key(Map.of(
                    "customer", AttributeValue.fromS("c9"), "order", AttributeValue.fromS("o9"))));
            await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.received().size() == 2);
            JsonNode remove = subscriber.received().get(1).json();
            assertEquals("REMOVE", remove.get("eventName").asText());
            assertEquals("12.5", remove.at("/dynamodb/OldImage/total/N").asText());
            assertTrue(remove.at("/dynamodb/NewImage").isMissingNode());
        }
    }
}
