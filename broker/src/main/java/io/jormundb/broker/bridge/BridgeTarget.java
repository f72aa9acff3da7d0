package io.jormundb.broker.bridge;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import io.jormundb.broker.publish.PublishTarget;
import io.jormundb.broker.topic.MqttTopics;
import io.jormundb.engine.changelog.Position;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Publishes to an external MQTT broker (or cluster) through hivemq-mqtt-client, as an MQTT 3.1.1
 * client with a clean session: a message is taken when that broker sent PUBACK. The client
 * reconnects by itself with exponential backoff; while it is not connected, {@link #publish}
 * fails at once (nothing piles up in the client), and the publisher waits in {@link #awaitReady}
 * and then resends from its cursor. Messages that were in flight when the connection dropped fail
 * too (a clean session does not survive it), so they are resent as well.
 */
public final class BridgeTarget implements PublishTarget, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BridgeTarget.class);
    private static final int MAX_IN_FLIGHT = 256;
    private static final int KEEP_ALIVE_SECONDS = 30;
    private static final long RECONNECT_INITIAL_MS = 250;
    private static final long RECONNECT_MAX_MS = 10_000;

    private final Mqtt3AsyncClient client;
    private final String where;
    private final String prefix;
    private final long maxPacket;
    /** Guards {@link #connected}; {@link #connectedChanged} is signalled when it becomes true. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition connectedChanged = lock.newCondition();
    private boolean connected;
    /** Whether the last connection attempt failed (so repeated failures are logged once). */
    private volatile boolean failing;
    /** Set by {@link #close}: the disconnection that follows is not worth a warning. */
    private volatile boolean closing;

    /**
     * Creates the client and starts connecting (in the background: the external broker may be down).
     *
     * @param uri      {@code tcp://host[:port]} (default port 1883) or {@code ssl://host[:port]} (TLS, default 8883)
     * @param user     user name at the external broker, or {@code null}
     * @param password its password, or {@code null}
     * @param clientId the client id at the external broker
     * @param prefix   prepended to every topic, followed by {@code /} if it has none (empty: no prefix)
     * @param maxPacket the largest PUBLISH packet the external broker takes, in bytes; {@code 0}: MQTT's own limit
     */
    public BridgeTarget(String uri, String user, String password, String clientId, String prefix, long maxPacket) {
        this.maxPacket = maxPacket == 0 ? MqttTopics.MAX_PACKET_BYTES : maxPacket;
        // Not java.net.URI: it takes no host from a name with an underscore (a Docker Compose service's).
        boolean tls = uri.startsWith("ssl://");
        String address = uri.substring(uri.indexOf("://") + 3);
        int colon = address.indexOf(':');
        String host = colon < 0 ? address : address.substring(0, colon);
        int port = colon >= 0 ? Integer.parseInt(address.substring(colon + 1)) : tls ? 8883 : 1883;
        this.where = uri;
        this.prefix = prefix == null || prefix.isEmpty() ? "" : prefix.endsWith("/") ? prefix : prefix + "/";
        Mqtt3ClientBuilder builder = MqttClient.builder().useMqttVersion3()
                .identifier(clientId)
                .serverHost(host)
                .serverPort(port)
                .automaticReconnect()
                .initialDelay(RECONNECT_INITIAL_MS, TimeUnit.MILLISECONDS)
                .maxDelay(RECONNECT_MAX_MS, TimeUnit.MILLISECONDS)
                .applyAutomaticReconnect()
                .addConnectedListener(context -> connectedChanged(true, null))
                .addDisconnectedListener(context -> connectedChanged(false, context.getCause()));
        if (tls) {
            builder = builder.sslWithDefaultConfig();
        }
        if (user != null) {
            builder = password == null
                    ? builder.simpleAuth().username(user).applySimpleAuth()
                    : builder.simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8))
                            .applySimpleAuth();
        }
        client = builder.buildAsync();
        client.connectWith().cleanSession(true).keepAlive(KEEP_ALIVE_SECONDS).send();
    }

    private void connectedChanged(boolean nowConnected, Throwable cause) {
        lock.lock();
        try {
            connected = nowConnected;
            if (nowConnected) {
                connectedChanged.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (nowConnected) {
            failing = false;
            LOG.info("MQTT bridge connected to {}", where);
        } else if (!failing && !closing) {
            failing = true;
            LOG.warn("MQTT bridge not connected to {} ({}); retrying with backoff", where,
                    cause == null ? "disconnected" : cause.getMessage());
        }
    }

    @Override
    public void awaitReady() throws InterruptedException {
        lock.lock();
        try {
            while (!connected) {
                connectedChanged.await();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public CompletableFuture<?> publish(String topic, byte[] payload, Position position) {
        if (!client.getState().isConnected()) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected to " + where));
        }
        return client.publishWith()
                .topic(prefix + topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(false)
                .payload(payload)
                .send();
    }

    @Override
    public String refusal(String topic, long payloadBytes) {
        // At most 3 UTF-8 bytes a char and 9 of header and lengths: most messages fit by far, unencoded.
        if (payloadBytes + 3L * (prefix.length() + topic.length()) + 9 <= maxPacket) {
            return null;
        }
        long packet = MqttTopics.publishPacketBytes(prefix + topic, payloadBytes);
        return packet <= maxPacket ? null : "its PUBLISH packet of " + packet + " bytes is larger than "
                + (maxPacket == MqttTopics.MAX_PACKET_BYTES ? "MQTT's largest"
                : "--mqtt-bridge-max-packet-size (" + maxPacket + " bytes)");
    }

    @Override
    public String repeatedLossHint() {
        return "; an external broker that closes the connection on a packet larger than it takes does this: "
                + "set --mqtt-bridge-max-packet-size to its limit, and larger messages are skipped";
    }

    @Override
    public int maxInFlight() {
        return MAX_IN_FLIGHT;
    }

    @Override
    public void close() {
        closing = true;
        try {
            client.disconnect().get(2, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Not connected, or the broker did not answer: the client stops either way.
            LOG.debug("MQTT bridge disconnect: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
