package io.jormundb.engine.write;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory state of one changelog partition, rebuilt from its persisted head on start.
 * {@link #lock} guards every change of {@link #head} and makes "assign the next sequences, write
 * the batch" one step; {@code head} is volatile so that readers see it without the lock.
 */
final class PartitionState {
    final long tableId;
    final int partition;
    final ReentrantLock lock = new ReentrantLock();
    /** The last sequence and the counts of the items (and their index entries) hashing to this partition. */
    volatile PartitionHead head;

    PartitionState(long tableId, int partition, PartitionHead head) {
        this.tableId = tableId;
        this.partition = partition;
        this.head = head;
    }

    int compareTo(PartitionState other) {
        int byTable = Long.compare(tableId, other.tableId);
        return byTable != 0 ? byTable : Integer.compare(partition, other.partition);
    }
}
