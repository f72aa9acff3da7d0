package io.jormundb.broker.embedded;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import io.jormundb.broker.MqttSettings;
import io.jormundb.broker.publish.PublishTarget;
import io.jormundb.engine.Engine;
import io.jormundb.streams.log.Changelog;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Moquette behind its guard: it has no port of its own, the guard hands it connections in-process. */
class EmbeddedBrokerTest {
    @TempDir
    Path dataDir;

    private Engine engine;
    private EmbeddedBroker broker;
    private int port;

    @BeforeEach
    void start() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        engine = Engine.open(dataDir.resolve("db"), 4, false, Clock.systemUTC());
        broker = EmbeddedBroker.start(new MqttSettings("127.0.0.1", port, 0, Duration.ofSeconds(10), 100, 1000, dataDir,
                "app", "s3cret", null, null, null, "bridge", "", Duration.ofHours(1), null, null, 0), new Changelog(engine));
    }

    @AfterEach
    void stop() {
        try {
            broker.close();
        } finally {
            engine.close();
        }
    }

    @Test
    void aClientConnectingWakesWhoeverWaitsForAnAudience() throws Exception {
        // The MQTT publisher waits for an audience this way, so that it follows the changelog again as
        // soon as a client connects instead of at its next heartbeat.
        AtomicInteger wakes = new AtomicInteger();
        PublishTarget target = broker.target();
        target.onAudience(wakes::incrementAndGet);
        assertFalse(target.hasAudience());
        try (Socket client = new Socket("127.0.0.1", port)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> wakes.get() == 1);
            assertTrue(target.hasAudience(), "the connection counts as soon as it is woken for");
        }
    }

    @Test
    void nettysLeakDetectorIsOffUnlessTheOperatorAsksForIt() {
        assertEquals(ResourceLeakDetector.Level.DISABLED, ResourceLeakDetector.getLevel());
    }

    @Test
    void moquetteListensOnNoPortOfItsOwnOnlyTheGuardDoes() throws Exception {
        // Moquette takes its connections from the guard in-process: nobody can connect to it past the
        // guard, whatever credentials they bring, so no will of theirs is ever published under jormundb/.
        assertEquals(0, broker.brokerPort());
        assertEquals(Set.of(port), listeningPorts(), "the TCP ports this JVM listens on");

        // And through the guard it serves, both ways.
        Mqtt3AsyncClient subscriber = MqttClient.builder().useMqttVersion3().serverHost("127.0.0.1").serverPort(port)
                .buildAsync();
        List<String> received = new CopyOnWriteArrayList<>();
        subscriber.publishes(MqttGlobalPublishFilter.ALL, p -> received.add(p.getTopic().toString()));
        subscriber.connectWith().simpleAuth().username("app").password("s3cret".getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().send().get(10, TimeUnit.SECONDS);
        subscriber.subscribeWith().topicFilter("app/#").qos(MqttQos.AT_LEAST_ONCE).send().get(10, TimeUnit.SECONDS);
        subscriber.publishWith().topic("app/ping").qos(MqttQos.AT_LEAST_ONCE).send().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("app/ping"));
        assertEquals(List.of("app/ping"), received);
        subscriber.disconnect().get(10, TimeUnit.SECONDS);
    }

    /** The TCP ports this JVM listens on (Linux: its sockets in /proc/self/fd, looked up in /proc/net/tcp*). */
    private static Set<Integer> listeningPorts() throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // Not a socket of ours any more.
                }
            }
        }
        Set<Integer> ports = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                boolean listening = f[3].equals("0A");
                if (listening && inodes.contains(f[9])) {
                    ports.add(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }
}
