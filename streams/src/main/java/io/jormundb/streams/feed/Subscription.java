package io.jormundb.streams.feed;

import io.jormundb.streams.log.Scope;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One reader's registration with the {@link LiveTail}: a queue of signals for the changes of its
 * {@link Scope}, in commit order, bounded in count ({@value #QUEUE_CAPACITY}) and in the bytes of
 * the changes it holds ({@value #QUEUE_BYTES}, see {@link #bytes}, so a stalled reader of 400 KB items cannot pin
 * hundreds of megabytes). When either bound is reached the tail drops the signal and sets
 * {@link #overflowed}; the reader then catches up from RocksDB, so a slow reader never holds
 * unbounded memory and never slows the tail or the writers. One producer (the tail) and one
 * consumer (the reader).
 */
final class Subscription {
    static final int QUEUE_CAPACITY = 1024;
    static final long QUEUE_BYTES = 8L << 20;

    final Scope scope;
    /** Linked, not an array: an idle reader's queue keeps no room for 1,024 signals (4 KB a feed). */
    private final BlockingQueue<Signal> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    /** The bytes of the changes in {@link #queue} ({@link #bytes}), about what they pin. */
    private final AtomicLong queuedBytes = new AtomicLong();
    private volatile boolean overflowed;

    Subscription(Scope scope) {
        this.scope = scope;
    }

    /** Called by the tail; never blocks. */
    void offer(Signal signal) {
        long bytes = bytes(signal);
        // The first change always fits, however large: the reader must be able to make progress.
        if (queuedBytes.get() > 0 && queuedBytes.get() + bytes > QUEUE_BYTES) {
            overflowed = true;
            return;
        }
        queuedBytes.addAndGet(bytes);
        if (!queue.offer(signal)) {
            queuedBytes.addAndGet(-bytes);
            overflowed = true;
        }
    }

    /** The bytes of the change records a reader holds in its queue now. */
    long queuedBytes() {
        return queuedBytes.get();
    }

    /**
     * What a queued signal holds, about: a change's DynamoDB size (keys and images, which its JSON
     * also carries) plus room for the rest of its JSON. Not the JSON itself, which may never be
     * encoded (a reader with nobody to send it to).
     */
    static long bytes(Signal signal) {
        return signal instanceof Signal.Change change ? change.event().record().sizeBytes() + 512 : 0;
    }

    private Signal taken(Signal signal) {
        if (signal != null) {
            queuedBytes.addAndGet(-bytes(signal));
        }
        return signal;
    }

    /** Called by the tail for signals that must arrive (deletion, shutdown): makes room. */
    void force(Signal signal) {
        while (!queue.offer(signal)) {
            taken(queue.poll());
            overflowed = true;
        }
    }

    Signal poll(long timeoutMillis) throws InterruptedException {
        return taken(queue.poll(timeoutMillis, TimeUnit.MILLISECONDS));
    }

    Signal pollNow() {
        return taken(queue.poll());
    }

    /** Whether nothing waits in the queue and nothing was dropped: the reader has seen all it was offered. */
    boolean idle() {
        return queue.isEmpty() && !overflowed;
    }

    /** Whether signals were dropped since the last call; clears the flag. */
    boolean takeOverflow() {
        if (!overflowed) {
            return false;
        }
        overflowed = false;
        return true;
    }
}
