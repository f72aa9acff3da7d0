package io.jormundb.broker.embedded;

import io.jormundb.broker.topic.MqttTopics;
import io.moquette.broker.subscriptions.CTrieSubscriptionDirectory;
import io.moquette.broker.subscriptions.Subscription;
import io.moquette.broker.subscriptions.Topic;
import io.moquette.persistence.MemorySubscriptionsRepository;
import io.netty.handler.codec.mqtt.MqttQoS;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The persistent sessions tell which of them a message is owed to with {@link MqttTopics#matches};
 * Moquette routes the message with its own subscription tree. They must agree on every filter and
 * every topic the server publishes, or a session would wait for a message Moquette never sends it
 * (or miss one it does). The server's topics have no empty level (a key is never empty), where
 * Moquette 0.17 miscounts trailing ones ({@code a///} is two levels to it); filters may have them.
 */
class TopicMatchingTest {
    private static final String[] LEVELS = {"a", "b", "jormundb", "%2F"};

    @Test
    void ourMatchingAgreesWithMoquettesSubscriptionTree() {
        Random random = new Random(17);
        List<String> topics = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            topics.add(levels(random, 1 + random.nextInt(4), false, false));
        }
        for (int i = 0; i < 300; i++) {
            String filter = levels(random, 1 + random.nextInt(4), true, true);
            if (random.nextInt(3) == 0) {
                filter = filter + "/#";
            } else if (random.nextInt(10) == 0) {
                filter = "#";
            }
            CTrieSubscriptionDirectory moquette = new CTrieSubscriptionDirectory();
            moquette.init(new MemorySubscriptionsRepository());
            moquette.add(new Subscription("client", new Topic(filter), MqttQoS.AT_LEAST_ONCE));
            for (String topic : topics) {
                boolean routed = !moquette.matchQosSharpening(new Topic(topic)).isEmpty();
                assertEquals(routed, MqttTopics.matches(filter, topic), filter + " on " + topic);
            }
        }
    }

    private static String levels(Random random, int count, boolean wildcards, boolean emptyLevels) {
        List<String> levels = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int pick = random.nextInt(LEVELS.length + 2);
            levels.add(pick < LEVELS.length ? LEVELS[pick] : wildcards && pick == LEVELS.length ? "+"
                    : emptyLevels ? "" : "a");
        }
        String joined = String.join("/", levels);
        return joined.isEmpty() ? "a" : joined;
    }
}
