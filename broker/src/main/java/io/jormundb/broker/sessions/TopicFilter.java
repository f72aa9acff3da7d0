package io.jormundb.broker.sessions;

/**
 * One subscription of a persistent session: a topic filter and the QoS the broker granted it
 * (0, 1 or 2). Only messages that reach the session at QoS 1 or more are acknowledged, so only
 * those are tracked until they are.
 */
public record TopicFilter(String filter, int qos) {
    public TopicFilter {
        if (filter == null || filter.isEmpty() || qos < 0 || qos > 2) {
            throw new IllegalArgumentException("no such subscription: '" + filter + "' at QoS " + qos);
        }
    }
}
