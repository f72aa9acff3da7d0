package io.jormundb.api.mqtt;

import io.jormundb.api.FreePort;
import io.jormundb.api.TestServer;
import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.store.Store;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A follower's own embedded broker publishes every change its leader ships, and its node-local
 * MQTT state (publisher cursor, persistent sessions) is its own: never shipped, never overwritten.
 */
class MqttOnFollowerTest {
    private static final String SECRET = "mqtt-follower-secret";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aSubscriberOnAFollowerReceivesEveryChangeAndTheFollowersOwnSessionAndCursorSurviveTheLeadersBatches() {
        int leaderMqtt = FreePort.find();
        int followerMqtt = FreePort.find();
        try (TestServer leader = TestServer.start(cfg -> cfg.withMqttPort(leaderMqtt)
                .with(b -> b.replicationSecret(SECRET)))) {
            Orders.create(leader.client());
            try (Subscriber leaderOnly = Subscriber.withId(leaderMqtt, "leader-only")) {
                leaderOnly.connect(false, null, null);
                leaderOnly.subscribeTo("jormundb/#");
                leaderOnly.disconnect();
            }
            try (TestServer follower = TestServer.start(cfg -> cfg.withMqttPort(followerMqtt)
                    .withFollow(leader.endpoint().toString(), SECRET));
                 Subscriber live = Subscriber.subscribe(followerMqtt, "jormundb/#");
                 Subscriber offline = Subscriber.withId(followerMqtt, "follower-offline")) {
                offline.connect(false, null, null);
                offline.subscribeTo("jormundb/#");
                offline.disconnect();
                Orders.putRange(leader.client(), 0, 20);
                await().atMost(WAIT).untilAsserted(() -> assertEquals(Set.of(), live.missing(Orders.topics(0, 20))));
                live.assertDuplicatesCarryTheSameToken();
                Store followerStore = follower.server().engine().store();
                assertNull(followerStore.get(Keys.mqttSession("leader-only")),
                        "the leader's persistent sessions are never shipped");
                byte[] cursor = followerStore.get(Keys.cursor("mqtt"));
                assertNotNull(cursor, "the follower's publisher keeps its own cursor");

                follower.restart(() -> Orders.putRange(leader.client(), 20, 40));
                assertTrue(offline.connect(false, null, null).isSessionPresent(),
                        "the follower's persistent session survived the leader's batches");
                await().atMost(WAIT).untilAsserted(() -> assertEquals(Set.of(),
                        offline.missing(Orders.topics(0, 40))));
                assertNotNull(follower.server().engine().store().get(Keys.mqttSession("follower-offline")));
                assertNotNull(leader.server().engine().store().get(Keys.mqttSession("leader-only")));
            }
        }
    }
}
