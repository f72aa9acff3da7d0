package io.jormundb.broker.publish;

import io.jormundb.engine.changelog.Position;
import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.store.Store;
import io.jormundb.streams.token.ResumeToken;
import io.jormundb.streams.token.TokenCodec;
import org.rocksdb.WriteBatch;

import java.nio.charset.StandardCharsets;

/**
 * A publisher's persisted cursor: the changelog position of the last message its target took,
 * as an all-tables resume token under {@link Keys#cursor} in RocksDB. One instance per reader name.
 */
final class CursorStore {
    private final Store store;
    private final byte[] key;

    CursorStore(Store store, String readerName) {
        this.store = store;
        this.key = Keys.cursor(readerName);
    }

    /**
     * The saved position, or {@code null} when this reader never saved one.
     *
     * @throws io.jormundb.streams.token.InvalidTokenException when what is saved is not a token
     */
    Position load() {
        byte[] value = store.get(key);
        return value == null ? null : TokenCodec.decode(new String(value, StandardCharsets.UTF_8)).position();
    }

    void save(Position position) {
        String token = TokenCodec.encode(new ResumeToken.AllTables(position));
        try (WriteBatch batch = new WriteBatch()) {
            store.put(batch, key, token.getBytes(StandardCharsets.UTF_8));
            store.write(batch);
        }
    }
}
