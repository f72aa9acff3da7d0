package io.jormundb.broker.sessions;

import io.jormundb.engine.Engine;
import io.jormundb.engine.changelog.Position;
import io.jormundb.streams.log.Changelog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What persistent sessions are owed, and where a restart resends from: the oldest message some
 * session has not acknowledged, never earlier, and nothing when none is owed anything.
 */
class PersistentSessionsTest {
    private static final Duration EXPIRY = Duration.ofHours(1);
    private static final Position CURSOR = new Position(100, 0);

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock();
    private Engine engine;
    private PersistentSessions sessions;

    @BeforeEach
    void open() {
        engine = Engine.open(dataDir, 4, false, clock);
        sessions = PersistentSessions.open(new Changelog(engine), EXPIRY);
    }

    @AfterEach
    void close() {
        sessions.close();
        engine.close();
    }

    /** Opens the sessions again on the same data, after a clean stop or (with {@code clean} false) a crash. */
    private void reopen(boolean clean) {
        if (clean) {
            sessions.close();
        }
        sessions = PersistentSessions.open(new Changelog(engine), EXPIRY);
    }

    /** A client connected with a persistent session, subscribed to {@code filter} at QoS 1. */
    private PersistentSessions.Attachment subscribed(String clientId, String filter) {
        PersistentSessions.Attachment client = sessions.attach(clientId).join();
        client.subscribed(List.of(new TopicFilter(filter, 1)));
        return client;
    }

    /** Where a restart would resume once the floor as of now is written. */
    private Position resume(Position cursor) {
        sessions.writeFloor();
        return sessions.resumeFrom(cursor);
    }

    private static Position at(long version) {
        return new Position(version, 0);
    }

    @Test
    void withoutPersistentSessionsNothingIsResent() {
        sessions.route("jormundb/T/a", at(5));
        assertEquals(CURSOR, resume(CURSOR));
        sessions.attach("offline-without-subscriptions").join().detach();
        sessions.route("jormundb/T/a", at(6));
        reopen(false);
        assertEquals(CURSOR, resume(CURSOR));
    }

    @Test
    void aRestartResendsFromTheOldestMessageASessionHasNotAcknowledged() {
        PersistentSessions.Attachment client = subscribed("c1", "jormundb/T/#");
        for (long v = 10; v <= 14; v++) {
            sessions.route("jormundb/T/k" + v, at(v));
        }
        client.acknowledged(at(10));
        client.acknowledged(at(11));
        assertEquals(at(12).previous(), resume(CURSOR));
        assertEquals(3, sessions.unacknowledged());
        client.detach();
        reopen(true);
        assertEquals(at(12).previous(), resume(CURSOR), "not earlier after a clean stop");
        assertEquals(at(11), resume(at(11)), "never after the publisher's own cursor");
    }

    @Test
    void onceEverythingIsAcknowledgedARestartResendsNothing() {
        PersistentSessions.Attachment client = subscribed("c1", "jormundb/#");
        sessions.route("jormundb/T/a", at(10));
        sessions.route("jormundb/T/b", at(11));
        client.acknowledged(at(10));
        client.acknowledged(at(11));
        assertEquals(at(11), resume(at(11)));
        assertEquals(0, sessions.unacknowledged());
        reopen(true);
        assertEquals(at(11), resume(at(11)));
    }

    @Test
    void onlyTheMessagesASessionSubscribedToAtQos1AreOwedToIt() {
        PersistentSessions.Attachment qos1 = subscribed("qos1", "jormundb/T/a");
        PersistentSessions.Attachment qos0 = sessions.attach("qos0").join();
        qos0.subscribed(List.of(new TopicFilter("jormundb/#", 0)));
        sessions.route("jormundb/T/b", at(10));
        sessions.route("jormundb/T/a", at(11));
        sessions.route("jormundb/U/a", at(12));
        assertEquals(1, sessions.unacknowledged());
        assertEquals(at(11).previous(), resume(CURSOR));
        qos1.acknowledged(at(11));
        assertEquals(at(12), resume(CURSOR), "nothing owed: from after the last message handed over");
    }

    @Test
    void anAcknowledgementThatComesEarlyCountsOnceTheOlderOnesAreAcknowledged() {
        PersistentSessions.Attachment client = subscribed("c1", "#");
        sessions.route("a", at(10));
        sessions.route("b", at(11));
        sessions.route("c", at(12));
        client.acknowledged(at(11));
        client.acknowledged(at(11));
        client.acknowledged(at(99)); // never routed to it
        assertEquals(at(10).previous(), resume(CURSOR));
        client.acknowledged(at(10));
        assertEquals(at(12).previous(), resume(CURSOR));
        client.acknowledged(at(10)); // a duplicate
        assertEquals(1, sessions.unacknowledged());
    }

    @Test
    void aMessageHandedOverAgainIsOwedOnce() {
        PersistentSessions.Attachment client = subscribed("c1", "#");
        sessions.route("a", at(10));
        sessions.route("b", at(11));
        sessions.route("a", at(10)); // the broker refused one: the publisher goes back
        sessions.route("b", at(11));
        sessions.route("c", at(12));
        assertEquals(3, sessions.unacknowledged());
    }

    @Test
    void unsubscribingDropsWhatNoRemainingSubscriptionWouldGet() {
        PersistentSessions.Attachment client = sessions.attach("c1").join();
        client.subscribed(List.of(new TopicFilter("jormundb/T/#", 1), new TopicFilter("jormundb/U/#", 1)));
        sessions.route("jormundb/T/a", at(10));
        sessions.route("jormundb/U/a", at(11));
        client.unsubscribed(List.of("jormundb/T/#"));
        assertEquals(1, sessions.unacknowledged());
        assertEquals(at(11).previous(), resume(CURSOR));
        reopen(false);
        assertEquals(Map.of("c1", List.of(new TopicFilter("jormundb/U/#", 1))), sessions.subscriptions(),
                "written at once, before the client heard of it");
    }

    @Test
    void aSubscriptionSurvivesACrashRightAfterIt() {
        sessions.route("jormundb/T/x", at(9));
        PersistentSessions.Attachment client = subscribed("c1", "jormundb/T/#");
        sessions.route("jormundb/T/a", at(10));
        reopen(false);
        assertEquals(Map.of("c1", List.of(new TopicFilter("jormundb/T/#", 1))), sessions.subscriptions());
        assertTrue(resume(CURSOR).compareTo(at(10)) < 0, "resends what was routed after it subscribed");
    }

    @Test
    void aCleanSessionReplacesAPersistentOne() {
        PersistentSessions.Attachment client = subscribed("c1", "#");
        sessions.route("a", at(10));
        sessions.forget("c1");
        assertEquals(CURSOR, resume(CURSOR));
        reopen(false);
        assertEquals(Map.of(), sessions.subscriptions());
    }

    @Test
    void aSessionOfflineForLongerThanTheExpiryIsRemovedHereAndFromTheBroker() {
        Set<String> purged = ConcurrentHashMap.newKeySet();
        sessions.close();
        sessions = PersistentSessions.open(new Changelog(engine), Duration.ofSeconds(2));
        sessions.start(purged::add);
        PersistentSessions.Attachment offline = subscribed("offline", "#");
        sessions.route("a", at(10));
        offline.detach();
        PersistentSessions.Attachment online = subscribed("online", "#");
        clock.advance(Duration.ofSeconds(3));
        await().atMost(Duration.ofSeconds(10)).until(() -> purged.contains("offline"));
        assertEquals(Set.of("online"), sessions.subscriptions().keySet());
        assertFalse(purged.contains("online"), "connected all along");
        assertEquals(at(10), resume(CURSOR), "nothing is owed to the one that is gone");
    }

    @Test
    void aClientComingBackWhileTheBrokerDropsItsExpiredSessionWaitsAndThenStartsANewOne() throws Exception {
        CountDownLatch purging = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        sessions.close();
        sessions = PersistentSessions.open(new Changelog(engine), Duration.ofSeconds(2));
        sessions.start(clientId -> {
            purging.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        subscribed("back", "#").detach();
        subscribed("clean", "#").detach();
        clock.advance(Duration.ofSeconds(3));
        await().atMost(Duration.ofSeconds(10)).until(() -> purging.getCount() == 1);

        CompletableFuture<PersistentSessions.Attachment> back = sessions.attach("back");
        CompletableFuture<Void> clean = sessions.forget("clean");
        assertFalse(back.isDone(), "the broker still has the old session: the client must not get it");
        assertFalse(clean.isDone(), "nor may a clean session race the broker dropping the old one");
        release.countDown();
        back.get(10, TimeUnit.SECONDS).detach();
        clean.get(10, TimeUnit.SECONDS);
        assertEquals(Map.of("back", List.of()), sessions.subscriptions(), "a new session, without the old one's subscriptions");
    }

    /** A clock that tests move forward. */
    private static final class MutableClock extends Clock {
        private volatile Instant now = Instant.parse("2024-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
