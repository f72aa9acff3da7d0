package io.jormundb.streams.feed;

import io.jormundb.streams.log.Scope;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One reader's registration with the {@link LiveTail}: a bounded queue of signals for the
 * changes of its {@link Scope}, in commit order. When the queue is full the tail drops the
 * signal and sets {@link #overflowed}; the reader then catches up from RocksDB, so a slow reader
 * never holds unbounded memory and never slows the tail or the writers.
 */
final class Subscription {
    static final int QUEUE_CAPACITY = 1024;

    final Scope scope;
    private final BlockingQueue<Signal> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private volatile boolean overflowed;

    Subscription(Scope scope) {
        this.scope = scope;
    }

    /** Called by the tail; never blocks. */
    void offer(Signal signal) {
        if (!queue.offer(signal)) {
            overflowed = true;
        }
    }

    /** Called by the tail for signals that must arrive (deletion, shutdown): makes room. */
    void force(Signal signal) {
        while (!queue.offer(signal)) {
            queue.poll();
            overflowed = true;
        }
    }

    Signal poll(long timeoutMillis) throws InterruptedException {
        return queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    Signal pollNow() {
        return queue.poll();
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
