package io.jormundb.engine.write;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory head of one changelog partition, rebuilt from its persisted head on start.
 * {@link #lock} guards every field's change and makes "assign the next sequences, write the
 * batch" one step; {@code lastSequence} is volatile so that readers see the head without it.
 */
final class PartitionState {
    final long tableId;
    final int partition;
    final ReentrantLock lock = new ReentrantLock();
    volatile long lastSequence;
    /** Items whose partition key hashes to this partition, and their total size (DescribeTable). */
    volatile long itemCount;
    volatile long sizeBytes;

    PartitionState(long tableId, int partition, long lastSequence, long itemCount, long sizeBytes) {
        this.tableId = tableId;
        this.partition = partition;
        this.lastSequence = lastSequence;
        this.itemCount = itemCount;
        this.sizeBytes = sizeBytes;
    }

    int compareTo(PartitionState other) {
        int byTable = Long.compare(tableId, other.tableId);
        return byTable != 0 ? byTable : Integer.compare(partition, other.partition);
    }
}
