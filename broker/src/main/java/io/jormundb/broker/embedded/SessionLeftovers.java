package io.jormundb.broker.embedded;

import io.moquette.broker.ISessionsRepository;
import io.moquette.broker.Server;
import io.moquette.broker.SessionRegistry;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.time.Clock;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * Removes what Moquette 0.17 keeps of a client id after its session is gone, until restart: the
 * on-disk queue of a persistent session (its segments, with every message queued while it was
 * offline, and a mapping of a page file) and the stored record of every session, clean ones
 * included. Moquette's queue pool cannot remove a queue, and its session registry does not delete a
 * record when it drops a session, so every client id that ever connected was held (measured: a
 * 4 MB mapping and the queued messages on disk per persistent client id, a record per client id).
 * A queue left behind would also be the one Moquette gives the next persistent session of that
 * client id (its pool hands out an existing queue by name).
 *
 * <p>Every {@value #LOOK_MILLIS} ms this lists the queues and records whose client id has no
 * session, or a session that does not use them, and removes each on the Moquette session loop of
 * its client id, where Moquette creates and drops that client's session: there it looks again and
 * gives a queue's segments back to the pool for reuse, and deletes a record. Moquette's internals
 * are reached by reflection, checked at start ({@link #start} fails with a message that says so on
 * another Moquette).
 */
final class SessionLeftovers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionLeftovers.class);
    private static final long LOOK_MILLIS = 10_000;

    private final SessionLoops loops;
    private final Map<String, ?> sessions;
    private final Field sessionQueue;
    private final Class<?> segmentQueueClass;
    private final Field segmentedQueue;
    private final Map<?, ?> poolQueues;
    private final Map<?, ?> poolSegments;
    private final Collection<Object> recycledSegments;
    private final Lock segmentsLock;
    private final Field queueName;
    private final Constructor<?> newQueueName;
    private final ISessionsRepository records;
    private final ScheduledExecutorService looker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("jormundb-mqtt-session-leftovers").daemon(true).factory());

    @SuppressWarnings("unchecked")
    private SessionLeftovers(Server broker) throws ReflectiveOperationException {
        loops = SessionLoops.of(LocalBroker.serverField(broker, "dispatcher"));
        Object registry = LocalBroker.serverField(broker, "sessions");
        sessions = (Map<String, ?>) LocalBroker.accessible(SessionRegistry.class.getDeclaredField("pool")).get(registry);
        records = (ISessionsRepository) LocalBroker.accessible(SessionRegistry.class
                .getDeclaredField("sessionsRepository")).get(registry);
        Class<?> session = Class.forName("io.moquette.broker.Session");
        sessionQueue = LocalBroker.accessible(session.getDeclaredField("sessionQueue"));
        segmentQueueClass = Class.forName("io.moquette.persistence.SegmentPersistentQueue");
        segmentedQueue = LocalBroker.accessible(segmentQueueClass.getDeclaredField("segmentedQueue"));
        Object repository = LocalBroker.accessible(SessionRegistry.class.getDeclaredField("queueRepository"))
                .get(registry);
        Object pool = LocalBroker.accessible(Class.forName("io.moquette.persistence.SegmentQueueRepository")
                .getDeclaredField("queuePool")).get(repository);
        Class<?> poolClass = Class.forName("io.moquette.broker.unsafequeues.QueuePool");
        poolQueues = (Map<?, ?>) LocalBroker.accessible(poolClass.getDeclaredField("queues")).get(pool);
        poolSegments = (Map<?, ?>) LocalBroker.accessible(poolClass.getDeclaredField("queueSegments")).get(pool);
        recycledSegments = (Collection<Object>) LocalBroker.accessible(poolClass.getDeclaredField("recycledSegments"))
                .get(pool);
        segmentsLock = (Lock) LocalBroker.accessible(poolClass.getDeclaredField("segmentsAllocationLock")).get(pool);
        Class<?> queueNameClass = Class.forName("io.moquette.broker.unsafequeues.QueuePool$QueueName");
        queueName = LocalBroker.accessible(queueNameClass.getDeclaredField("name"));
        newQueueName = LocalBroker.accessible(queueNameClass.getDeclaredConstructor(String.class));
    }

    /**
     * Starts looking at the sessions of {@code broker} (started, with segmented queues).
     *
     * @throws IllegalStateException when this Moquette's internals are not those of 0.17
     */
    static SessionLeftovers start(Server broker) {
        SessionLeftovers leftovers;
        try {
            leftovers = new SessionLeftovers(broker);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot remove what sessions leave behind in this Moquette (JormunDB "
                    + "needs the internals of Moquette " + Server.MOQUETTE_VERSION + "): " + e, e);
        }
        leftovers.looker.scheduleWithFixedDelay(leftovers::look, LOOK_MILLIS, LOOK_MILLIS, TimeUnit.MILLISECONDS);
        return leftovers;
    }

    /** One look: every leftover found is removed on its client's session loop. Also for tests. */
    void look() {
        try {
            Set<String> clients = new HashSet<>();
            for (Object name : poolQueues.keySet()) {
                clients.add((String) queueName.get(name));
            }
            for (ISessionsRepository.SessionData record : records.list()) {
                clients.add(record.clientId());
            }
            for (String clientId : clients) {
                if (leftover(clientId)) {
                    removeFor(clientId);
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.error("cannot remove what MQTT sessions left behind", e);
        }
    }

    /** Whether {@code clientId} has a queue or a record that its session (if any) does not use. */
    private boolean leftover(String clientId) throws ReflectiveOperationException {
        Object session = sessions.get(clientId);
        return session == null || !usesItsQueue(clientId, session);
    }

    /** Whether {@code session} queues on the pool's queue of its client id (or the pool has none). */
    private boolean usesItsQueue(String clientId, Object session) throws ReflectiveOperationException {
        Object pooled = poolQueues.get(newQueueName.newInstance(clientId));
        if (pooled == null) {
            return true;
        }
        Object queue = sessionQueue.get(session);
        return segmentQueueClass.isInstance(queue) && segmentedQueue.get(queue) == pooled;
    }

    /**
     * Removes what the session of {@code clientId} left, if it is gone, on its session loop; done
     * when the future completes (at once, false, when the loop's queue is full: the next look tries
     * again). A purged session's client waits meanwhile, so its next session starts on nothing left.
     */
    CompletableFuture<Boolean> removeFor(String clientId) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        try {
            if (!loops.runFor(clientId, "remove what its session left", () -> {
                try {
                    remove(clientId);
                    done.complete(true);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    done.completeExceptionally(e);
                }
                return null;
            })) {
                done.complete(false);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /** On the client's session loop, where its session changes: removes its leftovers if they still are. */
    private void remove(String clientId) throws ReflectiveOperationException {
        Object session = sessions.get(clientId);
        if (session == null || !usesItsQueue(clientId, session)) {
            releaseQueue(clientId);
        }
        if (session == null) {
            // Deleted by client id.
            records.delete(new ISessionsRepository.SessionData(clientId, MqttVersion.MQTT_3_1_1, 0, Clock.systemUTC()));
        }
    }

    /** Gives the segments of the pool's queue of {@code clientId} back to the pool, for other queues. */
    private void releaseQueue(String clientId) throws ReflectiveOperationException {
        Object name = newQueueName.newInstance(clientId);
        segmentsLock.lock();
        try {
            if (poolQueues.remove(name) == null) {
                return;
            }
            Collection<?> segments = (Collection<?>) poolSegments.remove(name);
            if (segments != null) {
                recycledSegments.addAll(segments);
            }
        } finally {
            segmentsLock.unlock();
        }
    }

    /** Session records Moquette holds (for tests). */
    int records() {
        return records.list().size();
    }

    @Override
    public void close() {
        looker.shutdownNow();
    }
}
