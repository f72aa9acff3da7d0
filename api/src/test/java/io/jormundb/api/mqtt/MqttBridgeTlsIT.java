package io.jormundb.api.mqtt;

import io.jormundb.api.JarServer;
import org.junit.jupiter.api.Test;

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

/**
 * {@code --mqtt-bridge ssl://…} speaks TLS, trusting what the JVM trusts (here a test trust store
 * given to the server process with {@code -Djavax.net.ssl.trustStore}).
 */
class MqttBridgeTlsIT {

    @Test
    void bridgeWithAnSslUriPublishesOverTls() throws Exception {
        Path dir = Files.createTempDirectory("jormundb-tls");
        Path dataDir = dir.resolve("data");
        try (Mosquitto mosquitto = Mosquitto.startNewWithTls();
             Subscriber subscriber = Subscriber.reconnecting(mosquitto.port(), "tls-subscriber",
                     Mosquitto.USER, Mosquitto.PASSWORD)) {
            subscriber.connect(false, null, null);
            subscriber.subscribeTo("jormundb/#");
            List<String> trust = List.of("-Djavax.net.ssl.trustStore=" + mosquitto.trustStore(),
                    "-Djavax.net.ssl.trustStorePassword=changeit", "-Djavax.net.ssl.trustStoreType=PKCS12");
            try (JarServer server = JarServer.start(dataDir, trust, Map.of(), "--mqtt-port", "0",
                    "--mqtt-bridge", mosquitto.tlsUri(),
                    "--mqtt-bridge-user", Mosquitto.USER, "--mqtt-bridge-password", Mosquitto.PASSWORD)) {
                Orders.create(server.client());
                Orders.put(server.client(), "c1", "o1");
                Orders.put(server.client(), "c2", "o2");
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(
                        Set.of("jormundb/Orders/c1/o1", "jormundb/Orders/c2/o2"), subscriber.topics(),
                        () -> server.log() + mosquitto.log()));
                server.terminate();
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
