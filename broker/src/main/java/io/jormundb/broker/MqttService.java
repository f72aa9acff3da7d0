package io.jormundb.broker;

import io.jormundb.broker.bridge.BridgeTarget;
import io.jormundb.broker.embedded.EmbeddedBroker;
import io.jormundb.broker.publish.ChangelogPublisher;
import io.jormundb.streams.feed.Feeds;
import io.jormundb.streams.log.Changelog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The MQTT side of the server: the embedded broker and/or the bridge to an external broker,
 * each fed by its own {@link ChangelogPublisher} with its own persisted cursor. The embedded
 * broker is up (its persistent sessions restored) before its publisher starts. {@link #close}
 * stops the publishers first (saving their cursors), then the broker and the bridge.
 */
public final class MqttService implements AutoCloseable {
    /** Reader name of the embedded broker's publisher cursor (and its metrics label). */
    private static final String EMBEDDED_READER = "mqtt";
    /** Reader name of the bridge's publisher cursor (and its metrics label). */
    private static final String BRIDGE_READER = "mqtt-bridge";

    private static final Logger LOG = LoggerFactory.getLogger(MqttService.class);

    static {
        // Netty (Moquette's and hivemq-mqtt-client's) reaches for sun.misc.Unsafe, which JDK 24+
        // warns about at startup; heap buffers serve our message rates. An operator may override.
        if (System.getProperty("io.netty.noUnsafe") == null) {
            System.setProperty("io.netty.noUnsafe", "true");
        }
    }

    private final EmbeddedBroker broker;
    private final BridgeTarget bridge;
    private final List<ChangelogPublisher> publishers;

    private MqttService(EmbeddedBroker broker, BridgeTarget bridge, List<ChangelogPublisher> publishers) {
        this.broker = broker;
        this.bridge = bridge;
        this.publishers = publishers;
    }

    /** Starts what {@code settings} enable; call {@link #close} even when nothing is enabled. */
    public static MqttService start(MqttSettings settings, Feeds feeds, Changelog changelog) {
        EmbeddedBroker broker = null;
        BridgeTarget bridge = null;
        List<ChangelogPublisher> publishers = new ArrayList<>();
        try {
            if (settings.port() > 0) {
                broker = EmbeddedBroker.start(settings, changelog);
                publishers.add(new ChangelogPublisher(EMBEDDED_READER, feeds, changelog, broker.target()));
                LOG.info("MQTT broker listening on {}:{}{}{} ({}), topics jormundb/<table>/<pk>[/<sk>]",
                        settings.host(), settings.port(), settings.tlsPort() == 0 ? ""
                                : ", TLS on " + settings.host() + ":" + settings.tlsPort(), settings.wsPort() == 0 ? ""
                                : " and " + (settings.tls() == null ? "ws" : "wss") + "://" + settings.host() + ":"
                                + settings.wsPort() + EmbeddedBroker.WEBSOCKET_PATH,
                        settings.access() != null ? "access keys" + (settings.user() == null ? "" : " and user and password")
                                : settings.user() == null ? "anonymous" : "user and password");
            }
            if (settings.bridgeUri() != null) {
                bridge = new BridgeTarget(settings.bridgeUri(), settings.bridgeUser(), settings.bridgePassword(),
                        settings.bridgeClientId(), settings.bridgePrefix(), settings.bridgeMaxPacket());
                publishers.add(new ChangelogPublisher(BRIDGE_READER, feeds, changelog, bridge));
                LOG.info("MQTT bridge publishing to {}", settings.bridgeUri());
            }
            for (ChangelogPublisher publisher : publishers) {
                publisher.start();
            }
            return new MqttService(broker, bridge, List.copyOf(publishers));
        } catch (RuntimeException e) {
            new MqttService(broker, bridge, List.copyOf(publishers)).close();
            throw e;
        }
    }

    /**
     * Waits, at most {@code max}, until every publisher's target took every change committed so
     * far: at a stop, after the last request, so that what was acknowledged is published now and
     * not only at the next start (a held publisher publishes nothing: not waited for). False when
     * {@code max} passed first (a bridge that does not answer).
     */
    public boolean awaitPublished(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (publishers.stream().anyMatch(p -> p.publishing() && p.lag() > 0)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return true;
    }

    /** The progress of every publisher, for metrics. */
    public List<PublisherStatus> publishers() {
        return publishers.stream().map(p -> new PublisherStatus(p.name(), p.lag(), p.published(), p.resend(),
                p.unsaved())).toList();
    }

    /** The embedded broker's persistent sessions and clients, for metrics; {@code null} without an embedded broker. */
    public SessionsStatus sessions() {
        return broker == null ? null
                : new SessionsStatus(broker.sessions().count(), broker.sessions().unacknowledged(),
                        broker.publishThrottles(), broker.slowDisconnects());
    }

    @Override
    public void close() {
        for (ChangelogPublisher publisher : publishers) {
            publisher.close();
        }
        if (bridge != null) {
            bridge.close();
        }
        if (broker != null) {
            broker.close();
        }
    }
}
