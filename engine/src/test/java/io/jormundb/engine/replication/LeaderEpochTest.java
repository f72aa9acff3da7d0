package io.jormundb.engine.replication;

import io.jormundb.engine.Engine;
import io.jormundb.engine.SomeChanges;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.changelog.CommitVersions;
import io.jormundb.engine.changelog.LeaderEpoch;
import io.jormundb.engine.changelog.Position;
import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.store.CacheSize;
import io.jormundb.engine.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.WriteBatch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static io.jormundb.engine.changelog.LeaderEpoch.VERSIONS_PER_SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leader epochs: a server that starts as the leader of a log another node led (a follower's
 * directory, a checkpoint's copy) takes its versions above a floor from its clock, once; a
 * restart of a leader goes on where it stopped; two epochs started from one log seconds apart
 * never share a version.
 */
class LeaderEpochTest {
    private static final Instant T = Instant.parse("2026-12-06T04:00:00Z");
    private static final long T_FLOOR = T.getEpochSecond() * VERSIONS_PER_SECOND;

    @TempDir
    Path dir;
    @TempDir
    Path backup;

    @Test
    void aLeaderOfAnotherNodesLogStartsAnEpochOnceAndItsRestartsGoOnInIt() throws Exception {
        TableDefinition table;
        try (Engine engine = open(dir, T)) {
            table = SomeChanges.table(engine, "Epochs");
            SomeChanges.put(engine, table, "a", "1");
            SomeChanges.put(engine, table, "b", "1");
        }
        long last;
        try (Engine engine = open(dir, T)) {
            last = engine.writePath().versions().frontier().version();
            assertTrue(last < 10, "a leader's restart is no new epoch");
            engine.store().checkpoint(backup);
        }

        follow(dir, last);
        try (Engine engine = open(dir, T)) {
            assertEquals(new CommitVersions.Frontier(T_FLOOR, new Position(T_FLOOR, 0)),
                    engine.writePath().versions().frontier(), "a promoted follower starts at its clock's floor");
            assertEquals(new LeaderEpoch(T_FLOOR, last), LeaderEpoch.of(engine.store()));
            assertNull(engine.store().get(Keys.following()), "it follows nobody now");
            SomeChanges.put(engine, table, "c", "1");
            SomeChanges.put(engine, table, "d", "1");
            assertEquals(T_FLOOR + 2, engine.writePath().versions().frontier().version());
        }
        String promoted;
        try (Engine engine = open(dir, T.plusSeconds(60))) {
            assertEquals(new CommitVersions.Frontier(T_FLOOR + 2, new Position(T_FLOOR + 2, 0)),
                    engine.writePath().versions().frontier(), "a restart goes on in its epoch");
            promoted = NodeId.of(engine.store());
        }

        // The backup, from before the promotion, restored a second later: above every version of the promoted one.
        Files.writeString(backup.resolve(NodeId.COPY_MARKER), "a copy");
        try (Engine engine = open(backup, T.plusSeconds(1))) {
            assertEquals(T_FLOOR + VERSIONS_PER_SECOND, engine.writePath().versions().frontier().version());
            assertNotEquals(promoted, NodeId.of(engine.store()), "and is another node");
            assertFalse(Files.exists(backup.resolve(NodeId.COPY_MARKER)));
        }
        try (Engine engine = open(backup, T.plusSeconds(5))) {
            assertEquals(T_FLOOR + VERSIONS_PER_SECOND, engine.writePath().versions().frontier().version(),
                    "with no write since, a restart keeps the epoch's floor");
        }
    }

    @Test
    void anEpochStartsASecondAboveTheLastVersionWhenTheClockIsBehindIt() {
        assertEquals(new LeaderEpoch(T_FLOOR + 5 + VERSIONS_PER_SECOND, T_FLOOR + 5), LeaderEpoch.after(T_FLOOR + 5, T));
        assertEquals(new LeaderEpoch(41 + VERSIONS_PER_SECOND, 41), LeaderEpoch.after(41, Instant.EPOCH));
        assertEquals(new LeaderEpoch(T_FLOOR + 999_001, 41), LeaderEpoch.after(41, T.plusNanos(999_001_999)));
        assertTrue(LeaderEpoch.after(0, Instant.parse("2200-01-01T00:00:00Z")).floor() < 1L << 53,
                "versions stay exact in JavaScript");
    }

    /** Two nodes that start leading copies of one log a millisecond apart take floors a millisecond's worth apart. */
    @Test
    void epochsStartedWithinOneSecondTakeDifferentFloors() {
        LeaderEpoch first = LeaderEpoch.after(41, T);
        LeaderEpoch second = LeaderEpoch.after(41, T.plusMillis(1));
        assertEquals(1_000, second.floor() - first.floor());
    }

    @Test
    void theJumpToAnEpochsFloorIsNoVersionsBehind() {
        LeaderEpoch epoch = new LeaderEpoch(T_FLOOR, 41);
        assertEquals(5, epoch.versionsBetween(38, T_FLOOR + 2), "3 before the jump and 2 after it");
        assertEquals(2, epoch.versionsBetween(50, T_FLOOR + 2), "a reader of a lost change: the 2 after it");
        assertEquals(1, epoch.versionsBetween(T_FLOOR + 1, T_FLOOR + 2));
        assertEquals(3, LeaderEpoch.NONE.versionsBetween(4, 7));
        assertEquals(0, epoch.versionsBetween(T_FLOOR + 2, T_FLOOR + 1));
    }

    /** Makes {@code dir} a follower's directory, as if it had followed another node's log up to {@code at}. */
    private static void follow(Path dir, long at) {
        try (Store store = Store.open(dir, false); WriteBatch batch = new WriteBatch()) {
            store.put(batch, Keys.following(), new Following(7, new CommitVersions.Frontier(at, new Position(at, 0)),
                    "leader-1").encode());
            store.write(batch);
        }
    }

    private static Engine open(Path dir, Instant now) {
        return Engine.open(dir, 4, false, Duration.ZERO, CacheSize.MIN_BYTES, false, Clock.fixed(now, ZoneOffset.UTC));
    }
}
