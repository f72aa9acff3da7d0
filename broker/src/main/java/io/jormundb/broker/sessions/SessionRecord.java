package io.jormundb.broker.sessions;

import io.jormundb.engine.changelog.Position;

import java.util.List;

/**
 * What RocksDB keeps of one persistent session ({@code Keys.mqttSession(clientId)}).
 *
 * @param lastSeenMillis when its client was last seen connected (epoch milliseconds)
 * @param unacknowledged every message owed to it at a position before this one was acknowledged
 * @param lostFrom       when not {@code null}: changes from this position on, up to
 *                       {@code unacknowledged}, were trimmed before the session acknowledged
 *                       them; its client is told when it comes back
 * @param filters        its subscriptions
 */
record SessionRecord(String clientId, long lastSeenMillis, Position unacknowledged, Position lostFrom,
                     List<TopicFilter> filters) {
    SessionRecord {
        filters = List.copyOf(filters);
    }
}
