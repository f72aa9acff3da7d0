package io.jormundb.api.mqtt;

import io.jormundb.api.FreePort;
import io.jormundb.api.Metrics;
import io.jormundb.api.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Persistent sessions (clean session off) across clean restarts, and their expiry. Kill -9 is
 * {@link MqttPersistentSessionsIT}'s.
 */
class MqttPersistentSessionsTest {
    private static final String FILTER = "jormundb/Orders/#";

    /** The whole-number value of one series of {@code /metrics}, or "" when it is not there. */
    static String metric(java.net.URI endpoint, String series) throws Exception {
        double value = Metrics.value(endpoint, series);
        return Double.isNaN(value) ? "" : Long.toString((long) value);
    }

    private static String metric(TestServer server, String series) throws Exception {
        return metric(server.endpoint(), series);
    }

    /** Connects each with its persistent session and subscribes it to {@link #FILTER}. */
    private static void subscribePersistently(Subscriber... subscribers) {
        for (Subscriber s : subscribers) {
            s.connect(false, null, null);
            s.subscribeTo(FILTER);
        }
    }

    @Test
    void everyOfflineSessionGetsWhatItMissedAcrossACleanRestart() throws Exception {
        // Moquette 0.17 checkpoints its queues at a clean stop, but writes only one of them: the
        // changelog is the queue now, and every session is put back from RocksDB.
        int mqttPort = FreePort.find();
        try (TestServer server = TestServer.start(cfg -> cfg.withMqttPort(mqttPort));
             Subscriber first = Subscriber.withId(mqttPort, "first-offline");
             Subscriber second = Subscriber.withId(mqttPort, "second-offline");
             Subscriber third = Subscriber.withId(mqttPort, "third-offline")) {
            Orders.create(server.client());
            subscribePersistently(first, second, third);
            for (Subscriber s : Set.of(first, second, third)) {
                s.disconnect();
            }
            Orders.putRange(server.client(), 0, 20);
            await().atMost(Duration.ofSeconds(10)).until(() -> metric(server, "jormundb_mqtt_unacknowledged").equals("60"));
            server.restart();
            for (Subscriber s : Set.of(first, second, third)) {
                assertTrue(s.connect(false, null, null).isSessionPresent());
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(Set.of(),
                        s.missing(Orders.topics(0, 20))));
            }
        }
    }

    @Test
    void aCleanStopResendsNothingOnceEverythingWasAcknowledged() throws Exception {
        int mqttPort = FreePort.find();
        try (TestServer server = TestServer.start(cfg -> cfg.withMqttPort(mqttPort));
             Subscriber online = Subscriber.reconnecting(mqttPort, "online", null, null)) {
            Orders.create(server.client());
            online.connect(false, null, null);
            online.subscribeTo(FILTER);
            Orders.putRange(server.client(), 0, 20);
            await().atMost(Duration.ofSeconds(10)).until(() -> online.received().size() == 20);
            server.restart();
            await().atMost(Duration.ofSeconds(10)).until(() -> online.client().getState().isConnected());
            Orders.put(server.client(), "after", "o");
            await().atMost(Duration.ofSeconds(10)).until(() -> online.topics().contains("jormundb/Orders/after/o"));
            assertEquals(21, online.received().size(), "nothing twice");
            assertEquals("0", metric(server, "jormundb_mqtt_publisher_resend{reader=\"mqtt\"}"));
        }
    }

    /**
     * What a restart sends again for a session that had not acknowledged it goes to that session
     * only: the others, which had (one away, one reconnecting at once), get nothing twice.
     */
    @Test
    void whatARestartSendsAgainGoesOnlyToTheSessionsThatHadNotAcknowledgedIt() throws Exception {
        int mqttPort = FreePort.find();
        try (TestServer server = TestServer.start(cfg -> cfg.withMqttPort(mqttPort));
             Subscriber behind = Subscriber.withId(mqttPort, "behind");
             Subscriber away = Subscriber.withId(mqttPort, "away");
             Subscriber online = Subscriber.reconnecting(mqttPort, "online", null, null)) {
            Orders.create(server.client());
            subscribePersistently(behind, away, online);
            behind.disconnect();
            Orders.putRange(server.client(), 0, 20);
            await().atMost(Duration.ofSeconds(10)).until(() -> away.received().size() == 20
                    && online.received().size() == 20);
            away.disconnect();
            server.restart();

            Orders.put(server.client(), "after", "o");
            assertTrue(away.connect(false, null, null).isSessionPresent());
            assertTrue(behind.connect(false, null, null).isSessionPresent());
            for (Subscriber s : List.of(behind, away, online)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> s.topics().contains("jormundb/Orders/after/o"));
            }
            assertEquals(21, away.received().size(), "nothing twice: " + away.received().size());
            assertEquals(21, online.received().size(), "nothing twice: " + online.received().size());
            assertEquals(Set.of(), behind.missing(Orders.topics(0, 20)));
            assertEquals(21, behind.received().size());
        }
    }

    @Test
    void aSessionOfflineForLongerThanTheExpiryIsRemovedWithItsSubscriptionsAndAConnectedOneStays() throws Exception {
        int mqttPort = FreePort.find();
        try (TestServer server = TestServer.start(cfg -> cfg.withMqttPort(mqttPort)
                .withMqttSessionExpiry(Duration.ofSeconds(2)));
             Subscriber expiring = Subscriber.withId(mqttPort, "expiring");
             Subscriber staying = Subscriber.withId(mqttPort, "staying")) {
            Orders.create(server.client());
            for (Subscriber s : Set.of(expiring, staying)) {
                s.connect(false, null, null);
                s.subscribeTo(FILTER);
            }
            assertEquals("2", metric(server, "jormundb_mqtt_persistent_sessions"));
            expiring.disconnect();
            Orders.put(server.client(), "owed", "o");
            await().atMost(Duration.ofSeconds(10)).until(() -> staying.received().size() == 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> metric(server, "jormundb_mqtt_persistent_sessions").equals("1")
                    && metric(server, "jormundb_mqtt_unacknowledged").equals("0"));

            assertFalse(expiring.connect(false, null, null).isSessionPresent(), "the broker dropped it too");
            Orders.put(server.client(), "after-expiry", "o");
            await().atMost(Duration.ofSeconds(10)).until(() -> staying.received().size() == 2);
            assertEquals(Set.of(), expiring.topics(), "its subscription went with it");
            expiring.disconnect();
            staying.disconnect();
            server.restart();
            assertTrue(staying.connect(false, null, null).isSessionPresent());
        }
    }

    /**
     * An expired session's queue on disk is given back for reuse: Moquette 0.17 kept the queue of
     * every persistent client id that ever connected until restart (a segment of a page file
     * each, with what it queued offline), so a stream of new client ids grew the disk and the
     * mapped memory without end.
     */
    @Test
    void theDiskQueuesOfExpiredSessionsAreReusedNotKept() throws Exception {
        int mqttPort = FreePort.find();
        try (TestServer server = TestServer.start(cfg -> cfg.withMqttPort(mqttPort)
                .withMqttSessionExpiry(Duration.ofSeconds(1)))) {
            Orders.create(server.client());
            Path brokerData = server.dataDir().resolve("mqtt");
            long afterFirst = 0;
            for (int wave = 0; wave < 3; wave++) {
                for (int i = 0; i < 40; i++) {
                    try (Subscriber s = Subscriber.withId(mqttPort, "wave" + wave + "-" + i)) {
                        s.connect(false, null, null);
                        s.subscribeTo(FILTER);
                    }
                }
                Orders.putRange(server.client(), wave * 10, wave * 10 + 10);
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        metric(server, "jormundb_mqtt_persistent_sessions").equals("0"));
                long pages = pages(brokerData);
                if (wave == 0) {
                    afterFirst = pages;
                    assertTrue(pages >= 2, "40 queues take more than one page: " + pages);
                } else {
                    assertEquals(afterFirst, pages, "wave " + wave + " reused the first wave's segments");
                }
            }
        }
    }

    private static long pages(Path brokerData) throws IOException {
        try (Stream<Path> files = Files.list(brokerData)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".page")).count();
        }
    }

    /**
     * A persistent CONNECT that takes over a connected clean session of its client id: Moquette
     * 0.17 reopened the clean session for it (answering "session present") and dropped it, with its
     * subscriptions, once the client disconnected, while the server kept it and counted what it was owed.
     */
    @Test
    void aPersistentSessionTakingOverAConnectedCleanOneStartsNewAndOutlivesItsConnection() throws Exception {
        int mqttPort = FreePort.find();
        try (TestServer server = TestServer.start(cfg -> cfg.withMqttPort(mqttPort));
             RawMqtt clean = RawMqtt.open(mqttPort)) {
            Orders.create(server.client());
            assertEquals(0, clean.send(RawMqtt.connectPacket("switching", null, true)).connack());
            try (RawMqtt persistent = RawMqtt.open(mqttPort)) {
                byte[] connack = persistent.send(RawMqtt.connectPacket("switching", null, false)).packet();
                assertEquals(0, connack[3], "accepted");
                assertEquals(0, connack[2] & 1, "a clean session's state does not carry over: no session present");
                assertTrue(clean.closedByServer(), "the clean connection was taken over");
                byte[] suback = persistent.send(RawMqtt.subscribePacket(1, FILTER)).packet();
                assertEquals(0x90, suback[0] & 0xFF, "SUBACK");
                assertEquals(1, suback[4], "granted QoS 1");
            }
            Orders.put(server.client(), "while-away", "o");
            try (RawMqtt back = RawMqtt.open(mqttPort)) {
                byte[] connack = back.send(RawMqtt.connectPacket("switching", null, false)).packet();
                assertEquals(1, connack[2] & 1, "the persistent session outlived its connection");
                byte[] publish = back.packet();
                assertEquals(0x32, publish[0] & 0xFF, "what it was owed meanwhile: a QoS 1 PUBLISH");
            }
        }
    }

    /**
     * MQTT 3.1.1 [MQTT-4.4.0-1]: on reconnect, what was sent and not acknowledged is sent again at
     * once, with its packet id, before anything newer; a packet id is not reused while in flight.
     * Moquette 0.17 numbered the new connection's packets from 1 again (the change in flight under
     * id 1 was dropped for good) and re-sent the rest 5 s later, after the newer change.
     */
    @Test
    void unacknowledgedChangesAreSentAgainAtOnceOnReconnectInOrderWithTheirPacketIds() throws Exception {
        int mqttPort = FreePort.find();
        try (TestServer server = TestServer.start(cfg -> cfg.withMqttPort(mqttPort))) {
            Orders.create(server.client());
            try (RawMqtt first = RawMqtt.open(mqttPort)) {
                assertEquals(0, first.send(RawMqtt.connectPacket("resumer", null, false)).connack());
                assertEquals(0x90, first.send(RawMqtt.subscribePacket(1, FILTER)).packet()[0] & 0xFF, "SUBACK");
            }
            for (String order : List.of("o1", "o2", "o3")) {
                Orders.put(server.client(), "c1", order);
            }
            List<RawMqtt.Publish> sent;
            try (RawMqtt unacknowledging = RawMqtt.open(mqttPort)) {
                assertEquals(1, unacknowledging.send(RawMqtt.connectPacket("resumer", null, false)).packet()[2] & 1);
                sent = List.of(unacknowledging.publish(), unacknowledging.publish(), unacknowledging.publish());
            }
            assertEquals(List.of("jormundb/Orders/c1/o1", "jormundb/Orders/c1/o2", "jormundb/Orders/c1/o3"),
                    sent.stream().map(RawMqtt.Publish::topic).toList());
            try (RawMqtt back = RawMqtt.open(mqttPort)) {
                assertEquals(1, back.send(RawMqtt.connectPacket("resumer", null, false)).packet()[2] & 1);
                Orders.put(server.client(), "c1", "o4");
                for (RawMqtt.Publish before : sent) {
                    RawMqtt.Publish again = back.publish();
                    assertEquals(before.topic(), again.topic(), "sent again, in the order first sent");
                    assertEquals(before.packetId(), again.packetId(), "with its packet id");
                    assertTrue(again.duplicate(), "marked as sent before");
                }
                RawMqtt.Publish newer = back.publish();
                assertEquals("jormundb/Orders/c1/o4", newer.topic());
                assertFalse(sent.stream().anyMatch(p -> p.packetId() == newer.packetId()),
                        "a packet id in flight is not reused: " + newer.packetId());
                for (RawMqtt.Publish p : sent) {
                    back.send(RawMqtt.pubackPacket(p.packetId()));
                }
                back.send(RawMqtt.pubackPacket(newer.packetId()));
                Orders.put(server.client(), "c1", "o5");
                assertEquals("jormundb/Orders/c1/o5", back.publish().topic(), "nothing else was owed");
            }
        }
    }

    @Test
    void aCleanSessionReplacesThePersistentSessionOfItsClientId() throws Exception {
        int mqttPort = FreePort.find();
        try (TestServer server = TestServer.start(cfg -> cfg.withMqttPort(mqttPort));
             Subscriber persistent = Subscriber.withId(mqttPort, "changing-mind");
             Subscriber everything = Subscriber.subscribe(mqttPort, FILTER)) {
            Orders.create(server.client());
            persistent.connect(false, null, null);
            persistent.subscribeTo(FILTER);
            persistent.disconnect();
            Orders.put(server.client(), "while-away", "o");
            await().atMost(Duration.ofSeconds(10)).until(() -> everything.received().size() == 1);
            assertFalse(persistent.connect(true, null, null).isSessionPresent());
            assertEquals("0", metric(server, "jormundb_mqtt_persistent_sessions"));
            Orders.put(server.client(), "clean", "o");
            await().atMost(Duration.ofSeconds(10)).until(() -> everything.received().size() == 2);
            assertEquals(Set.of(), persistent.topics(), "neither the queue nor the subscription of the old session");
        }
    }
}
