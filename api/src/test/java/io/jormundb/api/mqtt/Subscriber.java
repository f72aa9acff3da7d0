package io.jormundb.api.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAck;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A test subscriber: a hivemq-mqtt-client MQTT 3.1.1 client that records every message it gets,
 * from any session (its global publish callback is registered before it connects, so messages
 * queued for a persistent session while it was offline are recorded too).
 */
public final class Subscriber implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One message as received. */
    public record Message(String topic, byte[] payload, MqttQos qos, boolean retain) {
        public JsonNode json() {
            try {
                return JSON.readTree(payload);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String token() {
            return json().get("token").asText();
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final Mqtt3AsyncClient client;
    private final List<Message> received = new CopyOnWriteArrayList<>();

    private Subscriber(Mqtt3AsyncClient client) {
        this.client = client;
        client.publishes(MqttGlobalPublishFilter.ALL, p -> received.add(message(p)));
    }

    /** A client that acknowledges (PUBACK) the first {@code count} messages it gets and none after them. */
    private Subscriber(Mqtt3AsyncClient client, int count) {
        this.client = client;
        client.publishes(MqttGlobalPublishFilter.ALL, p -> {
            received.add(message(p));
            if (received.size() <= count) {
                p.acknowledge();
            }
        }, true);
    }

    private static Message message(Mqtt3Publish p) {
        return new Message(p.getTopic().toString(), p.getPayloadAsBytes(), p.getQos(), p.isRetain());
    }

    /** A client with a clean session (not yet connected). */
    static Subscriber of(int port) {
        return new Subscriber(builder(port, null).buildAsync());
    }

    /** A client that reconnects by itself, with these credentials each time (not yet connected). */
    public static Subscriber reconnecting(int port, String clientId, String user, String password) {
        Mqtt3ClientBuilder b = builder(port, clientId).automaticReconnect()
                .initialDelay(100, TimeUnit.MILLISECONDS).maxDelay(500, TimeUnit.MILLISECONDS)
                .applyAutomaticReconnect();
        if (user != null) {
            b = b.simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth();
        }
        return new Subscriber(b.buildAsync());
    }

    /** A client with a clean session speaking MQTT over WebSockets to {@code ws://127.0.0.1:<port>/mqtt} (not yet connected). */
    static Subscriber overWebSocket(int port) {
        return new Subscriber(builder(port, null).webSocketConfig().serverPath("mqtt").applyWebSocketConfig().buildAsync());
    }

    /** A client with the given id (not yet connected). */
    static Subscriber withId(int port, String clientId) {
        return new Subscriber(builder(port, clientId).buildAsync());
    }

    /**
     * A client with the given id (not yet connected) that acknowledges only the first {@code count}
     * messages it gets: the broker keeps the others in flight or queued, unacknowledged.
     */
    static Subscriber acknowledgingFirst(int port, String clientId, int count) {
        return new Subscriber(builder(port, clientId).buildAsync(), count);
    }

    private static Mqtt3ClientBuilder builder(int port, String clientId) {
        Mqtt3ClientBuilder b = MqttClient.builder().useMqttVersion3().serverHost("127.0.0.1").serverPort(port);
        return clientId == null ? b : b.identifier(clientId);
    }

    /** Connects with a clean session, anonymously, and subscribes to {@code filters} at QoS 1. */
    static Subscriber subscribe(int port, String... filters) {
        Subscriber s = of(port);
        s.connect(true, null, null);
        s.subscribeTo(filters);
        return s;
    }

    CompletableFuture<Mqtt3ConnAck> connectAsync(boolean cleanSession, String user, String password) {
        var connect = client.connectWith().cleanSession(cleanSession);
        if (user != null) {
            return connect.simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth().send();
        }
        return connect.send();
    }

    public Mqtt3ConnAck connect(boolean cleanSession, String user, String password) {
        return connectAsync(cleanSession, user, password).orTimeout(10, TimeUnit.SECONDS).join();
    }

    public void subscribeTo(String... filters) {
        for (String filter : filters) {
            client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send()
                    .orTimeout(10, TimeUnit.SECONDS).join();
        }
    }

    Mqtt3AsyncClient client() {
        return client;
    }

    public List<Message> received() {
        return List.copyOf(received);
    }

    Set<String> topics() {
        return received.stream().map(Message::topic).collect(Collectors.toSet());
    }

    /** Those of {@code expected} not received yet, sorted: an assertion message that shows what is missing. */
    SortedSet<String> missing(Set<String> expected) {
        Set<String> got = topics();
        return expected.stream().filter(t -> !got.contains(t)).collect(Collectors.toCollection(TreeSet::new));
    }

    /** At least once: a change may arrive twice, but then with the same token (and never with two). */
    void assertDuplicatesCarryTheSameToken() {
        Map<String, Set<String>> tokensByEvent = received.stream().collect(Collectors.groupingBy(
                m -> m.json().get("eventID").asText(), Collectors.mapping(Message::token, Collectors.toSet())));
        tokensByEvent.forEach((event, tokens) -> assertEquals(1, tokens.size(), event + " came with " + tokens));
    }

    void disconnect() {
        client.disconnect().orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Override
    public void close() {
        if (client.getState().isConnectedOrReconnect()) {
            client.disconnect().exceptionally(e -> null).orTimeout(10, TimeUnit.SECONDS).join();
        }
    }
}
