package io.jormundb.engine.replication;

import io.jormundb.engine.Engine;
import io.jormundb.engine.RawFamilies;
import io.jormundb.engine.SomeChanges;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.changelog.CommitVersions;
import io.jormundb.engine.changelog.Position;
import io.jormundb.engine.codec.Family;
import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.store.CacheSize;
import io.jormundb.engine.store.Store;
import io.jormundb.engine.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.WriteBatch;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shipping at the engine level: the leader's log read as batches, applied on a follower with its place. */
class WalShippingTest {
    private static final long CACHE = CacheSize.MIN_BYTES;
    @TempDir
    Path leaderDir;
    @TempDir
    Path followerDir;

    @Test
    void aFollowerAppliesTheShippedBatchesWithoutTheLeadersNodeLocalStateAndRecordsItsPlace() {
        try (Engine leader = Engine.open(leaderDir, 4, false, Duration.ofHours(1), CACHE, false, Clock.systemUTC())) {
            long from = new Wal(leader.store()).next();
            write(leader.store(), Keys.counter("a"), new byte[] {1}, Keys.cursor("mqtt"), new byte[] {2});
            write(leader.store(), null, null, Keys.cursor("mqtt"), new byte[] {3});
            write(leader.store(), Keys.counter("b"), new byte[] {4}, null, null);
            Wal.Read read = new Wal(leader.store()).read(from, 100, 1 << 20);
            List<WalBatch> batches = assertInstanceOf(Wal.Read.Batches.class, read).batches();
            assertEquals(3, batches.size());
            assertTrue(batches.get(1).isEmpty(), "a batch of node-local writes only ships no operation");
            assertEquals(new Wal(leader.store()).next(), ((Wal.Read.Batches) read).next());

            startFollowing(from);
            try (Engine follower = Engine.open(followerDir, 4, false, Duration.ZERO, CACHE, true, Clock.systemUTC())) {
                write(follower.store(), null, null, Keys.cursor("mqtt"), new byte[] {9});
                Replica replica = new Replica(follower);
                batches.forEach(replica::apply);
                assertArrayEquals(new byte[] {1}, follower.store().get(Keys.counter("a")));
                assertArrayEquals(new byte[] {4}, follower.store().get(Keys.counter("b")));
                assertArrayEquals(new byte[] {9}, follower.store().get(Keys.cursor("mqtt")),
                        "the follower's own cursor is never overwritten");
                assertEquals(new Following(batches.getLast().next(), new CommitVersions.Frontier(0, Position.START),
                        "leader-1"), Following.of(follower.store()));
                StoreException repeated = assertThrows(StoreException.class, () -> replica.apply(batches.getFirst()));
                assertTrue(repeated.getMessage().contains("where this follower expects " + batches.getLast().next()),
                        repeated.getMessage());
            }
        }
    }

    @Test
    void aFollowersFrontierMovesOnlyToTheLeadersAndSurvivesARestart() {
        startFollowing(1);
        CommitVersions.Frontier leaders = new CommitVersions.Frontier(7, new Position(6, 2));
        try (Engine follower = Engine.open(followerDir, 4, false, Duration.ZERO, CACHE, true, Clock.systemUTC())) {
            new Replica(follower).follow(leaders);
            assertEquals(leaders, follower.writePath().versions().frontier());
        }
        try (Engine follower = Engine.open(followerDir, 4, false, Duration.ZERO, CACHE, true, Clock.systemUTC())) {
            assertEquals(leaders, follower.writePath().versions().frontier());
        }
    }

    @Test
    void aPlaceAfterTheEndOfTheLogIsAheadAndAPlaceBeforeItsFilesIsTrimmed() {
        try (Engine leader = Engine.open(leaderDir, 4, false, Duration.ZERO, CACHE, false, Clock.systemUTC())) {
            long next = new Wal(leader.store()).next();
            assertInstanceOf(Wal.Read.Ahead.class, new Wal(leader.store()).read(next + 5, 10, 1 << 20));
        }
        try (Engine leader = Engine.open(leaderDir, 4, false, Duration.ZERO, CACHE, false, Clock.systemUTC())) {
            write(leader.store(), Keys.counter("c"), new byte[] {1}, null, null);
            assertInstanceOf(Wal.Read.Trimmed.class, new Wal(leader.store()).read(1, 10, 1 << 20),
                    "without WAL retention the log of before the restart is gone");
        }
    }

    /**
     * A leader and its follower, both of storage format 3, each upgraded in place: the leader's
     * upgrade moves keys between families, which the follower's batches, routed by keyspace byte,
     * would turn into deleting its own changelog; it is shipped as empty batches instead, and the
     * follower's own upgrade did the same on its side.
     */
    @Test
    void aFollowerKeepsItsChangelogThroughItsLeadersUpgradeInPlaceAndAppliesTheChangesAfterIt() {
        try (Engine leader = Engine.open(leaderDir, 4, false, Duration.ofHours(1), CACHE, false, Clock.systemUTC())) {
            TableDefinition table = SomeChanges.table(leader, "Orders");
            SomeChanges.put(leader, table, "o1", "v1");
            SomeChanges.put(leader, table, "o2", "v2");
        }
        RawFamilies.toFormat3(leaderDir, null);
        try (Store leader = Store.open(leaderDir, false)) {
            leader.checkpoint(followerDir); // still format 3: a store alone upgrades nothing
        }
        startFollowing(Store.sequenceOf(followerDir) + 1);

        try (Engine leader = Engine.open(leaderDir, 4, false, Duration.ofHours(1), CACHE, false, Clock.systemUTC());
             Engine follower = Engine.open(followerDir, 4, false, Duration.ZERO, CACHE, true, Clock.systemUTC())) {
            SomeChanges.put(leader, leader.catalog().require("Orders"), "o3", "v3");
            Replica replica = new Replica(follower);
            Wal.Read read = new Wal(leader.store()).read(replica.place().next(), 1000, 1 << 20);
            List<WalBatch> batches = assertInstanceOf(Wal.Read.Batches.class, read).batches();
            assertTrue(batches.size() > 3 && batches.stream().limit(batches.size() - 1).allMatch(WalBatch::isEmpty),
                    "the upgrade's batches ship no operation");
            batches.forEach(replica::apply);
            assertEquals(SomeChanges.item("o3", "v3"),
                    follower.items().get(follower.catalog().require("Orders"), SomeChanges.key("o3")));
        }
        SortedMap<String, String> leaders = RawFamilies.changelogIn(leaderDir, Family.CHANGELOG);
        assertEquals(2 * 3, leaders.size());
        assertEquals(leaders, RawFamilies.changelogIn(followerDir, Family.CHANGELOG));
        assertEquals(Map.of(), RawFamilies.changelogIn(followerDir, Family.DATA));
    }

    private void startFollowing(long from) {
        try (Store store = Store.open(followerDir, false)) {
            write(store, null, null, Keys.following(),
                    new Following(from, new CommitVersions.Frontier(0, Position.START), "leader-1").encode());
        }
    }

    private static void write(Store store, byte[] dataKey, byte[] dataValue, byte[] localKey, byte[] localValue) {
        try (WriteBatch batch = new WriteBatch()) {
            if (dataKey != null) {
                store.put(batch, dataKey, dataValue);
            }
            if (localKey != null) {
                store.put(batch, localKey, localValue);
            }
            store.write(batch);
        }
    }
}
