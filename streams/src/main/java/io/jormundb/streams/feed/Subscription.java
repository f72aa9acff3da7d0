package io.jormundb.streams.feed;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One reader's registration with the {@link LiveTail}: a bounded queue of signals. When the
 * queue is full the tail drops the signal and sets {@link #overflowed}; the reader then
 * empties its queue and catches up from RocksDB, so a slow reader never holds unbounded memory
 * and never slows the tail or the writers.
 *
 * @param tableId   the table followed, or {@code -1} for every table
 * @param partition the one changelog partition followed, or {@code -1} for all
 */
final class Subscription {
    static final int QUEUE_CAPACITY = 1024;

    final long tableId;
    final int partition;
    private final BlockingQueue<Signal> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private volatile boolean overflowed;

    Subscription(long tableId, int partition) {
        this.tableId = tableId;
        this.partition = partition;
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

    /** Whether signals were dropped since the last call; clears the flag. */
    boolean takeOverflow() {
        if (!overflowed) {
            return false;
        }
        overflowed = false;
        return true;
    }

    boolean follows(long table, int p) {
        return (tableId == -1 || tableId == table) && (partition == -1 || partition == p);
    }
}
