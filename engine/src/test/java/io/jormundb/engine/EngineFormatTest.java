package io.jormundb.engine;

import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.changelog.CommitVersions;
import io.jormundb.engine.changelog.Position;
import io.jormundb.engine.codec.ByteWriter;
import io.jormundb.engine.codec.Family;
import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.store.Store;
import io.jormundb.engine.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The storage format mark: a new data directory gets it, a directory of another format is refused with why. */
class EngineFormatTest {
    @TempDir
    Path dir;

    @Test
    void aNewDataDirectoryIsMarkedAndOpensAgain() {
        Engine.open(dir, 4, false, Clock.systemUTC()).close();
        try (Store store = Store.open(dir, false)) {
            assertEquals(Engine.FORMAT, store.get(Keys.format())[0]);
        }
        Engine.open(dir, 4, false, Clock.systemUTC()).close();
    }

    @Test
    void aDirectoryWrittenBeforeTheCommitVersionIsRefusedWithTheReason() throws RocksDBException {
        write(Keys.table("Orders"), new byte[] {1});
        StoreException e = assertThrows(StoreException.class, () -> Engine.open(dir, 4, false, Clock.systemUTC()));
        assertTrue(e.getMessage().endsWith("was written by an earlier JormunDB (storage format 1, before the "
                + "database-wide commit version); this one reads format 4: start it on a new --data-dir"), e.getMessage());
    }

    @Test
    void aDirectoryOfAnotherFormatIsRefusedWithTheReason() throws RocksDBException {
        write(Keys.format(), new ByteWriter(1).writeVarInt(9).toByteArray());
        StoreException e = assertThrows(StoreException.class, () -> Engine.open(dir, 4, false, Clock.systemUTC()));
        assertTrue(e.getMessage().endsWith("holds storage format 9; this JormunDB reads format 4"), e.getMessage());
    }

    @Test
    void aFormat2DirectoryIsUpgradedThroughFormat3WithItsNodeStateAndChangelogInTheirFamilies()
            throws RocksDBException {
        byte[] oldCursor = {0x05, 0x03, 'm', 'q', 't', 't'};
        byte[] oldSession = {0x05, 0x07, 0x01, 'c', '1'};
        byte[] logEntry = Keys.commitLog(new Position(5, 0));
        // Format 2's layout: unshipped, as a format step's batch, which the store's routing check leaves alone.
        try (Store store = Store.open(dir, false); WriteBatch batch = Store.unshippedBatch()) {
            batch.put(Keys.format(), new ByteWriter(1).writeVarInt(2).toByteArray());
            batch.put(oldCursor, new byte[] {7});
            batch.put(oldSession, new byte[] {8});
            batch.put(Keys.counter("table-id"), new byte[] {9});
            batch.put(logEntry, new byte[] {6}); // in the default family, as format 2 kept it
            store.write(batch);
        }
        Engine.open(dir, 4, false, Clock.systemUTC()).close();
        assertEquals(Map.of(HexFormat.of().formatHex(logEntry), "06"), RawFamilies.changelogIn(dir, Family.CHANGELOG));
        assertEquals(Map.of(), RawFamilies.changelogIn(dir, Family.DATA));
        try (Store store = Store.open(dir, false)) {
            assertEquals(4, store.get(Keys.format())[0]);
            assertArrayEquals(new byte[] {7}, store.get(Keys.cursor("mqtt")));
            assertArrayEquals(new byte[] {8}, store.get(Keys.mqttSession("c1")));
            assertNull(store.get(oldCursor));
            assertNull(store.get(oldSession));
            assertArrayEquals(new byte[] {9}, store.get(Keys.counter("table-id")));
        }
    }

    @Test
    void aFormat3DirectoryIsUpgradedWithItsChangelogMovedToItsOwnFamilyAndARestartKeepsEverything() {
        CommitVersions.Frontier frontier;
        try (Engine engine = Engine.open(dir, 4, false, Clock.systemUTC())) {
            TableDefinition table = SomeChanges.table(engine, "Orders");
            for (int i = 0; i < 20; i++) {
                SomeChanges.put(engine, table, "o" + i, "v" + i);
            }
            SomeChanges.delete(engine, table, "o3");
            frontier = engine.writePath().versions().frontier();
        }
        SortedMap<String, String> changelog = RawFamilies.changelogIn(dir, Family.CHANGELOG);
        assertEquals(2 * 21, changelog.size(), "a record and a commit log entry per change");
        RawFamilies.toFormat3(dir, null);
        assertEquals(changelog, RawFamilies.changelogIn(dir, Family.DATA));

        CommitVersions.Frontier after;
        try (Engine engine = Engine.open(dir, 4, false, Clock.systemUTC())) {
            assertEquals(frontier, engine.writePath().versions().frontier(), "the commit version goes on");
            TableDefinition table = engine.catalog().require("Orders");
            assertEquals(SomeChanges.item("o7", "v7"), engine.items().get(table, SomeChanges.key("o7")));
            SomeChanges.put(engine, table, "o21", "v21");
            after = engine.writePath().versions().frontier();
            assertEquals(frontier.version() + 1, after.version());
        }
        SortedMap<String, String> upgraded = RawFamilies.changelogIn(dir, Family.CHANGELOG);
        assertTrue(upgraded.entrySet().containsAll(changelog.entrySet()), "every record kept, byte for byte");
        assertEquals(2 * 22, upgraded.size());
        assertEquals(Map.of(), RawFamilies.changelogIn(dir, Family.DATA), "nothing left in the default family");
        assertEquals(4, RawFamilies.format(dir));

        try (Engine engine = Engine.open(dir, 4, false, Clock.systemUTC())) {
            assertEquals(after, engine.writePath().versions().frontier());
            assertEquals(22, engine.writePath().head(engine.catalog().require("Orders"), 0)
                    + engine.writePath().head(engine.catalog().require("Orders"), 1));
        }
        assertEquals(upgraded, RawFamilies.changelogIn(dir, Family.CHANGELOG));
    }

    @Test
    void anUpgradeCutShortIsDoneAgainFromTheStart() {
        try (Engine engine = Engine.open(dir, 4, false, Clock.systemUTC())) {
            TableDefinition table = SomeChanges.table(engine, "Orders");
            SomeChanges.put(engine, table, "o1", "v1");
            SomeChanges.put(engine, table, "o2", "v2");
        }
        SortedMap<String, String> changelog = RawFamilies.changelogIn(dir, Family.CHANGELOG);
        // A crash during the copy: the new family holds part of the log and a key the log no longer has.
        SortedMap<String, String> partial = new TreeMap<>(changelog.headMap(changelog.firstKey() + "0"));
        partial.put(HexFormat.of().formatHex(Keys.commitLog(new Position(99, 0))), "00");
        RawFamilies.toFormat3(dir, partial);

        Engine.open(dir, 4, false, Clock.systemUTC()).close();
        assertEquals(changelog, RawFamilies.changelogIn(dir, Family.CHANGELOG));
        assertEquals(Map.of(), RawFamilies.changelogIn(dir, Family.DATA));
    }

    private void write(byte[] key, byte[] value) throws RocksDBException {
        try (Store store = Store.open(dir, false); WriteBatch batch = new WriteBatch()) {
            batch.put(key, value);
            store.write(batch);
        }
    }
}
