package io.jormundb.api.mqtt;

import io.jormundb.api.FreePort;
import io.jormundb.api.JarServer;
import io.jormundb.api.Metrics;
import io.jormundb.api.Sdk;
import io.jormundb.api.tls.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the jar logs about MQTT: one line per client mistake, no stack trace, no false alarm after a clean stop. */
class MqttLogsIT {
    private static final String NOT_STOPPED_CLEANLY = "MQTT broker was not stopped cleanly";

    @TempDir
    Path temp;

    @Test
    void aClientMistakeIsOneWarningLineWithTheClientsAddressAndNoStackTrace() throws Exception {
        int mqttPort = FreePort.find();
        try (JarServer server = JarServer.start(temp.resolve("data"), List.of(), Map.of(),
                "--mqtt-port", Integer.toString(mqttPort))) {
            try (RawMqtt http = RawMqtt.open(mqttPort)) {
                http.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertTrue(http.closedByServer());
            }
            try (RawMqtt garbage = RawMqtt.open(mqttPort)) {
                assertEquals(0, garbage.connect("garbage", null).connack());
                garbage.send(new byte[] {(byte) 0xF0, 0});
                assertTrue(garbage.closedByServer());
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> warnings(server).size() == 2);
            List<String> warnings = warnings(server);
            assertTrue(warnings.get(0).matches(".* WARN ConnectGuard - MQTT client /127\\.0\\.0\\.1:\\d+ broke the MQTT "
                    + "protocol: a first packet that is PUBACK, not CONNECT; connection closed"), warnings.get(0));
            assertTrue(warnings.get(1).matches(".* WARN ConnectGuard - MQTT client /127\\.0\\.0\\.1:\\d+ broke the MQTT "
                    + "protocol: a reserved packet type 15, which clients do not send; connection closed"), warnings.get(1));
            assertFalse(server.log().contains("\tat "), server.log());
            assertFalse(server.log().contains("ERROR"), server.log());
        }
    }

    /**
     * A client that leaves while changes are being sent to it is no error: Moquette's handler logged
     * each write that found the connection closed (a persistent session's messages in flight sent
     * again to a client that was gone again) as an ERROR with a ClosedChannelException.
     */
    @Test
    void aClientThatLeavesWhileBeingSentChangesLogsNoError() throws Exception {
        int mqttPort = FreePort.find();
        try (JarServer server = JarServer.start(temp.resolve("data"), List.of(), Map.of(),
                "--mqtt-port", Integer.toString(mqttPort));
             ExecutorService writer = Executors.newSingleThreadExecutor()) {
            DynamoDbClient client = server.client();
            Sdk.createTable(client, "Leaving");
            Future<?> writes = writer.submit(() -> {
                for (int i = 0; i < 2000; i++) {
                    String key = "k" + (i % 20);
                    client.putItem(r -> r.tableName("Leaving").item(Sdk.item("id", Sdk.s(key),
                            "at", Sdk.s(Long.toString(System.nanoTime())))));
                }
            });
            for (int round = 0; !writes.isDone(); round++) {
                // Never acknowledging: what it was sent stays in flight, and goes again on its return.
                try (RawMqtt leaver = RawMqtt.open(mqttPort)) {
                    leaver.send(RawMqtt.connectPacket("leaver", null, false));
                    assertEquals(0, leaver.connack());
                    if (round == 0) {
                        // Its SUBACK read: left at once, the client's reset could lose the SUBSCRIBE
                        // itself, and with it every message a later round waits for.
                        leaver.send(RawMqtt.subscribePacket(1, "jormundb/Leaving/#", 1));
                        leaver.packet();
                    } else if (round % 2 == 0) {
                        leaver.packet();
                    }
                } // gone, without a DISCONNECT, while changes are sent to it
            }
            writes.get(60, TimeUnit.SECONDS);
            assertFalse(server.log().contains("ERROR"), server.log());
            assertFalse(server.log().contains("\tat "), server.log());
        }
    }

    @Test
    void plainMqttOnTheTlsPortIsOneWarningThatShowsNoneOfTheBytesSent() throws Exception {
        TestCertificates certs = TestCertificates.generate();
        int tlsPort = FreePort.find();
        try (JarServer server = JarServer.start(temp.resolve("data"), List.of(), Map.of(),
                "--mqtt-port", Integer.toString(FreePort.find()), "--tls-cert", certs.cert().toString(),
                "--tls-key", certs.key().toString(), "--mqtt-tls-port", Integer.toString(tlsPort))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> server.log().contains("JormunDB listening"));
            assertTrue(server.log().matches("(?s).*MQTT on \\S+:\\d+, mqtts://\\S+:" + tlsPort + ",.*"),
                    "the start line names the TLS listener: " + server.log());
            String password = "the-secret-password";
            try (RawMqtt plain = RawMqtt.open(tlsPort)) {
                plain.send(RawMqtt.connectPacket("plain", "someone", password));
                assertTrue(plain.closedByServer());
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> warnings(server).size() == 1);
            assertTrue(warnings(server).getFirst().matches(".* WARN ConnectGuard - MQTT client /127\\.0\\.0\\.1:\\d+ "
                    + "sent something other than TLS to a TLS port; connection closed"), warnings(server).getFirst());
            String hex = HexFormat.of().formatHex(password.getBytes(StandardCharsets.UTF_8));
            assertFalse(server.log().contains(password) || server.log().toLowerCase(Locale.ROOT).contains(hex),
                    server.log());
        } finally {
            certs.delete();
        }
    }

    private static List<String> warnings(JarServer server) {
        // The startup warning of a machine whose ulimit -n is below the caps' needs is not about clients.
        return server.log().lines().filter(l -> l.contains(" WARN ") && !l.contains(" DescriptorLimit ")).toList();
    }

    @Test
    void aCleanStopLeavesNothingToRepairButAKill9Does() throws Exception {
        int mqttPort = FreePort.find();
        Path dataDir = temp.resolve("data");
        String[] flags = {"--mqtt-port", Integer.toString(mqttPort)};
        try (Subscriber clean = Subscriber.of(mqttPort);
             Subscriber persistent = Subscriber.withId(mqttPort, "persistent-subscriber");
             Subscriber crashed = Subscriber.withId(mqttPort, "crashed-subscriber")) {
            try (JarServer first = JarServer.start(dataDir, List.of(), Map.of(), flags)) {
                clean.connect(true, null, null);
                persistent.connect(false, null, null);
                first.terminate(); // with both connected
            }
            try (JarServer second = JarServer.start(dataDir, List.of(), Map.of(), flags)) {
                crashed.connect(false, null, null);
                assertFalse(second.log().contains(NOT_STOPPED_CLEANLY), second.log());
                // A new persistent session is written to RocksDB once the broker took its connection.
                await().atMost(Duration.ofSeconds(10)).until(() -> Metrics.value(second.endpoint(),
                        "jormundb_mqtt_persistent_sessions") == 2);
                second.kill();
            }
            try (JarServer third = JarServer.start(dataDir, List.of(), Map.of(), flags)) {
                assertTrue(third.log().contains(NOT_STOPPED_CLEANLY + ": restored 2 persistent sessions from RocksDB"),
                        third.log());
                third.terminate();
            }
        }
    }
}
