package io.jormundb.engine.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live write-ahead log stays bounded when one column family is written rarely: RocksDB keeps
 * every log file since the oldest write not yet flushed to a table file, and the LOCAL family (an
 * MQTT publisher's cursor, saved every 100 ms) fills its memtable only over hours. Without a cap of
 * its own the log grew to four times every memtable together (1.7 GB with the default cache)
 * before RocksDB flushed it, all of it replayed at the next start.
 */
class WalBoundTest {
    /** Memtables a quarter of it: 16 MB, DATA's 4 MB, flushed by their own size well before RocksDB's memory limit. */
    private static final long CACHE = 64L << 20;

    @TempDir
    Path dir;

    @Test
    void theLiveLogStaysNearTheMemtablesBudgetWhileOneFamilyIsRarelyWritten() throws RocksDBException, IOException {
        try (Store store = Store.open(dir, false, Duration.ZERO, CACHE)) {
            try (WriteBatch batch = new WriteBatch()) {
                store.put(batch, new byte[] {0x08, 1}, new byte[] {1}); // NODE, in LOCAL: a cursor
                store.write(batch);
            }
            byte[] value = new byte[1024];
            for (int i = 0; i < 40_000; i++) { // 40 MB into DATA, flushed by its own memtable every ~4 MB
                try (WriteBatch batch = new WriteBatch()) {
                    store.put(batch, new byte[] {0x05, (byte) (i >> 16), (byte) (i >> 8), (byte) i}, value);
                    store.write(batch);
                }
            }
            long live = liveLogBytes(dir.resolve("db"));
            assertTrue(live <= 24L << 20, "live write-ahead log, 40 MB written: " + live + " bytes");
        }
    }

    private static long liveLogBytes(Path db) throws IOException {
        try (Stream<Path> files = Files.list(db)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).mapToLong(f -> f.toFile().length())
                    .sum();
        }
    }
}
