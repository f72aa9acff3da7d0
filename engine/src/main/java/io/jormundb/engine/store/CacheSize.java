package io.jormundb.engine.store;

import java.lang.management.ManagementFactory;

/**
 * The bounds and the default of the memory budget RocksDB's block cache and memtables share (see
 * {@link StoreOptions}). Apart from the store, so that a configuration parser can ask before
 * logging is set up: loading {@link Store} creates its logger.
 */
public final class CacheSize {
    /** The smallest budget: below it memtables get too small to hold a batch of large items. */
    public static final long MIN_BYTES = 16L << 20;
    /** The largest default budget. */
    private static final long MAX_DEFAULT_BYTES = 1L << 30;

    private CacheSize() {
    }

    /**
     * The default budget: an eighth of the machine's memory, at most 1 GiB. The JVM's default heap
     * takes a quarter, so together they stay well below the whole; an eighth of a small machine
     * is still enough to serve, and beyond 1 GiB a bigger cache pays only for data sets that
     * outgrow it, which their operator sizes anyway.
     */
    public static long defaultBytes() {
        return Math.clamp(machineBytes() / 8, MIN_BYTES, MAX_DEFAULT_BYTES);
    }

    /** The machine's memory, or the container's limit where the JVM sees one: more is never a budget. */
    public static long machineBytes() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
    }
}
