package io.jormundb.broker.embedded;

import java.util.concurrent.atomic.LongAdder;

/**
 * How many PUBLISH packets one client connection may still pass on to the broker now: a token
 * bucket refilled at {@code --mqtt-max-publish-rate} a second and holding at most one second's
 * worth. Owned by the connection's event loop.
 */
final class PublishRate {
    private final int perSecond;
    private final LongAdder throttles;
    private double tokens;
    private long refilledAt = System.nanoTime();

    /**
     * @param perSecond PUBLISH packets a second, at least 1
     * @param throttles counts the times a connection had to wait for its budget
     */
    PublishRate(int perSecond, LongAdder throttles) {
        this.perSecond = perSecond;
        this.throttles = throttles;
        this.tokens = perSecond;
    }

    int perSecond() {
        return perSecond;
    }

    /** Takes one packet's budget if there is one. */
    boolean tryTake() {
        long now = System.nanoTime();
        tokens = Math.min(perSecond, tokens + (now - refilledAt) * (double) perSecond / 1e9);
        refilledAt = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    /**
     * Counts a wait and says how long it lasts: until a tenth of a second's budget is back (at
     * least one packet's), so that a flooding client is read in a few runs a second, not one
     * packet at a time.
     */
    long waitNanos() {
        throttles.increment();
        double wanted = Math.max(1, perSecond / 10.0);
        return (long) Math.ceil((wanted - tokens) * 1e9 / perSecond);
    }
}
