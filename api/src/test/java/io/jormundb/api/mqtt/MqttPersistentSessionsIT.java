package io.jormundb.api.mqtt;

import io.jormundb.api.FreePort;
import io.jormundb.api.JarServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Persistent sessions (clean session off) lose nothing across kill -9 of the real jar: every
 * change committed while their subscription exists reaches them, at least once, from the durable
 * changelog; a restart resends only what some persistent session had not acknowledged, and
 * nothing when none is owed anything.
 */
class MqttPersistentSessionsIT {
    private static final int ROUNDS = 10;
    private static final int WRITES = 300;
    private static final int WRITERS = 8;
    private static final String FILTER = "jormundb/Orders/#";

    @TempDir
    Path temp;

    private JarServer start(int mqttPort, String... flags) {
        List<String> args = new ArrayList<>(List.of("--mqtt-port", Integer.toString(mqttPort)));
        args.addAll(List.of(flags));
        return JarServer.start(temp.resolve("data"), List.of(), Map.of(), args.toArray(String[]::new));
    }

    /**
     * Ten rounds on one data directory, each ending in a kill -9 and a restart: 300 writes from 8
     * threads while one persistent subscriber is connected and another is offline; the kill comes
     * after the writes in even rounds and in the middle of them in odd ones. After each restart,
     * both get every write that was acknowledged (all 300 in even rounds).
     */
    @Test
    void persistentSubscribersGetEveryAcknowledgedWriteAcrossTenKill9s() throws Exception {
        int mqttPort = FreePort.find();
        try (Subscriber online = Subscriber.reconnecting(mqttPort, "online-subscriber", null, null);
             Subscriber offline = Subscriber.withId(mqttPort, "offline-subscriber")) {
            JarServer server = start(mqttPort);
            try {
                Orders.create(server.client());
                online.connect(false, null, null);
                online.subscribeTo(FILTER);
                offline.connect(false, null, null);
                offline.subscribeTo(FILTER);
                offline.disconnect();
                for (int round = 0; round < ROUNDS; round++) {
                    boolean killMidway = round % 2 == 1;
                    Set<String> acknowledged = writeThenKill(server, round, killMidway);
                    if (!killMidway) {
                        assertEquals(WRITES, acknowledged.size());
                    }
                    server.close();
                    server = start(mqttPort);
                    JarServer restarted = server;
                    String which = "round " + round + (killMidway ? ", killed midway" : "") + ": ";
                    offline.connect(false, null, null);
                    for (Subscriber s : List.of(online, offline)) {
                        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(Set.of(),
                                s.missing(acknowledged), which + restarted.log()));
                    }
                    offline.disconnect();
                    assertTrue(restarted.log().contains("MQTT broker was not stopped cleanly: restored 2 persistent "
                            + "sessions from RocksDB"), which + restarted.log());
                }
                online.assertDuplicatesCarryTheSameToken();
                offline.assertDuplicatesCarryTheSameToken();
                server.terminate();
            } finally {
                server.close();
            }
        }
    }

    /**
     * Puts {@value #WRITES} items from {@value #WRITERS} threads and kills the server after them,
     * or once half of them were acknowledged; returns the topics of the acknowledged ones.
     */
    private static Set<String> writeThenKill(JarServer server, int round, boolean killMidway) throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger next = new AtomicInteger();
        DynamoDbClient client = server.client();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try {
            for (int w = 0; w < WRITERS; w++) {
                writers.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < WRITES; ) {
                        String customer = "r" + round + "-" + i;
                        try {
                            Orders.put(client, customer, "o");
                        } catch (RuntimeException e) {
                            return; // the server is gone
                        }
                        acknowledged.add("jormundb/Orders/" + customer + "/o");
                    }
                });
            }
            if (killMidway) {
                await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= WRITES / 2);
                server.kill();
            }
            writers.shutdown();
            assertTrue(writers.awaitTermination(60, TimeUnit.SECONDS));
        } finally {
            writers.shutdownNow();
        }
        if (!killMidway) {
            server.kill();
        }
        return Set.copyOf(acknowledged);
    }

    /**
     * A subscriber that acknowledges only 200 of 300 messages pins what a restart resends: after a
     * kill -9 it gets the other 100 again, and a second persistent subscriber, which acknowledged
     * all 300, gets again at most those of them that it acknowledged after its session was last
     * written (once a second), never one before that window. (That one that acknowledged
     * everything gets nothing twice is MqttPersistentSessionsTest's, across a clean restart.)
     */
    @Test
    void aRestartAfterAKill9ResendsTheUnacknowledgedWindowToItsSessionOnly() throws Exception {
        int mqttPort = FreePort.find();
        try (Subscriber slow = Subscriber.acknowledgingFirst(mqttPort, "slow-subscriber", 200);
             Subscriber fast = Subscriber.reconnecting(mqttPort, "fast-subscriber", null, null)) {
            try (JarServer first = start(mqttPort)) {
                Orders.create(first.client());
                slow.connect(false, null, null);
                slow.subscribeTo(FILTER);
                fast.connect(false, null, null);
                fast.subscribeTo(FILTER);
                Orders.putRange(first.client(), 0, WRITES);
                // The cursor written too: what a kill -9 would publish again to everyone is nothing.
                await().atMost(Duration.ofSeconds(30)).until(() -> fast.received().size() == WRITES
                        && metric(first, "jormundb_mqtt_unacknowledged").equals("100")
                        && metric(first, "jormundb_mqtt_publisher_resend{reader=\"mqtt\"}").equals("100")
                        && metric(first, "jormundb_mqtt_publisher_unsaved{reader=\"mqtt\"}").equals("0"));
                first.kill();
            }
            List<Subscriber.Message> unacknowledged = slow.received().subList(200, slow.received().size());
            try (JarServer second = start(mqttPort);
                 Subscriber slowAgain = Subscriber.withId(mqttPort, "slow-subscriber")) {
                assertTrue(slowAgain.connect(false, null, null).isSessionPresent());
                Set<String> last100 = Orders.topics(200, WRITES);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(Set.of(),
                        slowAgain.missing(last100), second.log()));
                Orders.put(second.client(), "after", "o");
                await().atMost(Duration.ofSeconds(30)).until(() -> fast.topics().contains("jormundb/Orders/after/o"));
                List<String> again = fast.received().subList(WRITES, fast.received().size()).stream()
                        .map(Subscriber.Message::topic).filter(t -> !t.equals("jormundb/Orders/after/o")).toList();
                assertTrue(last100.containsAll(again), "only from the unacknowledged window: " + again);
                assertEquals(again.size(), new HashSet<>(again).size(), "each at most once: " + again);
                fast.assertDuplicatesCarryTheSameToken();
                Set<String> slowGot = union(slow.topics(), slowAgain.topics());
                slowGot.remove("jormundb/Orders/after/o");
                assertEquals(Orders.topics(0, WRITES), slowGot);
                assertTrue(unacknowledged.stream().allMatch(m -> last100.contains(m.topic())));
                second.terminate();
            }
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * Without a persistent session nothing is resent: a clean-session subscriber, which reconnects
     * by itself after a kill -9, gets every change once.
     */
    @Test
    void withoutPersistentSessionsAKill9ResendsNothing() throws Exception {
        int mqttPort = FreePort.find();
        try (Subscriber clean = Subscriber.reconnecting(mqttPort, null, null, null)) {
            try (JarServer first = start(mqttPort)) {
                Orders.create(first.client());
                clean.connect(true, null, null);
                clean.subscribeTo(FILTER);
                Orders.putRange(first.client(), 0, 50);
                await().atMost(Duration.ofSeconds(30)).until(() -> clean.received().size() == 50
                        && metric(first, "jormundb_mqtt_publisher_resend{reader=\"mqtt\"}").equals("0"));
                first.kill();
            }
            try (JarServer second = start(mqttPort)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> clean.client().getState().isConnected());
                clean.subscribeTo(FILTER); // a clean session starts without subscriptions
                Orders.put(second.client(), "after", "o");
                await().atMost(Duration.ofSeconds(30)).until(() -> clean.topics().contains("jormundb/Orders/after/o"));
                assertEquals(51, clean.received().size(), "every change once: " + clean.received().stream()
                        .map(Subscriber.Message::topic).toList());
                second.terminate();
            }
        }
    }

    /**
     * A persistent session away while the changes owed to it were trimmed gets everything still
     * kept when it comes back after a restart, and one warning line names the gap: its client id,
     * what it had acknowledged and the trim horizon.
     */
    @Test
    void aSessionWhoseChangesWereTrimmedGetsWhatIsKeptAndOneWarningNamesTheGap() throws Exception {
        int mqttPort = FreePort.find();
        String[] flags = {"--changelog-retention", "3s", "--mqtt-session-expiry", "1h"};
        try (Subscriber away = Subscriber.withId(mqttPort, "away-subscriber")) {
            try (JarServer first = start(mqttPort, flags)) {
                Orders.create(first.client());
                away.connect(false, null, null);
                away.subscribeTo(FILTER);
                away.disconnect();
                Orders.putRange(first.client(), 0, 3);
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        metric(first, "jormundb_changelog_records{table=\"Orders\"}").equals("0"));
                first.terminate();
            }
            try (JarServer second = start(mqttPort, flags)) {
                Orders.put(second.client(), "kept", "o");
                assertTrue(away.connect(false, null, null).isSessionPresent());
                await().atMost(Duration.ofSeconds(30)).until(() -> away.topics().contains("jormundb/Orders/kept/o"));
                List<String> warnings = second.log().lines()
                        .filter(l -> l.contains(" WARN ") && !l.contains(" DescriptorLimit ")).toList();
                assertEquals(1, warnings.size(), second.log());
                assertTrue(warnings.getFirst().matches(".* WARN PersistentSessions - MQTT session 'away-subscriber' lost "
                        + "changes that were trimmed before it acknowledged them: it had acknowledged everything before "
                        + "\\(\\d+, 0\\) \\(resume token [\\w-]+\\); changes up to the trim horizon \\(\\d+, \\d+\\) "
                        + "\\(resume token [\\w-]+\\) are gone, and it gets every change kept after that"),
                        warnings.getFirst());
                assertEquals(Set.of("jormundb/Orders/kept/o"), away.topics(), "the trimmed changes are gone");
                second.terminate();
            }
        }
    }

    private static String metric(JarServer server, String series) throws Exception {
        return MqttPersistentSessionsTest.metric(server.endpoint(), series);
    }
}
