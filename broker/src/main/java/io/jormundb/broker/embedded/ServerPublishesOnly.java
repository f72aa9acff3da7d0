package io.jormundb.broker.embedded;

import io.jormundb.broker.topic.MqttTopics;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;

/**
 * Clients may subscribe to anything and publish anywhere except under {@code jormundb/}, which
 * only the server itself publishes to (its internal publishes do not pass through this policy).
 * Moquette drops a refused publish without forwarding it (a refused QoS 1 publish gets no PUBACK).
 *
 * <p>Moquette 0.17 publishes a client's will message without asking this policy; the
 * {@link ConnectGuard} refuses such wills at CONNECT instead.
 */
final class ServerPublishesOnly implements IAuthorizatorPolicy {
    @Override
    public boolean canWrite(Topic topic, String user, String client) {
        return !MqttTopics.isReserved(topic.toString());
    }

    @Override
    public boolean canRead(Topic topic, String user, String client) {
        return true;
    }
}
