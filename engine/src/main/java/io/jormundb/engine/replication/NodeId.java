package io.jormundb.engine.replication;

import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.store.FileErrors;
import io.jormundb.engine.store.Store;
import io.jormundb.engine.store.StoreException;
import org.rocksdb.WriteBatch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * This node's id: eight hex digits made at its first start and kept in its node-local state
 * ({@link Keys#nodeId()}), so a copy never takes it over. A leader's followers record it with
 * their place (its log's sequence numbers are its own); a leader reports its followers by theirs.
 */
public final class NodeId {
    private NodeId() {
    }

    /**
     * A file a checkpoint ({@code POST /admin/checkpoint}) leaves in its copy: a server started on
     * the copy is another node than the one copied, and makes itself a new id (then removes the
     * file). Otherwise a leader restored from a backup would pass for the original, whose
     * followers may be ahead of the backup, and follow it on as the same log.
     */
    public static final String COPY_MARKER = "NEW-NODE";

    /** The id recorded in {@code store}, made and recorded now if there is none or the store is a copy. */
    public static String of(Store store) {
        Path marker = store.dataDir().resolve(COPY_MARKER);
        boolean copy = Files.exists(marker);
        byte[] value = copy ? null : store.get(Keys.nodeId());
        if (value != null) {
            return new String(value, StandardCharsets.UTF_8);
        }
        String id = UUID.randomUUID().toString().substring(0, 8);
        try (WriteBatch batch = new WriteBatch()) {
            store.put(batch, Keys.nodeId(), id.getBytes(StandardCharsets.UTF_8));
            store.write(batch);
        }
        if (copy) {
            try {
                Files.deleteIfExists(marker);
            } catch (IOException e) {
                throw new StoreException("cannot remove " + marker + ": " + FileErrors.reason(e), e);
            }
        }
        return id;
    }
}
