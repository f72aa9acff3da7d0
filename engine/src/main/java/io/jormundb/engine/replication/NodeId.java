package io.jormundb.engine.replication;

import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.store.Store;
import org.rocksdb.WriteBatch;

import java.nio.charset.StandardCharsets;
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
     * the copy is another node than the one copied, and starts a leader epoch of its own
     * ({@code Engine.open} drops the copied id, so that {@link #of} makes a new one, and then this
     * file). Otherwise a leader restored from a backup would pass for the original, whose
     * followers may be ahead of the backup, and follow it on as the same log.
     */
    public static final String COPY_MARKER = "NEW-NODE";

    /** The id recorded in {@code store}, made and recorded now if there is none. */
    public static String of(Store store) {
        byte[] value = store.get(Keys.nodeId());
        if (value != null) {
            return new String(value, StandardCharsets.UTF_8);
        }
        String id = UUID.randomUUID().toString().substring(0, 8);
        try (WriteBatch batch = new WriteBatch()) {
            store.put(batch, Keys.nodeId(), id.getBytes(StandardCharsets.UTF_8));
            store.write(batch);
        }
        return id;
    }
}
