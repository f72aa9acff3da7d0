package io.jormundb.streams.feed;

import io.jormundb.streams.log.Scope;

import java.util.concurrent.locks.LockSupport;

/**
 * One reader's registration with the {@link LiveTail}: its place in the tail's {@link SignalRing},
 * from which it reads the signals of its {@link Scope} in commit order. The dispatcher
 * {@linkplain #notifyPending() notifies} it of each signal in its scope (setting a flag and waking
 * its thread when it sleeps: no allocation, no lock); a reader that fell behind the ring finds
 * {@link #takeOverflow} set and catches up from RocksDB, so a slow reader never holds memory and
 * never slows the tail or the writers. Its thread sleeps without a timer: the dispatcher wakes a
 * sleeping reader whose heartbeat is due ({@link #wakeIfDue}). One reader thread; the dispatcher.
 */
final class Subscription {
    final Scope scope;
    private final SignalRing ring;
    private final LiveTail tail;
    /** The next ring sequence to read; the reader's own. */
    private long cursor;
    /** Signals were dropped before the reader read them; the reader's own. */
    private boolean overflowed;
    /** A signal in scope was appended since the reader last looked. */
    private volatile boolean pending;
    /** The reader's thread while it sleeps, else {@code null}. */
    private volatile Thread sleeper;
    /** When the reader's heartbeat is due ({@link System#nanoTime()}); {@link Long#MAX_VALUE}: none. */
    private volatile long heartbeatDue = Long.MAX_VALUE;

    Subscription(Scope scope, LiveTail tail) {
        this.scope = scope;
        this.ring = tail.ring();
        this.tail = tail;
    }

    /**
     * Whether the reader follows a change of {@code tableId}'s changelog partition
     * {@code partition}, or, with {@code partition} -1, the table's deletion (which reaches all of
     * the table's followers, whatever their partition). The dispatcher notifies by it; the reader
     * skips by it what it was not notified of.
     */
    boolean follows(long tableId, int partition) {
        if (partition == -1) {
            return scope instanceof Scope.AllTables || scope instanceof Scope.Table t && t.table().id() == tableId;
        }
        return scope.follows(tableId, partition);
    }

    /** Called once registered: the reader reads from the ring's next signal on. */
    void startAt(long sequence) {
        cursor = sequence;
    }

    /** Called by the dispatcher after it appended a signal in scope. */
    void notifyPending() {
        if (!pending) {
            pending = true;
            wake();
        }
    }

    /** Called by the dispatcher now and then: wakes a sleeping reader whose heartbeat is due. */
    void wakeIfDue(long now) {
        if (now - heartbeatDue >= 0) {
            wake();
        }
    }

    /** Wakes the reader if it sleeps (the tail stopping, or its heartbeat). */
    void wake() {
        Thread t = sleeper;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Sleeps until a signal in scope is pending, the tail stops, or {@code heartbeatNanos} passed
     * since the call; true when it returns for the heartbeat, with nothing pending.
     */
    boolean await(long heartbeatNanos) throws InterruptedException {
        long due = System.nanoTime() + heartbeatNanos;
        heartbeatDue = due;
        try {
            while (!pending && !tail.closed()) {
                if (System.nanoTime() - due >= 0) {
                    return true;
                }
                sleeper = Thread.currentThread();
                // Looked at again after publishing the thread: a notification in between is not missed.
                if (!pending && !tail.closed()) {
                    LockSupport.park(this);
                }
                sleeper = null;
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
            return false;
        } finally {
            heartbeatDue = Long.MAX_VALUE;
        }
    }

    /**
     * The next signal in scope, or {@code null} when the reader has read everything appended so
     * far; {@link Signal.Shutdown} once the tail stopped. After a {@code null} a signal may be
     * pending again: call {@link #await} before the next round.
     */
    Signal next() {
        // Cleared before the head is read: a signal appended after this sets it again.
        pending = false;
        while (cursor < ring.head()) {
            Signal signal = ring.get(cursor);
            if (signal == null) {
                // Dropped before it was read: everything up to the head is skipped, and caught up.
                overflowed = true;
                cursor = ring.head();
                break;
            }
            cursor++;
            if (wants(signal)) {
                return signal;
            }
        }
        return tail.closed() ? new Signal.Shutdown() : null;
    }

    private boolean wants(Signal signal) {
        return switch (signal) {
            case Signal.Change change -> follows(change.event().table().id(), change.event().record().partition());
            case Signal.TableDeleted deleted -> follows(deleted.table().id(), -1);
            case Signal.Shutdown ignored -> true;
        };
    }

    /** Whether signals were dropped before the reader read them since the last call; clears the flag. */
    boolean takeOverflow() {
        boolean was = overflowed;
        overflowed = false;
        return was;
    }
}
