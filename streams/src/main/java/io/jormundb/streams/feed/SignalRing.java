package io.jormundb.streams.feed;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The live tail's recent signals, shared by every {@link Subscription}: the dispatcher appends
 * each signal once, in commit order, and each reader reads them from its own place. It holds the
 * last {@value #CAPACITY} signals and at most {@value #MAX_BYTES} bytes of change records
 * ({@link #bytes}), whatever the number of readers and however slow they are; a reader that
 * falls further behind finds its next signal gone and catches up from RocksDB. Nothing is
 * allocated or stored per reader per signal, so ten thousand readers cost the dispatcher and the
 * garbage collector no more per change than one (a queue per reader did: a node per reader per
 * change, each an old-to-young reference for G1 to refine). One writer, any number of readers.
 */
final class SignalRing {
    static final int CAPACITY = 4096;
    static final long MAX_BYTES = 16L << 20;

    /** A signal at its sequence number. */
    private record Slot(long sequence, Signal signal, long bytes) {
    }

    private final AtomicReferenceArray<Slot> slots = new AtomicReferenceArray<>(CAPACITY);
    /** The sequence the next signal gets: every signal before it is readable (or dropped already). */
    private volatile long head;
    /** The oldest sequence still held. */
    private volatile long oldest;
    /** The bytes held now; written by the writer only. */
    private volatile long heldBytes;

    /** The sequence of the next signal. */
    long head() {
        return head;
    }

    /** Appends {@code signal}, dropping the oldest signals for room; the writer only. */
    void append(Signal signal) {
        long sequence = head;
        long bytes = bytes(signal);
        long first = oldest;
        // The newest signal always fits, however large: a reader must be able to make progress.
        while (first < sequence && (sequence - first >= CAPACITY || heldBytes + bytes > MAX_BYTES)) {
            int at = index(first);
            heldBytes -= slots.get(at).bytes();
            slots.set(at, null);
            first++;
        }
        oldest = first;
        slots.set(index(sequence), new Slot(sequence, signal, bytes));
        heldBytes += bytes;
        head = sequence + 1;
    }

    /**
     * The signal at {@code sequence}, which must be before {@link #head()}; {@code null} when it
     * was dropped already (the reader fell behind).
     */
    Signal get(long sequence) {
        Slot slot = slots.get(index(sequence));
        return slot != null && slot.sequence() == sequence ? slot.signal() : null;
    }

    /** The bytes of change records held now. */
    long heldBytes() {
        return heldBytes;
    }

    private static int index(long sequence) {
        return (int) (sequence & (CAPACITY - 1));
    }

    /**
     * What a signal holds, about: a change's DynamoDB size (keys and images, which its JSON also
     * carries) plus room for the rest of its JSON. Not the JSON itself, which may never be encoded
     * (a reader with nobody to send it to).
     */
    static long bytes(Signal signal) {
        return signal instanceof Signal.Change change ? change.event().record().sizeBytes() + 512 : 0;
    }
}
