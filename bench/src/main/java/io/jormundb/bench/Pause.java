package io.jormundb.bench;

import java.util.concurrent.locks.LockSupport;

/** Waiting a moment in the harness (pacing, polling a process that has no event to wait on). */
final class Pause {
    private Pause() {
    }

    static void millis(long millis) {
        LockSupport.parkNanos(millis * 1_000_000);
    }

    /** Parks until {@code System.nanoTime()} reaches {@code deadline}: the pacing of fixed-rate writers. */
    static void until(long deadline) {
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
