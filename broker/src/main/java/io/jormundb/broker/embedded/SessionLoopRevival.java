package io.jormundb.broker.embedded;

import io.moquette.broker.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Constructor;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts a Moquette session event loop again when one has died. Moquette 0.17 runs every session
 * on one of a few event loop threads (one per core), and a loop's thread exits on the first
 * exception one of its commands throws ({@code SessionEventLoop.executeTask} rethrows it): every
 * client whose id maps to that loop then gets no message, a new one no CONNACK, and the MQTT
 * publisher waits for it for good. One such exception was a client's PUBACK after its DISCONNECT
 * (the guard now drops those); this is the net under whatever else may throw there. Twice a second
 * it looks at the loops and gives a dead one's queue, with its commands waiting there, to a new
 * thread of the same name and exception handler (so Moquette's routing, which compares threads
 * by identity, runs that loop's commands on it inline as before), and logs what happened.
 * Moquette's internals are reached by reflection, checked at start like {@link LocalBroker}'s.
 */
final class SessionLoopRevival implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionLoopRevival.class);
    private static final long LOOK_MILLIS = 500;

    private final Thread[] loops;
    private final BlockingQueue<?>[] queues;
    private final Constructor<?> newLoop;
    private final ScheduledExecutorService looker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("jormundb-mqtt-loop-revival").daemon(true).factory());

    private SessionLoopRevival(Thread[] loops, BlockingQueue<?>[] queues, Constructor<?> newLoop) {
        this.loops = loops;
        this.queues = queues;
        this.newLoop = newLoop;
    }

    /**
     * Starts looking at the session event loops of {@code broker} (started).
     *
     * @throws IllegalStateException when this Moquette's internals are not those of 0.17
     */
    static SessionLoopRevival start(Server broker) {
        SessionLoopRevival revival;
        try {
            Object postOffice = LocalBroker.serverField(broker, "dispatcher");
            Object group = LocalBroker.accessible(postOffice.getClass().getDeclaredField("sessionLoops"))
                    .get(postOffice);
            Thread[] loops = (Thread[]) LocalBroker.accessible(group.getClass().getDeclaredField("sessionExecutors"))
                    .get(group);
            BlockingQueue<?>[] queues = (BlockingQueue<?>[]) LocalBroker.accessible(group.getClass()
                    .getDeclaredField("sessionQueues")).get(group);
            Constructor<?> newLoop = LocalBroker.accessible(Class.forName("io.moquette.broker.SessionEventLoop")
                    .getDeclaredConstructor(BlockingQueue.class));
            if (loops.length != queues.length) {
                throw new IllegalStateException(loops.length + " session loops for " + queues.length + " queues");
            }
            revival = new SessionLoopRevival(loops, queues, newLoop);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot watch the session loops of this Moquette (JormunDB needs the "
                    + "internals of Moquette " + Server.MOQUETTE_VERSION + "): " + e, e);
        }
        revival.looker.scheduleWithFixedDelay(revival::look, LOOK_MILLIS, LOOK_MILLIS, TimeUnit.MILLISECONDS);
        return revival;
    }

    private void look() {
        for (int i = 0; i < loops.length; i++) {
            Thread dead = loops[i];
            if (dead.isAlive()) {
                continue;
            }
            try {
                Thread loop = (Thread) newLoop.newInstance(queues[i]);
                loop.setName(dead.getName());
                loop.setUncaughtExceptionHandler(dead.getUncaughtExceptionHandler());
                loop.start();
                loops[i] = loop;
                LOG.error("the embedded MQTT broker's session loop '{}' died of an error in one of its commands "
                        + "(logged above by Moquette); started it again with the {} commands waiting for it",
                        dead.getName(), queues[i].size());
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.error("cannot start the MQTT broker's session loop '{}' again", dead.getName(), e);
            }
        }
    }

    @Override
    public void close() {
        looker.shutdownNow();
    }
}
