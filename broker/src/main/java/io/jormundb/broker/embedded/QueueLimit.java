package io.jormundb.broker.embedded;

import io.moquette.broker.Server;
import io.moquette.broker.SessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.util.HashSet;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * Bounds what Moquette keeps for a connected clean session whose client does not keep up. Moquette
 * sends a QoS 1 subscriber at most 10 messages it has not acknowledged and queues the rest in the
 * session, in memory and without a bound: a client that stops reading, or reads slower than the
 * changes come, would pin every change published after (its item images) for as long as it stays
 * connected. Once a second this looks at every clean session's queue; a queue over
 * {@value #MAX_MESSAGES} messages or {@link #MAX_BYTES} bytes of payload at two looks in a row has
 * its client disconnected (a clean session ends with its connection, and its queue with it), and
 * the server logs why. Persistent sessions queue on disk and owe nothing lost: they are not looked at.
 *
 * <p>Moquette 0.17 shows neither its sessions nor their queues: they are read (never changed) by
 * reflection, checked at start ({@link #start} fails with a message that says so on another Moquette).
 */
final class QueueLimit implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueueLimit.class);
    /** Messages a clean session's queue may hold. */
    static final int MAX_MESSAGES = 100_000;
    /** Bytes of payload a clean session's queue may hold. */
    static final long MAX_BYTES = 32L << 20;
    private static final long LOOK_MILLIS = 1000;

    private final Map<String, ?> sessions;
    private final Field sessionQueue;
    private final Field memoryQueue;
    private final Class<?> memoryQueueClass;
    /** Disconnects the client of a session id, saying why. */
    private final BiConsumer<String, String> disconnect;
    private final ScheduledExecutorService looker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("jormundb-mqtt-queue-limit").daemon(true).factory());
    private final LongAdder disconnects = new LongAdder();
    /** Sessions over the limit at the last look; the looker's own. */
    private Set<String> over = new HashSet<>();

    private QueueLimit(Map<String, ?> sessions, Field sessionQueue, Class<?> memoryQueueClass, Field memoryQueue,
                       BiConsumer<String, String> disconnect) {
        this.sessions = sessions;
        this.sessionQueue = sessionQueue;
        this.memoryQueueClass = memoryQueueClass;
        this.memoryQueue = memoryQueue;
        this.disconnect = disconnect;
    }

    /**
     * Starts looking at the clean sessions of {@code broker} (started) once a second.
     *
     * @param disconnect disconnects the client of a Moquette client id, with the reason to log
     * @throws IllegalStateException when this Moquette's internals are not those of 0.17
     */
    @SuppressWarnings("unchecked") // SessionRegistry.pool: a ConcurrentMap<String, Session>
    static QueueLimit start(Server broker, BiConsumer<String, String> disconnect) {
        QueueLimit limit;
        try {
            Map<String, ?> sessions = (Map<String, ?>) LocalBroker.accessible(SessionRegistry.class
                    .getDeclaredField("pool")).get(LocalBroker.serverField(broker, "sessions"));
            Field sessionQueue = LocalBroker.accessible(Class.forName("io.moquette.broker.Session")
                    .getDeclaredField("sessionQueue"));
            Class<?> memoryQueueClass = Class.forName("io.moquette.broker.InMemoryQueue");
            Field memoryQueue = LocalBroker.accessible(memoryQueueClass.getDeclaredField("queue"));
            limit = new QueueLimit(sessions, sessionQueue, memoryQueueClass, memoryQueue, disconnect);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot bound the session queues of this Moquette (JormunDB needs the "
                    + "internals of Moquette " + Server.MOQUETTE_VERSION + "): " + e, e);
        }
        limit.looker.scheduleWithFixedDelay(limit::look, LOOK_MILLIS, LOOK_MILLIS, TimeUnit.MILLISECONDS);
        return limit;
    }

    private void look() {
        Set<String> now = new HashSet<>();
        try {
            for (Map.Entry<String, ?> session : sessions.entrySet()) {
                Object queue = sessionQueue.get(session.getValue());
                if (!memoryQueueClass.isInstance(queue)) {
                    continue; // a persistent session's, on disk
                }
                String overBy = overBy((Queue<?>) memoryQueue.get(queue));
                if (overBy == null) {
                    continue;
                }
                now.add(session.getKey());
                if (over.contains(session.getKey())) {
                    disconnects.increment();
                    disconnect.accept(session.getKey(), "did not keep up: " + overBy + " waited for it, more than "
                            + "a clean session may keep (" + MAX_MESSAGES + " messages, " + (MAX_BYTES >> 20) + " MB)");
                }
            }
        } catch (IllegalAccessException | RuntimeException e) {
            LOG.error("cannot look at the MQTT session queues", e);
        }
        over = now;
    }

    /** Clients disconnected for their queue so far. */
    long disconnects() {
        return disconnects.sum();
    }

    /** How far {@code queue} is over the limit ("N messages" or "M MB"), or {@code null} when it is not. */
    private static String overBy(Queue<?> queue) {
        long messages = 0;
        long bytes = 0;
        for (Object message : queue) {
            if (++messages > MAX_MESSAGES) {
                return "more than " + MAX_MESSAGES + " messages";
            }
            if (message instanceof SessionRegistry.PublishedMessage published) {
                bytes += published.getPayload().readableBytes();
                if (bytes > MAX_BYTES) {
                    return "more than " + (MAX_BYTES >> 20) + " MB in " + messages + " messages";
                }
            }
        }
        return null;
    }

    @Override
    public void close() {
        looker.shutdownNow();
    }
}
