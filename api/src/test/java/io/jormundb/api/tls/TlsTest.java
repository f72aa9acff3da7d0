package io.jormundb.api.tls;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import io.jormundb.api.FreePort;
import io.jormundb.api.RawHttp;
import io.jormundb.api.TestServer;
import io.jormundb.api.auth.Keys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.s;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --tls-cert}/{@code --tls-key}: HTTPS on the HTTP port, MQTT over TLS on
 * {@code --mqtt-tls-port} and secure WebSockets on {@code --mqtt-ws-port}, each reached by a
 * client that trusts the server's certificate (the SDK, hivemq-mqtt-client, mosquitto_sub
 * {@code --cafile}), with {@code --auth} on: the keys log in over TLS as in the clear.
 */
class TlsTest {
    private static TestCertificates certs;
    private static TestServer server;
    private static int mqttTlsPort;
    private static int wssPort;

    @BeforeAll
    static void start() {
        certs = TestCertificates.generate();
        mqttTlsPort = FreePort.find();
        wssPort = FreePort.find();
        ServerTls tls = ServerTls.load(certs.cert(), certs.key());
        server = TestServer.start(c -> Keys.withAuth(c).withMqttPort(FreePort.find())
                .with(b -> b.tls(tls).mqttTlsPort(mqttTlsPort).mqttWsPort(wssPort)));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        certs.delete();
    }

    private static URI https() {
        return URI.create("https://127.0.0.1:" + server.port());
    }

    private static DynamoDbClient client(boolean trusting) {
        UrlConnectionHttpClient.Builder http = UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5));
        if (trusting) {
            http.tlsTrustManagersProvider(() -> certs.trust().getTrustManagers());
        }
        return DynamoDbClient.builder().endpointOverride(https()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(Keys.ADMIN.id(),
                        Keys.ADMIN.secret())))
                .httpClient(http.build()).overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @Test
    void theSdkTrustingTheCertificateTalksHttps() {
        try (DynamoDbClient client = client(true)) {
            createTable(client, "Secure");
            client.putItem(r -> r.tableName("Secure").item(item("id", s("k1"))));
            assertEquals("k1", client.getItem(r -> r.tableName("Secure").key(item("id", s("k1")))).item().get("id").s());
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsNotServed() {
        try (DynamoDbClient client = client(false)) {
            SdkClientException e = assertThrows(SdkClientException.class, client::listTables);
            assertTrue(e.getMessage().contains("SSL") || e.getMessage().contains("PKIX"), e::getMessage);
        }
    }

    @Test
    void mqttOverTlsAndSecureWebSocketsDeliverChangesToAKey() {
        try (DynamoDbClient client = client(true)) {
            createTable(client, "Orders");
            Mqtt3AsyncClient tls = mqtt(mqttTlsPort, false);
            Mqtt3AsyncClient wss = mqtt(wssPort, true);
            List<String> overTls = received(tls);
            List<String> overWss = received(wss);
            for (Mqtt3AsyncClient c : List.of(tls, wss)) {
                c.connectWith().simpleAuth().username(Keys.ORDERS.id())
                        .password(Keys.ORDERS.secret().getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send()
                        .orTimeout(10, TimeUnit.SECONDS).join();
                c.subscribeWith().topicFilter("jormundb/Orders/#").qos(MqttQos.AT_LEAST_ONCE).send()
                        .orTimeout(10, TimeUnit.SECONDS).join();
            }
            client.putItem(r -> r.tableName("Orders").item(item("id", s("o1"))));
            await().atMost(Duration.ofSeconds(10)).until(() -> overTls.size() == 1 && overWss.size() == 1);
            assertEquals(List.of("jormundb/Orders/o1"), overTls);
            assertEquals(List.of("jormundb/Orders/o1"), overWss);
            tls.disconnect().join();
            wss.disconnect().join();
        }
    }

    /**
     * The TLS handshake has the request-header deadline too: the header deadline starts with the
     * first decrypted byte, so a client that trickled its ClientHello held its connection (and, at
     * {@code --max-connections}, everybody else's place) for as long as it liked.
     */
    @Test
    void aHandshakeThatTricklesIsCutOffAtTheHeaderDeadline() throws Exception {
        ServerTls tls = ServerTls.load(certs.cert(), certs.key());
        try (TestServer slow = TestServer.start(c -> c.with(b -> b.tls(tls).requestHeaderTimeout(Duration.ofSeconds(1))));
             RawHttp raw = new RawHttp(slow.port());
             ExecutorService trickle = Executors.newSingleThreadExecutor()) {
            // A TLS record header announcing a 512-byte handshake record, then its bytes one by one.
            raw.send("\u0016\u0003\u0001\u0002\u0000");
            long start = System.nanoTime();
            raw.trickle(trickle, "a", 100);
            assertTrue(raw.timeout(Duration.ofSeconds(10)).closedByServer(), "cut off");
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(took >= 900 && took < 5_000, "cut off after " + took + " ms");
        }
    }

    @Test
    void mosquittoSubWithTheCertificateAsCaFileReceivesOverTls() throws Exception {
        try (DynamoDbClient client = client(true)) {
            createTable(client, "Mosquitto");
            Process sub = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(mqttTlsPort),
                    "--cafile", certs.cert().toString(), "-u", Keys.READER.id(), "-P", Keys.READER.secret(),
                    "-t", "jormundb/Mosquitto/#", "-C", "1", "-q", "1", "-v").redirectErrorStream(true).start();
            try {
                // mosquitto_sub subscribes on its own time; write until its one message arrived.
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() -> {
                    client.putItem(r -> r.tableName("Mosquitto")
                            .item(item("id", s("m1"), "at", s(Long.toString(System.nanoTime())))));
                    return !sub.isAlive();
                });
                String output = new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, sub.exitValue(), output);
                assertTrue(output.startsWith("jormundb/Mosquitto/m1 {"), output);
            } finally {
                sub.destroyForcibly();
            }
        }
    }

    private static Mqtt3AsyncClient mqtt(int port, boolean webSocket) {
        Mqtt3ClientBuilder b = MqttClient.builder().useMqttVersion3().serverHost("127.0.0.1").serverPort(port)
                .sslConfig().trustManagerFactory(certs.trust()).applySslConfig();
        if (webSocket) {
            b = b.webSocketConfig().serverPath("mqtt").applyWebSocketConfig();
        }
        return b.buildAsync();
    }

    private static List<String> received(Mqtt3AsyncClient client) {
        List<String> topics = new CopyOnWriteArrayList<>();
        client.publishes(MqttGlobalPublishFilter.ALL, p -> topics.add(p.getTopic().toString()));
        return topics;
    }
}
