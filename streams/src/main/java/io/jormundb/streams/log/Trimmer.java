package io.jormundb.streams.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Trims the changelog to its retention window in the background, never blocking writers: every
 * interval it removes the records older than {@code retention}, oldest first.
 */
public final class Trimmer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Trimmer.class);

    private final Changelog changelog;
    private final Duration retention;
    private final ScheduledExecutorService scheduler;

    public Trimmer(Changelog changelog, Duration retention) {
        this.changelog = changelog;
        this.retention = retention;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("jormundb-trimmer").daemon(true).factory());
    }

    /** Trims every {@code interval}: a tenth of the retention, at least every second, at most every minute. */
    public void start() {
        long millis = Math.clamp(retention.toMillis() / 10, 1000, 60_000);
        scheduler.scheduleWithFixedDelay(this::trimNow, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** One pass: removes what is older than the retention window. */
    public void trimNow() {
        long cutoff = changelog.engine().clock().millis() - retention.toMillis();
        try {
            long removed = changelog.trim(cutoff);
            if (removed > 0) {
                LOG.debug("trimmed {} change records older than the retention of {}", removed, retention);
            }
        } catch (RuntimeException e) {
            LOG.warn("trimming the changelog failed; the next pass tries again", e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
