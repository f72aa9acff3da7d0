package io.jormundb.broker.embedded;

import io.jormundb.broker.topic.MqttTopics;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;

/**
 * Clients may subscribe to anything and publish anywhere except under {@code jormundb/}, which
 * only the server itself publishes to (its internal publishes do not pass through this policy).
 * The second line only: the {@link ConnectGuard} answers and drops such publishes before they
 * reach Moquette (which would drop a refused publish without an answer, so that a QoS 1 or 2
 * publisher waited forever), and refuses such wills at CONNECT (which Moquette 0.17 publishes
 * without asking this policy).
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
