package io.jormundb.broker.embedded;

import io.jormundb.broker.sessions.PersistentSessions;
import io.jormundb.broker.sessions.TopicFilter;
import io.jormundb.engine.changelog.Position;
import io.jormundb.streams.json.ChangeJson;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one client connection with a persistent session tells its {@link PersistentSessions}: the
 * subscriptions Moquette granted (from the client's SUBSCRIBE and Moquette's SUBACK) and dropped
 * (the client's UNSUBSCRIBE), and the messages the client acknowledged (Moquette's PUBLISH gives a
 * packet id its changelog position, the client's PUBACK of that id acknowledges it). Moquette
 * 0.17 reports none of these acknowledgements to its interceptors, so the guard reads them off
 * the wire: {@link PacketFilter} reports the client's packets, {@link BrokerPackets} Moquette's.
 * Its connection attaches it before Moquette gets the CONNECT (a session's queue may come right
 * behind the CONNACK); a clean session's connection never does, and then it only remembers the
 * requests that wait for their answer. Runs on the connection's event loop only.
 */
final class SessionTraffic {
    private PersistentSessions.Attachment session;
    /** Set on a clean session's connection: nothing is noted. */
    private boolean ignored;
    private final Map<Integer, List<TopicFilter>> subscribing = new HashMap<>();
    private final List<List<String>> unsubscribedEarly = new ArrayList<>();
    /** Changelog positions of the QoS 1 and 2 messages sent to the client and not acknowledged, by packet id. */
    private final Map<Integer, Position> inFlight = new HashMap<>();

    /** The connection is a persistent session's: from now on it is reported to {@code attachment}. */
    void attach(PersistentSessions.Attachment attachment) {
        session = attachment;
        unsubscribedEarly.forEach(attachment::unsubscribed);
        unsubscribedEarly.clear();
    }

    /** The connection is a clean session's: nothing it does is noted. */
    void ignore() {
        ignored = true;
        subscribing.clear();
        unsubscribedEarly.clear();
    }

    /** The connection closed. */
    void detach() {
        if (session != null) {
            session.detach();
            session = null;
        }
    }

    /** The client asks for these subscriptions (the QoS it asks for in each). */
    void subscribing(int packetId, List<TopicFilter> requested) {
        if (!ignored) {
            subscribing.put(packetId, requested);
        }
    }

    /** Moquette answered SUBACK with {@code returnCodes} (the QoS it granted each, or 0x80 for a refusal). */
    void subscribed(int packetId, int[] returnCodes) {
        List<TopicFilter> requested = subscribing.remove(packetId);
        if (session == null || requested == null || requested.size() != returnCodes.length) {
            return;
        }
        List<TopicFilter> granted = new ArrayList<>(requested.size());
        for (int i = 0; i < returnCodes.length; i++) {
            if (returnCodes[i] <= 2) {
                granted.add(new TopicFilter(requested.get(i).filter(), returnCodes[i]));
            }
        }
        session.subscribed(granted);
    }

    /** The client drops these subscriptions: from now on it is owed nothing through them. */
    void unsubscribing(List<String> filters) {
        if (ignored) {
            return;
        }
        if (session == null) {
            unsubscribedEarly.add(filters);
        } else {
            session.unsubscribed(filters);
        }
    }

    /**
     * Moquette sends a QoS 1 or 2 message with {@code packetId} on {@code topic}; its payload begins
     * with {@code payloadPrefix} (at most {@link ChangeJson#POSITION_PREFIX_BYTES} bytes).
     */
    void sending(int packetId, String topic, byte[] payloadPrefix) {
        if (session == null || inFlight.containsKey(packetId)) {
            return; // not a persistent session's connection, or a resend of a message in flight
        }
        Position position = ChangeJson.positionOf(payloadPrefix);
        if (position == null) {
            // An announcement (a table's deletion) carries no position: the oldest of its topic still owed.
            position = session.oldestOn(topic, inFlight::containsValue);
        }
        if (position != null) {
            inFlight.put(packetId, position);
        }
    }

    /** The client acknowledged the message with {@code packetId}. */
    void acknowledging(int packetId) {
        Position position = inFlight.remove(packetId);
        if (position != null && session != null) {
            session.acknowledged(position);
        }
    }
}
