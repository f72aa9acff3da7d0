package io.jormundb.streams.feed;

import io.jormundb.engine.changelog.CommitVersions;
import io.jormundb.engine.changelog.Committed;
import io.jormundb.engine.changelog.Position;
import io.jormundb.streams.log.Changelog;
import io.jormundb.streams.log.Entry;
import io.jormundb.streams.log.Read;
import io.jormundb.streams.log.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The live tail of the changelog. When the commit frontier moves, its one dispatcher thread
 * takes the newly visible entries once, in commit order, wraps each change once as a {@link ChangeEvent}
 * (encoded once, when first asked for), appends it to the {@link SignalRing} every subscription
 * reads from, and notifies the subscriptions whose scope follows it (a table's deletion: all of the
 * table's). While somebody subscribes, every commit wakes it; while nobody does, commits leave it
 * asleep and it moves its place past them every {@value #IDLE_SWEEP_MILLIS} ms. It also wakes the
 * readers whose heartbeat is due, about as often: they sleep without a timer of their own.
 *
 * <p>Its rounds are paced: a round that dispatches anything comes at least {@link #ROUND_GAP_NANOS}
 * after the previous one that did. A commit after a quiet spell is dispatched at once; under a
 * steady stream of commits each round takes those of the last 2 ms together, so that the readers
 * (an SSE connection's thread, the MQTT publisher, and the broker's threads behind it) wake once
 * for several changes rather than once each: fewer thread hand-offs per change for at most 2 ms
 * more delivery latency. After a round that dispatched, the dispatcher waits out the gap before it
 * waits for a commit: under a stream the commits of the gap are there when it wakes, so it sleeps
 * once per round, not once for the first commit and again for the rest of the gap.
 *
 * <p>The entries come from the write path itself while it can: each commit hands its records over
 * ({@link Committed.Listener}) before its version is published, so the dispatcher does not read
 * back from RocksDB what was written a moment ago. Any version it was not handed (a void version,
 * a table's deletion, a batch a follower applied, a commit while nobody subscribed or while
 * {@value #MAX_HANDED} versions waited) makes it read the rest up to the frontier from the commit
 * log, as it always may: the result is the same entries in the same order.
 *
 * <p>Invariant, which feeds lean on to stay exact: every entry at or below {@link #dispatched()}
 * was appended to the ring, and notified to every subscription following it that was registered
 * before the dispatcher read the frontier it dispatched up to. A reader that subscribes, then
 * catches up from RocksDB up to the frontier it sees, therefore misses nothing between catch-up
 * and live.
 */
public final class LiveTail implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveTail.class);
    private static final int READ_BATCH = 512;
    /** Versions handed over and not yet dispatched, at most: beyond, the dispatcher reads RocksDB. */
    static final int MAX_HANDED = 4096;
    /**
     * While nobody subscribes, commits do not wake the dispatcher (a wake-up per commit cost a
     * tenth of a busy server's CPU); it moves its place up to the frontier this often instead, so
     * the first subscriber after a quiet spell finds at most this much of the log to read back.
     */
    private static final long IDLE_SWEEP_MILLIS = 100;
    /**
     * Rounds that dispatch are at least this far apart: under a steady stream of commits the
     * readers take the commits of this long per wake-up, not one each (see the class comment).
     */
    static final long ROUND_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** How often the dispatcher wakes the readers whose heartbeat is due (they sleep without a timer). */
    private static final long HEARTBEAT_SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(IDLE_SWEEP_MILLIS);

    private final Changelog changelog;
    /** The recent signals every subscription reads from. */
    private final SignalRing ring = new SignalRing();
    /** Subscriptions of every table. */
    private final Set<Subscription> allTables = ConcurrentHashMap.newKeySet();
    /** Subscriptions of one table, by table id. */
    private final Map<Long, Set<Subscription>> byTable = new ConcurrentHashMap<>();
    private final Semaphore wake = new Semaphore(0);
    private final AtomicBoolean woken = new AtomicBoolean();
    private final Thread dispatcher;
    /** Records handed over by the write path, by commit version (see the class comment). */
    private final Map<Long, List<Committed>> handed = new ConcurrentHashMap<>();
    /** The version up to which entries were dispatched; the dispatcher's own. */
    private long dispatchedVersion;
    /** Versions dispatched from what the write path handed over, and those read back from RocksDB (for metrics). */
    private final LongAdder fromMemory = new LongAdder();
    private final LongAdder fromStore = new LongAdder();
    /** Times a commit woke the dispatcher (for tests: none while nobody subscribes). */
    private final LongAdder commitWakeups = new LongAdder();
    /** Rounds that dispatched at least one entry, and those whose commits waited for the gap (for tests). */
    private final LongAdder dispatchRounds = new LongAdder();
    private final LongAdder heldRounds = new LongAdder();
    /** Times the dispatcher went to sleep: for the gap, or for a commit (for tests). */
    private final LongAdder sleeps = new LongAdder();
    /** Whether the dispatcher sleeps until a commit wakes it (for tests). */
    private volatile boolean awaitingCommit;
    /** When the last round that dispatched anything read the frontier ({@link System#nanoTime()}). */
    private volatile long lastDispatchNanos = System.nanoTime() - ROUND_GAP_NANOS;
    private volatile Position dispatched;
    private volatile boolean closed;
    /** When the dispatcher last woke the readers whose heartbeat was due; its own. */
    private long heartbeatSweep = System.nanoTime();

    public LiveTail(Changelog changelog) {
        this.changelog = changelog;
        CommitVersions.Frontier frontier = changelog.engine().writePath().versions().frontier();
        this.dispatched = frontier.lastEntry();
        this.dispatchedVersion = frontier.version();
        this.dispatcher = Thread.ofPlatform().name("jormundb-live-tail").daemon(true).unstarted(this::dispatch);
    }

    public void start() {
        changelog.engine().writePath().onCommitted(this::committed);
        changelog.engine().writePath().versions().onAdvance(this::frontierMoved);
        dispatcher.start();
    }

    /** Runs on a writer's thread, under its locks: keeps the records for the dispatcher, or drops them. */
    private void committed(long version, List<Committed> records) {
        if (subscribed() && handed.size() < MAX_HANDED) {
            handed.put(version, records);
        }
    }

    /** Commit versions dispatched from the records the write path handed over. */
    public long versionsFromMemory() {
        return fromMemory.sum();
    }

    /** Times the dispatcher read entries back from RocksDB (a version it was not handed). */
    public long readsFromStore() {
        return fromStore.sum();
    }

    /**
     * Runs on a writer's thread after its version is published: wakes the dispatcher when somebody
     * subscribes. A subscription registered after this check reads a frontier that already holds
     * this version, so it is owed nothing of it.
     */
    private void frontierMoved() {
        if (subscribed()) {
            commitWakeups.increment();
            wakeDispatcher();
        }
    }

    private void wakeDispatcher() {
        if (woken.compareAndSet(false, true)) {
            wake.release();
        }
    }

    private boolean subscribed() {
        return !allTables.isEmpty() || !byTable.isEmpty();
    }

    /** Times a commit woke the dispatcher. */
    long commitWakeups() {
        return commitWakeups.sum();
    }

    /** Rounds that dispatched at least one entry. */
    long dispatchRounds() {
        return dispatchRounds.sum();
    }

    /** Rounds whose commits came while the dispatcher waited out {@link #ROUND_GAP_NANOS}. */
    long heldRounds() {
        return heldRounds.sum();
    }

    /** Whether the dispatcher sleeps until a commit wakes it, past any gap. */
    boolean awaitingCommit() {
        return awaitingCommit;
    }

    /** Times the dispatcher went to sleep, for the gap or for a commit. */
    long sleeps() {
        return sleeps.sum();
    }

    /** How long ago the last round that dispatched anything read the frontier. */
    long quietNanos() {
        return System.nanoTime() - lastDispatchNanos;
    }

    /** Every entry up to here was offered to the subscriptions that follow it (see the class invariant). */
    Position dispatched() {
        return dispatched;
    }

    Subscription subscribe(Scope scope) {
        Subscription s = new Subscription(scope, this);
        switch (scope) {
            case Scope.AllTables ignored -> allTables.add(s);
            case Scope.Table t -> byTable.computeIfAbsent(t.table().id(), id -> ConcurrentHashMap.newKeySet()).add(s);
        }
        // Registered first: every signal appended from here on is notified to it, and whatever was
        // dispatched before is at or below the frontier the reader catches up to.
        s.startAt(ring.head());
        // The dispatcher may sleep through a quiet spell's commits: it moves past them now.
        wakeDispatcher();
        return s;
    }

    void unsubscribe(Subscription s) {
        switch (s.scope) {
            case Scope.AllTables ignored -> allTables.remove(s);
            case Scope.Table t -> byTable.computeIfPresent(t.table().id(), (id, set) -> {
                set.remove(s);
                return set.isEmpty() ? null : set;
            });
        }
    }

    /** Subscriptions currently attached (for metrics). */
    public int subscriberCount() {
        int n = allTables.size();
        for (Set<Subscription> set : byTable.values()) {
            n += set.size();
        }
        return n;
    }

    /** Whether the tail stopped: its readers end once they read what it appended. */
    boolean closed() {
        return closed;
    }

    /** The dispatcher's thread (for tests). */
    Thread dispatcherThread() {
        return dispatcher;
    }

    /** The signals the readers share. */
    SignalRing ring() {
        return ring;
    }

    private void forEachSubscription(Consumer<Subscription> action) {
        allTables.forEach(action);
        byTable.values().forEach(set -> set.forEach(action));
    }

    private boolean followed(long tableId) {
        return !allTables.isEmpty() || byTable.containsKey(tableId);
    }

    private void dispatch() {
        while (!closed) {
            if (!holdForTheGap()) {
                return;
            }
            try {
                if (!wake.tryAcquire()) {
                    sleeps.increment();
                    awaitingCommit = true;
                    wake.tryAcquire(IDLE_SWEEP_MILLIS, TimeUnit.MILLISECONDS);
                    awaitingCommit = false;
                }
            } catch (InterruptedException e) {
                return;
            }
            woken.set(false);
            try {
                long roundStart = System.nanoTime();
                if (dispatchUpTo(changelog.engine().writePath().versions().frontier())) {
                    dispatchRounds.increment();
                    lastDispatchNanos = roundStart;
                }
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.error("live tail failed to dispatch; readers will catch up from the changelog", e);
                }
            }
            long now = System.nanoTime();
            if (now - heartbeatSweep >= HEARTBEAT_SWEEP_NANOS) {
                heartbeatSweep = now;
                forEachSubscription(s -> s.wakeIfDue(now));
            }
        }
    }

    /**
     * Waits out the rest of {@link #ROUND_GAP_NANOS} since the last round that dispatched: the
     * commits of that time are dispatched together. The first commit meanwhile leaves a permit
     * that the wait for a commit then takes without sleeping, and the others find the dispatcher
     * woken: none of them wakes a thread. False when the tail stops meanwhile.
     */
    private boolean holdForTheGap() {
        long due = lastDispatchNanos + ROUND_GAP_NANOS;
        if (due - System.nanoTime() > 0) {
            sleeps.increment();
            for (long wait = due - System.nanoTime(); wait > 0 && !closed; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(this, wait);
            }
            if (woken.get()) {
                heldRounds.increment();
            }
        }
        return !closed;
    }

    /** Dispatches what the frontier passed; true when it appended anything to the ring. */
    private boolean dispatchUpTo(CommitVersions.Frontier frontier) {
        Position upTo = frontier.lastEntry();
        if (!subscribed()) {
            skipTo(frontier);
            return false;
        }
        long headBefore = ring.head();
        // Straight from the write path while every next version was handed over...
        while (dispatchedVersion < frontier.version()) {
            List<Committed> records = handed.remove(dispatchedVersion + 1);
            if (records == null) {
                break;
            }
            for (Committed c : records) {
                offer(new Entry.Change(c.table(), c.record()));
                dispatched = c.record().position();
            }
            dispatchedVersion++;
            fromMemory.increment();
        }
        if (dispatchedVersion == frontier.version()) {
            return ring.head() != headBefore;
        }
        // ...and the rest from the commit log.
        fromStore.increment();
        while (upTo.isAfter(dispatched)) {
            Read.Entries read = changelog.readLog(dispatched, upTo, READ_BATCH, this::followed);
            for (Entry entry : read.entries()) {
                offer(entry);
                dispatched = entry.position();
            }
            dispatched = read.reached();
        }
        skipTo(frontier);
        return ring.head() != headBefore;
    }

    /** Everything up to {@code frontier} was dispatched: what was handed over up to it is done with. */
    private void skipTo(CommitVersions.Frontier frontier) {
        dispatched = Position.max(dispatched, frontier.lastEntry());
        dispatchedVersion = frontier.version();
        if (!handed.isEmpty()) {
            handed.keySet().removeIf(v -> v <= frontier.version());
        }
    }

    /** Appends {@code entry} to the ring once, if anybody follows it, and notifies its followers. */
    private void offer(Entry entry) {
        long tableId = entry.table().id();
        Set<Subscription> ofTable = byTable.getOrDefault(tableId, Set.of());
        Signal signal = null;
        int partition = entry instanceof Entry.Change c ? c.record().partition() : -1;
        for (Set<Subscription> set : List.of(ofTable, allTables)) {
            for (Subscription s : set) {
                if (s.follows(tableId, partition)) {
                    if (signal == null) {
                        signal = switch (entry) {
                            case Entry.Change c -> new Signal.Change(new ChangeEvent(c.table(), c.record()));
                            case Entry.TableDeleted d -> new Signal.TableDeleted(d.table(), d.position());
                        };
                        ring.append(signal);
                    }
                    s.notifyPending();
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        dispatcher.interrupt();
        try {
            dispatcher.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        forEachSubscription(Subscription::wake);
    }
}
