package io.jormundb.engine.store;

import io.jormundb.engine.changelog.Position;
import io.jormundb.engine.codec.Keys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** With assertions on (the tests), a batch with a key in another column family than its keyspace's is refused. */
class RoutingCheckTest {
    @TempDir
    Path dir;

    @Test
    void aChangelogKeyAddedToTheBatchByHandLandsInTheWrongFamilyAndIsRefused() throws RocksDBException {
        byte[] logEntry = Keys.commitLog(new Position(7, 0));
        try (Store store = Store.open(dir, false); WriteBatch batch = new WriteBatch()) {
            batch.put(logEntry, new byte[] {1}); // the default family: wrong for the commit log
            AssertionError refused = assertThrows(AssertionError.class, () -> store.write(batch));
            assertEquals("a put of a key of keyspace byte " + logEntry[0] + " in column family DATA, not CHANGELOG",
                    refused.getMessage());
            assertNull(store.get(logEntry), "nothing written");
        }
    }

    @Test
    void theSameKeyRoutedByTheStoreIsWritten() throws RocksDBException {
        byte[] logEntry = Keys.commitLog(new Position(7, 0));
        try (Store store = Store.open(dir, false); WriteBatch batch = new WriteBatch()) {
            store.put(batch, logEntry, new byte[] {1});
            store.write(batch);
            assertArrayEquals(new byte[] {1}, store.get(logEntry));
        }
    }
}
