package io.jormundb.engine.write;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Locks striped by item key: writers of the same item (any table) take the same lock, writers
 * of different items almost never do. A group takes its stripes in ascending order, so two
 * groups cannot deadlock; nobody takes a stripe while holding a partition lock, so stripes and
 * partition locks cannot deadlock either. Thread-safe.
 */
final class KeyLocks {
    private static final int STRIPES = 4096;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    KeyLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** The distinct stripes of {@code itemKeys}, ascending: what {@link #lock} takes. */
    static int[] stripesOf(byte[][] itemKeys) {
        int[] out = new int[itemKeys.length];
        for (int i = 0; i < itemKeys.length; i++) {
            int h = Arrays.hashCode(itemKeys[i]);
            out[i] = (h ^ (h >>> 16)) & (STRIPES - 1);
        }
        return out.length == 1 ? out : Arrays.stream(out).sorted().distinct().toArray();
    }

    void lock(int[] ordered) {
        for (int s : ordered) {
            stripes[s].lock();
        }
    }

    void unlock(int[] ordered) {
        for (int i = ordered.length - 1; i >= 0; i--) {
            stripes[ordered[i]].unlock();
        }
    }
}
