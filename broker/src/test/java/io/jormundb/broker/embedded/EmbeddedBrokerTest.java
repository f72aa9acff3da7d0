package io.jormundb.broker.embedded;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAck;
import io.jormundb.broker.MqttSettings;
import io.jormundb.broker.publish.PublishTarget;
import io.jormundb.engine.Engine;
import io.jormundb.engine.changelog.Position;
import io.jormundb.streams.log.Changelog;
import io.moquette.broker.Server;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.jormundb.broker.embedded.LocalBroker.accessible;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Moquette behind its guard: it has no port of its own, the guard hands it connections in-process. */
class EmbeddedBrokerTest {
    private static final String TAKER = "taker";

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
                "app", "s3cret", null, null, null, "bridge", "", 0, Duration.ofHours(1), null, null, 0), new Changelog(engine));
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

    /**
     * Moquette 0.17 stores a record of every session and deletes none when it drops one: each client
     * id that ever connected, clean or not, was held until restart (measured: 29,640 records after as
     * many clean sessions). They go now, and a connected client's stays.
     */
    @Test
    void theRecordsOfGoneSessionsAreRemovedAndAConnectedOnesKept() throws Exception {
        for (int i = 0; i < 20; i++) {
            Mqtt3AsyncClient client = MqttClient.builder().useMqttVersion3().identifier("passing-" + i)
                    .serverHost("127.0.0.1").serverPort(port).buildAsync();
            client.connectWith().simpleAuth().username("app").password("s3cret".getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth().send().get(10, TimeUnit.SECONDS);
            client.disconnect().get(10, TimeUnit.SECONDS);
        }
        Mqtt3AsyncClient staying = MqttClient.builder().useMqttVersion3().identifier("staying")
                .serverHost("127.0.0.1").serverPort(port).buildAsync();
        staying.connectWith().simpleAuth().username("app").password("s3cret".getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().send().get(10, TimeUnit.SECONDS);
        SessionLeftovers leftovers = broker.leftovers();
        assertTrue(leftovers.records() >= 21, "Moquette kept a record of each: " + leftovers.records());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            leftovers.look();
            assertEquals(1, leftovers.records());
        });
        staying.disconnect().get(10, TimeUnit.SECONDS);
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

    /**
     * A persistent session taken back gets what is routed to it meanwhile once. The timing that
     * broke it is made here on purpose, on Moquette's own session loop: the client's CONNECT waits
     * behind a held command, and behind it wait a command that lasts until the client has its
     * CONNACK (or 3 s) and then the messages. When the CONNACK went out before the in-flight
     * messages were resumed, those messages were sent on the new connection and then sent again
     * with the resumed ones.
     */
    @Test
    void messagesRoutedWhileTheSessionIsTakenBackComeOnce() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        Mqtt3AsyncClient client = MqttClient.builder().useMqttVersion3().identifier(TAKER).serverHost("127.0.0.1")
                .serverPort(port).buildAsync();
        client.publishes(MqttGlobalPublishFilter.ALL, p -> received.add(p.getTopic().toString()));
        connect(client).get(10, TimeUnit.SECONDS);
        client.subscribeWith().topicFilter("jormundb/T/#").qos(MqttQos.AT_LEAST_ONCE).send().get(10, TimeUnit.SECONDS);
        client.disconnect().get(10, TimeUnit.SECONDS);

        Object postOffice = LocalBroker.serverField(moquette(), "dispatcher");
        Method route = accessible(postOffice.getClass().getDeclaredMethod("routeCommand", String.class, String.class,
                Callable.class));
        Collection<?> loopQueue = loopQueueOf(postOffice, TAKER);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        route.invoke(postOffice, TAKER, "hold", (Callable<String>) () -> {
            held.countDown();
            release.await(20, TimeUnit.SECONDS);
            return null;
        });
        assertTrue(held.await(10, TimeUnit.SECONDS));
        CompletableFuture<Mqtt3ConnAck> connack = connect(client);
        await().atMost(Duration.ofSeconds(10)).until(() -> !loopQueue.isEmpty()); // its CONNECT
        route.invoke(postOffice, TAKER, "until the client has its CONNACK", (Callable<String>) () -> {
            try {
                connack.get(3, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException notYet) {
                // The CONNACK waits for the resume, behind this: go on.
            }
            return null;
        });
        for (int i = 0; i < 5; i++) {
            broker.target().publish("jormundb/T/k" + i, "{}".getBytes(StandardCharsets.UTF_8), new Position(i + 1, 0));
        }
        release.countDown();

        assertTrue(connack.get(10, TimeUnit.SECONDS).isSessionPresent());
        List<String> once = List.of("jormundb/T/k0", "jormundb/T/k1", "jormundb/T/k2", "jormundb/T/k3", "jormundb/T/k4");
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= once.size());
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                assertEquals(once, received));
        client.disconnect().get(10, TimeUnit.SECONDS);
    }

    private static CompletableFuture<Mqtt3ConnAck> connect(Mqtt3AsyncClient client) {
        return client.connectWith().cleanSession(false).simpleAuth().username("app")
                .password("s3cret".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send();
    }

    private Server moquette() throws ReflectiveOperationException {
        Field server = accessible(EmbeddedBroker.class.getDeclaredField("server"));
        return (Server) server.get(broker);
    }

    /** The queue of commands of the Moquette session loop of {@code clientId}. */
    private static Collection<?> loopQueueOf(Object postOffice, String clientId) throws ReflectiveOperationException {
        Object group = accessible(postOffice.getClass().getDeclaredField("sessionLoops")).get(postOffice);
        int ordinal = (int) accessible(group.getClass().getDeclaredMethod("targetQueueOrdinal", String.class))
                .invoke(group, clientId);
        Object[] queues = (Object[]) accessible(group.getClass().getDeclaredField("sessionQueues")).get(group);
        return (Collection<?>) queues[ordinal];
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
