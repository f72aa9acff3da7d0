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

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Moquette behind its guard: nobody reaches Moquette's own loopback port but the guard, whatever
 * credentials they bring, so no will of theirs can ever be published under {@code jormundb/}.
 */
class EmbeddedBrokerTest {
    private static final byte[] CONNACK_BAD_USER_NAME_OR_PASSWORD = {0x20, 2, 0, 4};

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
    void moquettesOwnPortRefusesEveryConnectionThatDoesNotComeFromTheGuard() throws Exception {
        Mqtt3AsyncClient subscriber = MqttClient.builder().useMqttVersion3().serverHost("127.0.0.1").serverPort(port)
                .buildAsync();
        List<String> received = new CopyOnWriteArrayList<>();
        subscriber.publishes(MqttGlobalPublishFilter.ALL, p -> received.add(p.getTopic().toString()));
        subscriber.connectWith().simpleAuth().username("app").password("s3cret".getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().send().get(10, TimeUnit.SECONDS);
        subscriber.subscribeWith().topicFilter("#").qos(MqttQos.AT_LEAST_ONCE).send().get(10, TimeUnit.SECONDS);

        String forged = "jormundb/Orders/c1/o1";
        assertArrayEquals(CONNACK_BAD_USER_NAME_OR_PASSWORD, connectDirectly(null, null, forged), "anonymous");
        assertArrayEquals(CONNACK_BAD_USER_NAME_OR_PASSWORD, connectDirectly("app", "s3cret", forged),
                "with the credentials clients give the guard");
        assertArrayEquals(CONNACK_BAD_USER_NAME_OR_PASSWORD, connectDirectly("jormundb-guard", "guess", forged),
                "as the guard, with a guessed secret");

        // Published after the refused connections closed; delivered after their wills, had there been any.
        subscriber.publishWith().topic("app/ping").qos(MqttQos.AT_LEAST_ONCE).send().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("app/ping"));
        assertEquals(List.of("app/ping"), received);
        subscriber.disconnect().get(10, TimeUnit.SECONDS);
    }

    /**
     * Connects to Moquette's loopback port (past the guard) with an MQTT 3.1.1 CONNECT with a will
     * on {@code willTopic}, and closes without DISCONNECT; returns Moquette's answer.
     */
    private byte[] connectDirectly(String user, String password, String willTopic) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, "MQTT");
        body.write(4);
        body.write(0x06 | (user == null ? 0 : 0xC0)); // clean session, will (QoS 0), user name and password
        body.write(0);
        body.write(60);
        writeString(body, "intruder");
        writeString(body, willTopic);
        writeString(body, "{\"fake\":true}");
        if (user != null) {
            writeString(body, user);
            writeString(body, password);
        }
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), broker.brokerPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(0x10);
            out.write(body.size());
            out.write(body.toByteArray());
            out.flush();
            return socket.getInputStream().readNBytes(4);
        }
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length & 0xFF);
        out.writeBytes(bytes);
    }
}
