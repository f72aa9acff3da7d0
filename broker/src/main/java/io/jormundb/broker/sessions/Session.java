package io.jormundb.broker.sessions;

import io.jormundb.broker.topic.MqttTopics;
import io.jormundb.engine.changelog.Position;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One persistent session in memory: its subscriptions and the messages routed to it at QoS 1
 * that its client has not acknowledged yet, oldest first. The broker sends a session its
 * messages in the order they were routed, and a client acknowledges them in the order it got
 * them (MQTT 3.1.1 §4.6), so acknowledgements normally pop the oldest; one that comes early (after
 * a reconnection the broker sends the queue before it resends what was in flight) waits in
 * {@link #acknowledgedAhead} until the messages before it are acknowledged too.
 *
 * <p>Every field is guarded by {@link #lock} (taken by {@link #locked}), which is never held
 * while waiting for anything.
 */
final class Session {
    /** A message handed to the broker, shared by every session it is routed to. */
    record Message(Position position, String topic) {
    }

    /** Changes from {@code lostFrom} up to {@code horizon} (the last trimmed) were lost to this session. */
    record Gap(Position lostFrom, Position horizon) {
    }

    final String clientId;
    private final ReentrantLock lock = new ReentrantLock();
    private List<TopicFilter> filters;
    private final ArrayDeque<Message> unacknowledged = new ArrayDeque<>();
    private final TreeSet<Position> acknowledgedAhead = new TreeSet<>();
    /** Every message routed to it before this position was acknowledged (before this server started, or before it subscribed). */
    private Position base;
    /** Changes from here up to {@link #base} were trimmed before it acknowledged them; {@code null}: none. */
    private Position lostFrom;
    private long lastSeenMillis;
    /** The connection its client is on, or {@code null} while it is offline. */
    private Object connection;
    /** Set once it is removed (expired or replaced by a clean session): a connection that still holds it starts anew. */
    private boolean removed;
    /** What was last written to RocksDB for it. */
    private SessionRecord written;

    /** @param stored whether {@code record} is what RocksDB holds of it */
    Session(SessionRecord record, Position base, boolean stored) {
        this.clientId = record.clientId();
        this.filters = record.filters();
        this.base = base;
        this.lostFrom = record.lostFrom();
        this.lastSeenMillis = record.lastSeenMillis();
        this.written = stored ? record : null;
    }

    private <T> T locked(Supplier<T> work) {
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    private void locked(Runnable work) {
        locked(() -> {
            work.run();
            return null;
        });
    }

    /** The highest QoS of its subscriptions that match {@code topic}, or -1 when none does. */
    private int qos(String topic) {
        int qos = -1;
        for (TopicFilter f : filters) {
            if (f.qos() > qos && MqttTopics.matches(f.filter(), topic)) {
                qos = f.qos();
            }
        }
        return qos;
    }

    /**
     * Takes note of {@code message} if it reaches this session at QoS 1 or more and is not noted
     * already; true when it reaches it (at or after {@link #base}, on a topic it subscribes to at
     * QoS 1 or more), noted now or before: a message the broker took before this server started
     * may then be owed to it (some after the base may have been acknowledged; which is not kept).
     */
    boolean offer(Message message) {
        return locked(() -> {
            if (removed || base.isAfter(message.position()) || qos(message.topic()) <= 0) {
                return false;
            }
            Message last = unacknowledged.peekLast();
            if (last == null || message.position().isAfter(last.position())) {
                unacknowledged.addLast(message);
            }
            return true;
        });
    }

    /** Its client acknowledged the message at {@code position}; true when that emptied what it owes. */
    boolean acknowledge(Position position) {
        return locked(() -> {
            Message oldest = unacknowledged.peekFirst();
            if (oldest == null || oldest.position().isAfter(position)
                    || position.isAfter(unacknowledged.peekLast().position())) {
                return false; // a duplicate, or a message it was not owed
            }
            if (!position.equals(oldest.position())) {
                acknowledgedAhead.add(position);
                return false;
            }
            unacknowledged.removeFirst();
            while (!unacknowledged.isEmpty() && acknowledgedAhead.remove(unacknowledged.peekFirst().position())) {
                unacknowledged.removeFirst();
            }
            forgetAcknowledgedBeforeOldest();
            return unacknowledged.isEmpty();
        });
    }

    /** Drops the early acknowledgements that no message still waits for. */
    private void forgetAcknowledgedBeforeOldest() {
        Message oldest = unacknowledged.peekFirst();
        if (oldest == null) {
            acknowledgedAhead.clear();
        } else {
            acknowledgedAhead.headSet(oldest.position()).clear();
        }
    }

    /**
     * The position of the oldest unacknowledged message on {@code topic} that {@code skip} does not
     * exclude, or {@code null}: for a message whose payload does not carry its position.
     */
    Position oldestOn(String topic, Predicate<Position> skip) {
        return locked(() -> unacknowledged.stream().filter(m -> m.topic().equals(topic) && !skip.test(m.position()))
                .map(Message::position).findFirst().orElse(null));
    }

    /**
     * The lowest position of a message it may still be owed: its oldest unacknowledged one, or
     * else the first one after {@code handed} (the last position handed to the broker; {@code null}
     * before the first); {@code null} when it is owed nothing and subscribes to nothing at QoS 1.
     */
    Position owedFrom(Position handed) {
        return locked(() -> {
            Message oldest = unacknowledged.peekFirst();
            if (oldest != null) {
                return oldest.position();
            }
            if (removed || filters.stream().noneMatch(f -> f.qos() > 0)) {
                return null;
            }
            return handed == null ? base : Position.max(base, handed.next());
        });
    }

    int unacknowledgedCount() {
        return locked(unacknowledged::size);
    }

    /** Adds or regrants {@code granted} (a filter subscribed to again takes its new QoS). */
    void subscribe(List<TopicFilter> granted) {
        locked(() -> {
            List<TopicFilter> next = new ArrayList<>(filters);
            for (TopicFilter g : granted) {
                next.removeIf(f -> f.filter().equals(g.filter()));
                next.add(g);
            }
            filters = List.copyOf(next);
        });
    }

    /** Removes {@code unsubscribed}, and forgets the messages no remaining subscription would get. */
    void unsubscribe(List<String> unsubscribed) {
        locked(() -> {
            List<TopicFilter> next = new ArrayList<>(filters);
            next.removeIf(f -> unsubscribed.contains(f.filter()));
            filters = List.copyOf(next);
            unacknowledged.removeIf(m -> qos(m.topic()) <= 0);
            forgetAcknowledgedBeforeOldest();
        });
    }

    List<TopicFilter> filters() {
        return locked(() -> filters);
    }

    /** Marks it connected on {@code connection}; false when it was removed meanwhile. */
    boolean attach(Object connection, long nowMillis) {
        return locked(() -> {
            if (removed) {
                return false;
            }
            this.connection = connection;
            lastSeenMillis = nowMillis;
            return true;
        });
    }

    /** Marks it offline, unless its client is on another connection by now. */
    void detach(Object connection, long nowMillis) {
        locked(() -> {
            if (this.connection == connection) {
                this.connection = null;
                lastSeenMillis = nowMillis;
            }
        });
    }

    boolean connected() {
        return locked(() -> connection != null);
    }

    /** Notes that its client is still connected at {@code nowMillis}. */
    void touch(long nowMillis) {
        locked(() -> {
            if (connection != null) {
                lastSeenMillis = nowMillis;
            }
        });
    }

    /**
     * Removes it if it has been offline since before {@code cutoffMillis}, running {@code removing}
     * first, before a connection can see it removed; true when it did.
     */
    boolean expire(long cutoffMillis, Runnable removing) {
        return locked(() -> {
            if (removed || connection != null || lastSeenMillis >= cutoffMillis) {
                return false;
            }
            removing.run();
            removed = true;
            return true;
        });
    }

    void remove() {
        locked(() -> {
            removed = true;
        });
    }

    /** The changes it lost, to tell its client about once, or {@code null}. */
    Gap takeGap() {
        return locked(() -> {
            Gap gap = lostFrom == null ? null : new Gap(lostFrom, base.previous());
            lostFrom = null;
            return gap;
        });
    }

    /** Its record as of now, with {@code handed} the last position handed to the broker. */
    SessionRecord record(Position handed) {
        return locked(() -> {
            Position owed = owedFrom(handed);
            return new SessionRecord(clientId, lastSeenMillis, owed == null ? base : owed, lostFrom, filters);
        });
    }

    /** Its record as of now if it differs from what was last written, else {@code null}. */
    SessionRecord changedRecord(Position handed) {
        return locked(() -> {
            SessionRecord now = record(handed);
            return now.equals(written) ? null : now;
        });
    }

    void written(SessionRecord record) {
        locked(() -> {
            written = record;
        });
    }
}
