package io.jormundb.api.mqtt;

import io.jormundb.api.FreePort;
import io.jormundb.api.JarServer;
import io.jormundb.api.Metrics;
import io.jormundb.broker.publish.ChangelogPublisher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * At least once across a crash: commits whose notifications were not yet published when the
 * server was killed with SIGKILL are published after the restart, from the publisher's cursor.
 */
class MqttCrashRecoveryIT {
    private static final int CHANGES = 50;
    private static final List<String> HELD = List.of("-D" + ChangelogPublisher.HOLD_PROPERTY + "=true");

    private Path dir;
    private Path dataDir;

    @BeforeEach
    void createDataDir() throws IOException {
        dir = Files.createTempDirectory("jormundb-crash");
        dataDir = dir.resolve("data");
    }

    @AfterEach
    void deleteDataDir() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void embeddedBrokerGetsEveryChangeCommittedBeforeAKill9() throws Exception {
        String mqttPort = Integer.toString(FreePort.find());
        try (Subscriber subscriber = Subscriber.reconnecting(Integer.parseInt(mqttPort), "crash-subscriber", null, null)) {
            try (JarServer first = JarServer.start(dataDir, List.of(), Map.of(), "--mqtt-port", mqttPort)) {
                subscriber.connect(false, null, null);
                subscriber.subscribeTo("jormundb/#");
                Orders.create(first.client());
                Orders.put(first.client(), "c-1", "o");
                await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.received().size() == 1);
                first.terminate();
            }
            // The publisher is held: these commits are durable but not published when the server dies.
            try (JarServer held = JarServer.start(dataDir, HELD, Map.of(), "--mqtt-port", mqttPort)) {
                Orders.putRange(held.client(), 0, CHANGES);
                assertEquals(CHANGES, Metrics.value(held.get("/metrics"), "jormundb_mqtt_publisher_lag{reader=\"mqtt\"}"));
                held.kill();
            }
            assertEquals(Set.of("jormundb/Orders/c-1/o"), subscriber.topics());

            try (JarServer restarted = JarServer.start(dataDir, List.of(), Map.of(), "--mqtt-port", mqttPort)) {
                Set<String> expected = Orders.topics(0, CHANGES);
                expected.add("jormundb/Orders/c-1/o");
                await().atMost(Duration.ofSeconds(30)).untilAsserted(
                        () -> assertEquals(expected, subscriber.topics(), restarted::log));
                subscriber.assertDuplicatesCarryTheSameToken();
                restarted.terminate();
            }
        }
    }

    @Test
    void bridgeGetsEveryChangeCommittedWhileTheExternalBrokerWasDownDespiteAKill9() throws Exception {
        try (Mosquitto mosquitto = Mosquitto.startNew();
             Subscriber subscriber = Subscriber.reconnecting(mosquitto.port(), "crash-subscriber",
                     Mosquitto.USER, Mosquitto.PASSWORD)) {
            subscriber.connect(false, null, null);
            subscriber.subscribeTo("jormundb/#");
            mosquitto.stop();
            String[] flags = {"--mqtt-port", "0", "--mqtt-bridge", mosquitto.uri(),
                    "--mqtt-bridge-user", Mosquitto.USER, "--mqtt-bridge-password", Mosquitto.PASSWORD};

            try (JarServer first = JarServer.start(dataDir, List.of(), Map.of(), flags)) {
                Orders.create(first.client());
                Orders.putRange(first.client(), 0, CHANGES);
                assertEquals(CHANGES, Metrics.value(first.get("/metrics"),
                        "jormundb_mqtt_publisher_lag{reader=\"mqtt-bridge\"}"));
                first.kill();
            }
            mosquitto.start();
            try (JarServer restarted = JarServer.start(dataDir, List.of(), Map.of(), flags)) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(
                        () -> assertEquals(Orders.topics(0, CHANGES), subscriber.topics(), restarted::log));
                subscriber.assertDuplicatesCarryTheSameToken();
                restarted.terminate();
            }
        }
    }
}
