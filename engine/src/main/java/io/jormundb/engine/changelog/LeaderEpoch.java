package io.jormundb.engine.changelog;

import io.jormundb.engine.codec.ByteReader;
import io.jormundb.engine.codec.ByteWriter;
import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.store.Store;

import java.time.Instant;

/**
 * A log's current leader epoch (DESIGN: "The changelog"; docs/feeds.md, "Positions and order"):
 * a node that becomes the leader of a log another node led (a promoted follower, a server started
 * on a checkpoint's copy) takes its commit versions above {@code floor}, which lies above every
 * version the log's former leader may have taken, including those it acknowledged and never
 * shipped to the node that leads now. {@code lastBefore} is the last version this log holds from
 * before the jump. Kept under {@link Keys#leaderEpoch()} (shipped: followers know it too) as
 * {@code varlong(floor) varlong(lastBefore)}.
 *
 * <p>The floor is taken from the clock: the microsecond the epoch starts, counted from 1970
 * ({@value #VERSIONS_PER_SECOND} versions a second: {@code 1,796,000,000,123,456} for a start at
 * 1,796,000,000.123456 s), and at least a second's worth above the log's last version. So two
 * nodes that each start an epoch from one log — a promoted follower and, later, a backup restored
 * from before the promotion — take floors as far apart as their starts in microseconds, further
 * apart than any leader writes in that time (a version a microsecond); only two starts in one
 * microsecond (or a clock set back) can take one floor. Versions stay below 2^53 (until the year
 * 2255), so JavaScript reads them exactly.
 */
public record LeaderEpoch(long floor, long lastBefore) {
    /** A log that never changed leader: its versions start at 1. */
    public static final LeaderEpoch NONE = new LeaderEpoch(0, 0);
    /** Versions one second of an epoch's start moves its floor by (more than a leader writes in a second). */
    public static final long VERSIONS_PER_SECOND = 1_000_000L;
    private static final long NANOS_PER_VERSION = 1_000_000_000L / VERSIONS_PER_SECOND;

    /** The epoch a node starts at {@code now} as the leader of a log whose last version is {@code lastVersion}. */
    public static LeaderEpoch after(long lastVersion, Instant now) {
        long fromClock = Math.max(0, Math.addExact(Math.multiplyExact(now.getEpochSecond(), VERSIONS_PER_SECOND),
                now.getNano() / NANOS_PER_VERSION));
        return new LeaderEpoch(Math.max(Math.addExact(lastVersion, VERSIONS_PER_SECOND), fromClock), lastVersion);
    }

    /** The epoch recorded in {@code store} ({@link #NONE} when the log never changed leader). */
    public static LeaderEpoch of(Store store) {
        byte[] value = store.get(Keys.leaderEpoch());
        if (value == null) {
            return NONE;
        }
        ByteReader in = new ByteReader(value);
        return new LeaderEpoch(in.readVarLong(), in.readVarLong());
    }

    public byte[] encode() {
        return new ByteWriter(20).writeVarLong(floor).writeVarLong(lastBefore).toByteArray();
    }

    /**
     * How many commit versions lie after {@code from} up to {@code to}, the jump to this epoch's
     * floor left out (a reader's lag across a leader change is what it has to read, not the jump).
     */
    public long versionsBetween(long from, long to) {
        if (from < floor && floor <= to) {
            return (to - floor) + Math.max(0, lastBefore - from);
        }
        return Math.max(0, to - from);
    }
}
