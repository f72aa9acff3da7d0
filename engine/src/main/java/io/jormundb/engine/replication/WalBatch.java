package io.jormundb.engine.replication;

import java.util.Arrays;

/**
 * One write batch of the leader's write-ahead log, as shipped: its first sequence number, the
 * sequence number after it (where the next batch starts), and its operations on shipped column
 * families, in RocksDB's WriteBatch representation ({@code WriteBatch.data()}); a batch that
 * wrote only node-local state ships no operations ({@link #isEmpty}) but still moves the
 * follower's place. Immutable.
 */
public final class WalBatch {
    private final long sequence;
    private final long next;
    private final byte[] operations;

    public WalBatch(long sequence, long next, byte[] operations) {
        if (next <= sequence) {
            throw new IllegalArgumentException("a batch of the log holds at least one sequence number");
        }
        this.sequence = sequence;
        this.next = next;
        this.operations = operations.clone();
    }

    public long sequence() {
        return sequence;
    }

    /** The first sequence number after this batch. */
    public long next() {
        return next;
    }

    /** The operations (a copy), an empty array when the batch ships none. */
    public byte[] operations() {
        return operations.clone();
    }

    public int operationBytes() {
        return operations.length;
    }

    public boolean isEmpty() {
        return operations.length == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WalBatch b && b.sequence == sequence && b.next == next
                && Arrays.equals(b.operations, operations);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sequence) * 31 + Arrays.hashCode(operations);
    }

    @Override
    public String toString() {
        return "WalBatch[" + sequence + ".." + next + ", " + operations.length + " bytes]";
    }
}
