package io.jormundb.engine.changelog;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The one server-wide, gapless commit version counter and its published frontier (DESIGN: "The
 * changelog", "Visibility"), after the Disruptor's multi-producer sequencer. Gapless within a
 * leader epoch: a node that becomes the leader of a log another node led (a promoted follower, a
 * server started on a checkpoint copy) goes on above its {@linkplain LeaderEpoch leader epoch's}
 * floor, so that no position names two different changes on two copies of one log.
 *
 * <p>A writer {@link #take}s the next version once its write is sure to append records, writes
 * its batch, then {@link #publish}es the version with the number of log entries it wrote (0 when
 * the write failed: the version is void). Writers on different partitions commit in parallel, so
 * versions complete out of order; the {@link #frontier} is the highest version V such that every
 * version up to V is published, together with the position of the last entry at or below it.
 * Readers read only up to the frontier, so they see versions in order and never wait for a
 * version that will not come.
 *
 * <p>Invariant: {@code frontier().version() <= taken}, and every entry at or below
 * {@code frontier().lastEntry()} is durable in RocksDB. Thread-safe and lock-free: a publisher
 * marks its slot in a ring and then moves the frontier over every contiguous published slot with
 * CAS; whichever publisher moves it tells the listeners (which must not block).
 */
public final class CommitVersions {
    /** The frontier: every version up to {@code version} is published; {@code lastEntry} is the last log entry. */
    public record Frontier(long version, Position lastEntry) {
    }

    private static final int RING_BITS = 16;
    private static final int RING_SIZE = 1 << RING_BITS;
    private static final int RING_MASK = RING_SIZE - 1;

    /** The last version taken. */
    private final AtomicLong taken;
    /** Slot v & mask holds v once v is published, and its entry count beside it. */
    private final AtomicLongArray published = new AtomicLongArray(RING_SIZE);
    private final AtomicIntegerArray entries = new AtomicIntegerArray(RING_SIZE);
    private final AtomicReference<Frontier> frontier;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param lastVersion the highest version ever given out that RocksDB records (at start)
     * @param lastEntry   the position of the last entry it holds, or of the last one trimmed
     */
    public CommitVersions(long lastVersion, Position lastEntry) {
        this.taken = new AtomicLong(lastVersion);
        this.frontier = new AtomicReference<>(new Frontier(lastVersion, lastEntry));
    }

    /** Tells {@code listener} whenever the frontier moves; it runs on a writer's thread and must not block. */
    public void onAdvance(Runnable listener) {
        listeners.add(listener);
    }

    public Frontier frontier() {
        return frontier.get();
    }

    /**
     * The next version. The caller must {@link #publish} it exactly once, written or void. Waits
     * only if a whole ring of versions is taken and not yet published (65,536 writers mid-write).
     */
    public long take() {
        long version = taken.incrementAndGet();
        while (version - frontier.get().version() > RING_SIZE) {
            LockSupport.parkNanos(10_000);
        }
        return version;
    }

    /**
     * Publishes {@code version}: its batch is durable with {@code entryCount} log entries at
     * indexes 0 … entryCount − 1, or (with 0) it wrote nothing.
     */
    public void publish(long version, int entryCount) {
        int slot = (int) (version & RING_MASK);
        entries.set(slot, entryCount);
        published.set(slot, version);
        advance();
    }

    /**
     * On a follower, whose versions are taken and published by its leader: moves the frontier to
     * the leader's {@code frontier}, once the batches it covers are applied, and tells the
     * listeners. A frontier at or below the current one changes nothing.
     */
    public void follow(Frontier leaderFrontier) {
        Frontier current = frontier.get();
        if (leaderFrontier.version() <= current.version() || !frontier.compareAndSet(current, leaderFrontier)) {
            return;
        }
        taken.accumulateAndGet(leaderFrontier.version(), Math::max);
        for (Runnable listener : listeners) {
            listener.run();
        }
    }

    private void advance() {
        boolean moved = false;
        while (true) {
            Frontier current = frontier.get();
            long next = current.version() + 1;
            int slot = (int) (next & RING_MASK);
            if (published.get(slot) != next) {
                break;
            }
            int count = entries.get(slot);
            Frontier advanced = new Frontier(next, count > 0 ? new Position(next, count - 1) : current.lastEntry());
            if (frontier.compareAndSet(current, advanced)) {
                moved = true;
            }
        }
        if (moved) {
            for (Runnable listener : listeners) {
                listener.run();
            }
        }
    }
}
