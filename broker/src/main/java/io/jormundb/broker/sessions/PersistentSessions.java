package io.jormundb.broker.sessions;

import io.jormundb.engine.changelog.Position;
import io.jormundb.streams.log.Changelog;
import io.jormundb.streams.log.Scope;
import io.jormundb.streams.token.ResumeToken;
import io.jormundb.streams.token.TokenCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The persistent MQTT sessions of the embedded broker (clean session off) and what each is owed,
 * kept in RocksDB: the changelog is their queue. The broker's own queues and in-flight windows do
 * not survive a crash (Moquette 0.17 checkpoints its queues at a clean stop only, and then keeps
 * one of them), so they are only ever a buffer in front of the client.
 *
 * <p>Invariant: every change routed to a persistent session at QoS 1 or 2 and not yet
 * acknowledged (PUBACK) by its client is at or after the floor written to RocksDB, so a restart
 * that publishes again from there ({@link #resumeFrom}) loses none of them, after a crash as after
 * a clean stop. To keep it, the publisher calls {@link #route} for each message before it hands it
 * to the broker; the connection of a session's client reports its subscriptions (once the broker
 * granted them, before the client hears so) and its acknowledgements through its
 * {@link Attachment}; the floor is the oldest unacknowledged message of any session, or the first
 * position after the last one handed over when none is owed anything. The floor is written at most
 * every {@value #FLOOR_INTERVAL_MS} ms, and at once whenever a subscription changes, so what a
 * restart sends again is what was unacknowledged then: never earlier, and nothing when no
 * persistent session is owed anything. Each session's own record (subscriptions, where what it is
 * owed begins, when it was last seen) is written when it subscribes or unsubscribes and otherwise
 * at most every second; a session offline for longer than the expiry is removed, here and from
 * the broker (its {@link Purger}), and a client of that id that comes back meanwhile waits
 * until the broker has dropped it.
 *
 * <p>Memory: one reference per unacknowledged message per session (a message handed over is one
 * object shared by every session it reaches). Thread-safe.
 */
public final class PersistentSessions implements AutoCloseable {
    /** Removes a session from the broker itself: its subscriptions, its queue. */
    @FunctionalInterface
    public interface Purger {
        void purge(String clientId) throws IOException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(PersistentSessions.class);
    private static final long FLOOR_INTERVAL_MS = 100;
    private static final Duration MAX_SWEEP_INTERVAL = Duration.ofSeconds(1);
    private static final Scope ALL_TABLES = new Scope.AllTables(null);

    private final SessionStore store;
    private final Changelog changelog;
    private final Duration expiry;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    /**
     * The expired sessions the broker is still dropping, by client id, each completed once it has:
     * until then a connection with that client id waits (see {@link #attach}), or it would get the
     * broker's old session, which the purge's own connection would then take over.
     */
    private final Map<String, CompletableFuture<Void>> purging = new ConcurrentHashMap<>();
    /** The last position handed to the broker ({@code null} before the first); written by the publisher's thread. */
    private volatile Position handed;
    /** Serialises the writes of the broker's record, so that the floor written last was computed last. */
    private final ReentrantLock writes = new ReentrantLock();
    /** The broker's record as last written; guarded by {@link #writes}. */
    private BrokerRecord written;
    /** Signalled whenever a session may have become owed nothing (see {@link #awaitAcknowledged}). */
    private final ReentrantLock progress = new ReentrantLock();
    private final Condition acknowledged = progress.newCondition();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("jormundb-mqtt-sessions").daemon(true).factory());

    private PersistentSessions(SessionStore store, Changelog changelog, Duration expiry) {
        this.store = store;
        this.changelog = changelog;
        this.expiry = expiry;
    }

    /**
     * Loads the persistent sessions from RocksDB. A session owed changes that were trimmed since
     * is owed the oldest kept from now on, and its client is told when it comes back.
     *
     * @param expiry how long a session may stay offline before it is removed
     */
    public static PersistentSessions open(Changelog changelog, Duration expiry) {
        SessionStore store = new SessionStore(changelog.engine().store());
        PersistentSessions sessions = new PersistentSessions(store, changelog, expiry);
        BrokerRecord broker = store.broker();
        Position floor = broker == null ? null : broker.floor();
        Position trimmed = changelog.trimmed(ALL_TABLES);
        List<Session> changed = new ArrayList<>();
        for (SessionRecord record : store.sessions()) {
            // The floor was written more often than the sessions: nothing before it was owed to anyone.
            Position base = floor == null ? record.unacknowledged() : Position.max(record.unacknowledged(), floor);
            boolean lost = !base.isAfter(trimmed) && record.filters().stream().anyMatch(f -> f.qos() > 0);
            if (lost) {
                record = new SessionRecord(record.clientId(), record.lastSeenMillis(), trimmed.next(),
                        record.lostFrom() == null ? base : record.lostFrom(), record.filters());
                base = record.unacknowledged();
            }
            Session session = new Session(record, base, !lost);
            sessions.sessions.put(record.clientId(), session);
            if (lost) {
                changed.add(session);
            }
        }
        if (broker != null && !broker.stoppedCleanly()) {
            LOG.info("MQTT broker was not stopped cleanly: restored {} persistent sessions from RocksDB",
                    sessions.sessions.size());
        }
        sessions.write(changed, List.of(), false);
        return sessions;
    }

    /**
     * Starts the background work: writing the floor, writing what changed of each session, and
     * removing the sessions offline for longer than the expiry (and from the broker, by {@code purger}).
     */
    public void start(Purger purger) {
        long sweepMillis = Math.clamp(expiry.toMillis() / 4, FLOOR_INTERVAL_MS, MAX_SWEEP_INTERVAL.toMillis());
        scheduler.scheduleWithFixedDelay(() -> run("write the MQTT sessions' floor", this::writeFloor),
                FLOOR_INTERVAL_MS, FLOOR_INTERVAL_MS, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> run("sweep the MQTT sessions", () -> sweep(purger)), sweepMillis,
                sweepMillis, TimeUnit.MILLISECONDS);
    }

    private static void run(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("cannot {}; trying again", what, e);
        }
    }

    /**
     * Where the publisher of the embedded broker resumes after a restart, its cursor being
     * {@code cursor}: before the oldest message some persistent session had not acknowledged when
     * the floor was last written, if that is earlier (and still kept).
     */
    public Position resumeFrom(Position cursor) {
        Position floor = writtenFloor();
        if (floor == null || floor.isAfter(cursor)) {
            return cursor;
        }
        Position from = Position.max(floor.previous(), changelog.trimmed(ALL_TABLES));
        return from.isAfter(cursor) ? cursor : from;
    }

    private Position writtenFloor() {
        writes.lock();
        try {
            return written == null ? null : written.floor();
        } finally {
            writes.unlock();
        }
    }

    /**
     * Takes note of the message at {@code position} on {@code topic}, which the publisher is about
     * to hand to the broker: every persistent session subscribed to it at QoS 1 or 2 is owed it.
     * Called by the publisher's thread only, in the order of the changelog (again from an earlier
     * position when the broker refused a message: then nothing is noted twice).
     */
    public void route(String topic, Position position) {
        route(topic, position, null);
    }

    /**
     * Like {@link #route}, for a message the broker took before this server started and that the
     * publisher hands again ({@link #resumeFrom}): the client ids of the sessions that may be owed
     * it, the only ones it is sent to again.
     */
    public Set<String> routeAgain(String topic, Position position) {
        Set<String> owed = new HashSet<>();
        route(topic, position, owed);
        return owed;
    }

    /** {@link #route}, adding the client id of each session the message reaches to {@code reached} unless null. */
    private void route(String topic, Position position, Set<String> reached) {
        Session.Message message = new Session.Message(position, topic);
        for (Session session : sessions.values()) {
            if (session.offer(message) && reached != null) {
                reached.add(session.clientId);
            }
        }
        Position last = handed;
        handed = last == null ? position : Position.max(last, position);
    }

    /**
     * A client connects with a persistent session: its connection reports through the attachment,
     * which is ready before the broker may have the CONNECT. A session not seen before is created;
     * one whose owed changes were trimmed while it was away is named in one warning, with the gap.
     * When the broker is still dropping an expired session of this client id, the attachment is
     * ready once it has (and the session is a new one).
     */
    public CompletableFuture<Attachment> attach(String clientId) {
        Attachment attachment = new Attachment();
        while (true) {
            CompletableFuture<Void> purge = purging.get(clientId);
            if (purge != null) {
                return purge.thenCompose(purged -> attach(clientId));
            }
            boolean[] created = {false};
            Session session = sessions.computeIfAbsent(clientId, id -> {
                created[0] = true;
                Position next = changelog.head().next();
                return new Session(new SessionRecord(id, now(), next, null, List.of()), next, false);
            });
            if (!session.attach(attachment, now())) {
                continue; // removed meanwhile (expired, or replaced by a clean session): start anew
            }
            attachment.session = session;
            Session.Gap gap = session.takeGap();
            if (gap != null) {
                LOG.warn("MQTT session '{}' lost changes that were trimmed before it acknowledged them: it had "
                                + "acknowledged everything before {} (resume token {}); changes up to the trim horizon {} "
                                + "(resume token {}) are gone, and it gets every change kept after that", clientId,
                        gap.lostFrom(), token(gap.lostFrom().previous()), gap.horizon(), token(gap.horizon()));
            }
            if (created[0] || gap != null) {
                writeSession(session);
            }
            return CompletableFuture.completedFuture(attachment);
        }
    }

    /**
     * A client connects with a clean session: whatever persistent session it had is gone (the
     * broker drops it too). Completed at once, or, when the broker is still dropping an expired
     * session of this client id, once it has: the client's connection waits for that.
     */
    public CompletableFuture<Void> forget(String clientId) {
        Session session = sessions.remove(clientId);
        if (session != null) {
            session.remove();
            write(List.of(), List.of(clientId), false);
            signal();
        }
        CompletableFuture<Void> purge = purging.get(clientId);
        return purge == null ? CompletableFuture.completedFuture(null) : purge.copy();
    }

    /**
     * Waits until no connected session is owed anything, at most {@code timeout} (for a clean stop,
     * once nothing new is handed over); true when none is.
     */
    public boolean awaitAcknowledged(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        progress.lock();
        try {
            while (sessions.values().stream().anyMatch(s -> s.connected() && s.unacknowledgedCount() > 0)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                acknowledged.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(FLOOR_INTERVAL_MS)));
            }
            return true;
        } finally {
            progress.unlock();
        }
    }

    /** The subscriptions of every persistent session, by client id (for the broker to restore them). */
    public Map<String, List<TopicFilter>> subscriptions() {
        Map<String, List<TopicFilter>> all = new LinkedHashMap<>();
        sessions.forEach((id, session) -> all.put(id, session.filters()));
        return all;
    }

    /** Persistent sessions now. */
    public int count() {
        return sessions.size();
    }

    /** Messages routed to persistent sessions that their clients have not acknowledged yet. */
    public long unacknowledged() {
        return sessions.values().stream().mapToLong(Session::unacknowledgedCount).sum();
    }

    /** Stops the background work and writes every session and the floor, as of a clean stop. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("MQTT sessions: background work did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        write(sessions.values(), List.of(), true);
    }

    /** The lowest position some persistent session may still be owed, or {@code null} when none is owed anything. */
    private Position floor() {
        Position last = handed; // read before the sessions: see route, which notes first and then moves it
        Position floor = null;
        for (Session session : sessions.values()) {
            Position owed = session.owedFrom(last);
            if (owed != null && (floor == null || floor.isAfter(owed))) {
                floor = owed;
            }
        }
        return floor;
    }

    private void sweep(Purger purger) {
        long now = now();
        List<String> expired = new ArrayList<>();
        for (Session session : sessions.values()) {
            session.touch(now);
            if (session.expire(now - expiry.toMillis(), () -> purging.put(session.clientId, new CompletableFuture<>()))) {
                sessions.remove(session.clientId, session);
                expired.add(session.clientId);
            }
        }
        try {
            write(sessions.values(), expired, false);
        } finally {
            signal();
            purge(purger, expired);
        }
    }

    /** Drops the expired sessions {@code clientIds} from the broker, each then ready for its client again. */
    private void purge(Purger purger, List<String> clientIds) {
        for (String clientId : clientIds) {
            try {
                purger.purge(clientId);
                LOG.info("MQTT session '{}' expired: offline for more than {}; removed with its subscriptions",
                        clientId, expiry);
            } catch (IOException | RuntimeException e) {
                LOG.warn("MQTT session '{}' expired, but the broker could not drop it ({}); it goes at the next start",
                        clientId, e.getMessage());
            } finally {
                purging.remove(clientId).complete(null);
            }
        }
    }

    /** Writes the floor as of now (what the background work does every {@value #FLOOR_INTERVAL_MS} ms). */
    void writeFloor() {
        write(List.of(), List.of(), false);
    }

    private void writeSession(Session session) {
        write(List.of(session), List.of(), false);
    }

    /**
     * Writes, in one batch, the broker's record with the floor as of now, the record of each of
     * {@code chosen} that changed since it was last written, and the removal of {@code removed};
     * nothing when nothing changed.
     */
    private void write(Collection<Session> chosen, List<String> removed, boolean stoppedCleanly) {
        writes.lock();
        try {
            Position last = handed;
            List<SessionRecord> records = new ArrayList<>();
            List<Session> recorded = new ArrayList<>();
            for (Session session : chosen) {
                SessionRecord changed = sessions.get(session.clientId) == session ? session.changedRecord(last) : null;
                if (changed != null) {
                    records.add(changed);
                    recorded.add(session);
                }
            }
            BrokerRecord broker = new BrokerRecord(stoppedCleanly, floor());
            if (broker.equals(written) && records.isEmpty() && removed.isEmpty()) {
                return;
            }
            store.write(broker, records, removed);
            written = broker;
            for (int i = 0; i < records.size(); i++) {
                recorded.get(i).written(records.get(i));
            }
        } finally {
            writes.unlock();
        }
    }

    private void signal() {
        progress.lock();
        try {
            acknowledged.signalAll();
        } finally {
            progress.unlock();
        }
    }

    private long now() {
        return changelog.engine().clock().millis();
    }

    private static String token(Position position) {
        return TokenCodec.encode(new ResumeToken.AllTables(position));
    }

    /**
     * How the connection of one client with a persistent session reports what it sees. Called
     * from that connection's thread.
     */
    public final class Attachment {
        private Session session;

        private Attachment() {
        }

        /** The broker granted these subscriptions; written before the client hears so. */
        public void subscribed(List<TopicFilter> granted) {
            session.subscribe(granted);
            writeSession(session);
        }

        /** The client dropped these subscriptions: it is owed nothing more through them. */
        public void unsubscribed(List<String> filters) {
            session.unsubscribe(filters);
            writeSession(session);
            signal();
        }

        /** The client acknowledged the message at {@code position}. */
        public void acknowledged(Position position) {
            if (session.acknowledge(position)) {
                signal();
            }
        }

        /**
         * The position of the oldest message on {@code topic} this session still waits for that
         * {@code skip} does not exclude, or {@code null}: for a message that does not carry its position.
         */
        public Position oldestOn(String topic, Predicate<Position> skip) {
            return session.oldestOn(topic, skip);
        }

        /** The client's connection closed. */
        public void detach() {
            session.detach(this, now());
            signal();
        }
    }
}
