package io.jormundb.engine;

import io.jormundb.engine.codec.ByteWriter;
import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.store.Store;
import io.jormundb.engine.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

import java.nio.file.Path;
import java.time.Clock;

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
                + "database-wide commit version); this one reads format 3: start it on a new --data-dir"), e.getMessage());
    }

    @Test
    void aDirectoryOfAnotherFormatIsRefusedWithTheReason() throws RocksDBException {
        write(Keys.format(), new ByteWriter(1).writeVarInt(9).toByteArray());
        StoreException e = assertThrows(StoreException.class, () -> Engine.open(dir, 4, false, Clock.systemUTC()));
        assertTrue(e.getMessage().endsWith("holds storage format 9; this JormunDB reads format 3"), e.getMessage());
    }

    @Test
    void aFormat2DirectoryIsUpgradedWithItsCursorsAndMqttStateMovedToTheNodeFamily() throws RocksDBException {
        byte[] oldCursor = {0x05, 0x03, 'm', 'q', 't', 't'};
        byte[] oldSession = {0x05, 0x07, 0x01, 'c', '1'};
        try (Store store = Store.open(dir, false); WriteBatch batch = new WriteBatch()) {
            batch.put(Keys.format(), new ByteWriter(1).writeVarInt(2).toByteArray());
            batch.put(oldCursor, new byte[] {7});
            batch.put(oldSession, new byte[] {8});
            batch.put(Keys.counter("table-id"), new byte[] {9});
            store.write(batch);
        }
        Engine.open(dir, 4, false, Clock.systemUTC()).close();
        try (Store store = Store.open(dir, false)) {
            assertEquals(3, store.get(Keys.format())[0]);
            assertArrayEquals(new byte[] {7}, store.get(Keys.cursor("mqtt")));
            assertArrayEquals(new byte[] {8}, store.get(Keys.mqttSession("c1")));
            assertNull(store.get(oldCursor));
            assertNull(store.get(oldSession));
            assertArrayEquals(new byte[] {9}, store.get(Keys.counter("table-id")));
        }
    }

    private void write(byte[] key, byte[] value) throws RocksDBException {
        try (Store store = Store.open(dir, false); WriteBatch batch = new WriteBatch()) {
            batch.put(key, value);
            store.write(batch);
        }
    }
}
