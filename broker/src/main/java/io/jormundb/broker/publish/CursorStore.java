package io.jormundb.broker.publish;

import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.store.Store;
import io.jormundb.engine.store.StoreException;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

import java.nio.charset.StandardCharsets;

/**
 * A publisher's persisted cursor: the all-tables resume token just past the last message its
 * target took, under {@link Keys#cursor} in RocksDB. One instance per reader name.
 */
final class CursorStore {
    private final Store store;
    private final byte[] key;

    CursorStore(Store store, String readerName) {
        this.store = store;
        this.key = Keys.cursor(readerName);
    }

    /** The saved token, or {@code null} when this reader never saved one. */
    String load() {
        byte[] value = store.get(key);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    void save(String token) {
        try (WriteBatch batch = new WriteBatch()) {
            batch.put(key, token.getBytes(StandardCharsets.UTF_8));
            store.write(batch);
        } catch (RocksDBException e) {
            throw new StoreException("cannot stage the cursor write: " + e.getMessage(), e);
        }
    }
}
