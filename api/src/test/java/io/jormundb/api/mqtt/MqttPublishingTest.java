package io.jormundb.api.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.jormundb.api.Metrics;
import io.jormundb.broker.publish.ChangelogPublisher;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.items.ItemKeys;
import io.jormundb.engine.value.Item;
import io.jormundb.engine.write.Mutation;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MqttPublishingTest extends OrdersOverMqtt {
    private static final ObjectMapper JSON = new ObjectMapper();
    @Test
    void withNobodyConnectedChangesArePassedByAndALaterSubscriberGetsWhatFollows() throws Exception {
        Orders.putRange(server.client(), 0, 20);
        // The publisher keeps up (lag 0) without handing the broker anything: nobody could get it.
        await().atMost(Duration.ofSeconds(10)).until(() -> Metrics.value(server.endpoint(),
                "jormundb_mqtt_publisher_lag{reader=\"mqtt\"}") == 0);
        assertEquals(0, Metrics.value(server.endpoint(), "jormundb_mqtt_published_total{reader=\"mqtt\"}"));
        // Nor does it keep a live subscription that every commit would wake.
        await().atMost(Duration.ofSeconds(10)).until(() -> Metrics.value(server.endpoint(),
                "jormundb_feed_subscribers") == 0);
        try (Subscriber all = Subscriber.subscribe(mqttPort, "jormundb/#")) {
            Orders.put(server.client(), "c99", "o");
            await().atMost(Duration.ofSeconds(10)).until(() -> all.topics().contains("jormundb/Orders/c99/o"));
            assertEquals(Set.of("jormundb/Orders/c99/o"), all.topics(), "only what was committed after it came");
            await().atMost(Duration.ofSeconds(10)).until(() -> Metrics.value(server.endpoint(),
                    "jormundb_mqtt_published_total{reader=\"mqtt\"}") == 1);
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
            assertEquals(3, Metrics.value(server.endpoint(), "jormundb_mqtt_publisher_lag{reader=\"mqtt\"}"));

            server.restart();
            offline.connect(false, null, null);
            await().atMost(Duration.ofSeconds(10)).until(() -> offline.topics().equals(Orders.topics(0, 3)));
            await().atMost(Duration.ofSeconds(10)).until(() -> Metrics.value(server.endpoint(),
                    "jormundb_mqtt_publisher_lag{reader=\"mqtt\"}") == 0);
            assertEquals(3, Metrics.value(server.endpoint(), "jormundb_mqtt_published_total{reader=\"mqtt\"}"));
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

    @Test
    void theLongestKeysMadeOfEscapedCharactersMakeAFrameThatMosquittoSubDecodes() throws Exception {
        // 2,048 and 1,024 bytes of '/', each written %2F: a topic of 9,233 bytes.
        String partitionKey = "/".repeat(ItemKeys.MAX_PARTITION_KEY_BYTES);
        String sortKey = "/".repeat(ItemKeys.MAX_SORT_KEY_BYTES);
        String topic = "jormundb/Orders/" + "%2F".repeat(partitionKey.length()) + "/" + "%2F".repeat(sortKey.length());
        // A persistent session, subscribed before the write (-E: exit once subscribed), gets it when it comes back.
        String[] session = {"mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(mqttPort), "-c", "-i", "longest-keys",
                "-q", "1", "-t", "jormundb/#"};
        assertEquals("", runToEnd(session, "-E"));
        Orders.put(server.client(), partitionKey, sortKey);
        String message = runToEnd(session, "-C", "1", "-v", "-W", "10").strip();

        assertEquals(topic, message.substring(0, message.indexOf(' ')));
        JsonNode record = JSON.readTree(message.substring(message.indexOf(' ') + 1));
        assertEquals(partitionKey, record.at("/dynamodb/Keys/customer/S").asText());
        assertEquals(sortKey, record.at("/dynamodb/Keys/order/S").asText());
    }

    @Test
    void keysWithC1ControlsAndNonCharactersReachMosquittoSubAndSoDoesWhatFollows() throws Exception {
        // mosquitto closes the connection on a topic with U+0080–U+009F or a non-character in it
        // (MQTT 3.1.1 §1.5.3): unescaped, such a change and those after it never arrived.
        String[] session = {"mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(mqttPort), "-c", "-i",
                "odd-keys", "-q", "1", "-t", "jormundb/Orders/#"};
        assertEquals("", runToEnd(session, "-E"));
        Orders.put(server.client(), "c\u0085", "o\uffff");
        Orders.put(server.client(), "after", "o");
        String[] lines = runToEnd(session, "-C", "2", "-v", "-W", "10").strip().split("\n");
        assertEquals("jormundb/Orders/c%C2%85/o%EF%BF%BF", lines[0].substring(0, lines[0].indexOf(' ')));
        assertEquals("c\u0085", JSON.readTree(lines[0].substring(lines[0].indexOf(' ') + 1))
                .at("/dynamodb/Keys/customer/S").asText());
        assertEquals("jormundb/Orders/after/o", lines[1].substring(0, lines[1].indexOf(' ')));
    }

    /** Runs a Mosquitto client with {@code command} and {@code more} arguments; its output, once it exited 0. */
    private static String runToEnd(String[] command, String... more) throws Exception {
        String[] all = Stream.concat(Stream.of(command), Stream.of(more)).toArray(String[]::new);
        Process p = Mosquitto.client(all);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(15, TimeUnit.SECONDS), String.join(" ", all));
        assertEquals(0, p.exitValue(), String.join(" ", all) + ": " + output);
        return output;
    }

    @Test
    void aTableDeletionIsAnnouncedOnTheTablesTopic() {
        try (Subscriber table = Subscriber.subscribe(mqttPort, "jormundb/Orders");
             Subscriber everything = Subscriber.subscribe(mqttPort, "jormundb/#")) {
            Orders.put(server.client(), "c1", "o1");
            server.client().deleteTable(b -> b.tableName("Orders"));
            await().atMost(Duration.ofSeconds(10)).until(() -> table.received().size() == 1
                    && everything.received().size() == 2);
            Subscriber.Message deleted = table.received().getFirst();
            assertEquals("jormundb/Orders", deleted.topic());
            assertEquals("{\"event\":\"table-deleted\",\"tableName\":\"Orders\"}", deleted.text());
            assertEquals(MqttQos.AT_LEAST_ONCE, deleted.qos());
            assertFalse(deleted.retain());
            assertEquals(List.of("jormundb/Orders/c1/o1", "jormundb/Orders"),
                    everything.received().stream().map(Subscriber.Message::topic).toList(), "after the table's changes");
        }
    }

    @Test
    void aTableDeletedWhileThePublisherWasHeldIsAnnouncedAfterItsChangesWhenItCatchesUp() {
        try (Subscriber offline = Subscriber.withId(mqttPort, "deletion-catch-up")) {
            offline.connect(false, null, null);
            offline.subscribeTo("jormundb/#");
            offline.disconnect();
            System.setProperty(ChangelogPublisher.HOLD_PROPERTY, "true");
            try {
                server.restart();
            } finally {
                System.clearProperty(ChangelogPublisher.HOLD_PROPERTY);
            }
            Orders.put(server.client(), "c1", "o1");
            server.client().deleteTable(b -> b.tableName("Orders"));
            server.restart();
            offline.connect(false, null, null);
            await().atMost(Duration.ofSeconds(10)).until(() -> offline.received().size() == 2);
            assertEquals(List.of("jormundb/Orders/c1/o1", "jormundb/Orders"),
                    offline.received().stream().map(Subscriber.Message::topic).toList());
            assertEquals("{\"event\":\"table-deleted\",\"tableName\":\"Orders\"}", offline.received().getLast().text());
        }
    }

    @Test
    void aChangeWhoseTopicWouldNotFitInAPacketIsSkippedAndTheNextOnesArePublished() {
        try (Subscriber everything = Subscriber.subscribe(mqttPort, "jormundb/#")) {
            // A key written before the key size limits: only the engine itself still takes it.
            TableDefinition orders = server.server().engine().catalog().require("Orders");
            Item key = new Item(Map.of("customer", new io.jormundb.engine.value.AttributeValue.S("x".repeat(70_000)),
                    "order", new io.jormundb.engine.value.AttributeValue.S("o")));
            server.server().engine().writePath().write(new Mutation() {
                @Override
                public TableDefinition table() {
                    return orders;
                }

                @Override
                public Item key() {
                    return key;
                }

                @Override
                public Item apply(Item current) {
                    return key;
                }
            });
            Orders.put(server.client(), "c1", "o1");
            await().atMost(Duration.ofSeconds(10)).until(() -> everything.received().size() == 1);
            assertEquals("jormundb/Orders/c1/o1", everything.received().getFirst().topic());
            assertTrue(everything.client().getState().isConnected(), "no corrupt frame made the client leave");
            await().atMost(Duration.ofSeconds(10)).until(() -> Metrics.value(server.endpoint(),
                    "jormundb_mqtt_publisher_lag{reader=\"mqtt\"}") == 0);
        }
    }
}
