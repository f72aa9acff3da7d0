package io.jormundb.engine.replication;

import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.Catalog;
import io.jormundb.engine.changelog.CommitVersions;
import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.codec.Keyspace;
import io.jormundb.engine.store.Store;
import io.jormundb.engine.store.StoreException;
import io.jormundb.engine.write.WritePath;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

import java.util.HashSet;
import java.util.Set;

/**
 * The follower's side of shipping: applies its leader's {@link WalBatch}es, each as one RocksDB
 * write together with the follower's new {@link Following place}, so that a crash leaves a batch
 * and the place that names it both applied or both not (a restart resumes exactly). After each
 * write it refreshes what the engine keeps in memory from what the batch touched: the catalog
 * (tables created, updated, deleted, retired tables dropped) and the partition heads (sequences,
 * item counts). The commit frontier moves only on {@link #follow}, to a frontier of the leader
 * that every applied batch covers: the leader commits versions out of order across partitions,
 * so a batch alone never says that every smaller version is in.
 *
 * <p>Not thread-safe: one replication client calls it, in the leader's order.
 */
public final class Replica {
    private final Store store;
    private final Catalog catalog;
    private final WritePath writePath;
    private final CommitVersions versions;
    private volatile Following place;

    /** @throws IllegalStateException when the engine's store records no place in a leader's log */
    public Replica(Engine engine) {
        this.store = engine.store();
        this.catalog = engine.catalog();
        this.writePath = engine.writePath();
        this.versions = writePath.versions();
        this.place = Following.of(store);
        if (place == null) {
            throw new IllegalStateException("the data directory records no place in a leader's log: bootstrap it");
        }
    }

    /** Where this follower is: the next batch it applies and the frontier its readers see. */
    public Following place() {
        return place;
    }

    /**
     * Applies {@code batch}, which must start at {@link #place()}'s next sequence.
     *
     * @throws StoreException when it does not (a batch missed or repeated), or RocksDB fails
     */
    public void apply(WalBatch batch) {
        Following current = place;
        if (batch.sequence() != current.next()) {
            throw new StoreException("the leader sent the batch at sequence " + batch.sequence()
                    + " where this follower expects " + current.next());
        }
        Following moved = current.at(batch.next());
        if (batch.isEmpty()) {
            // The leader wrote only its own node-local state: nothing to apply. The place moves in
            // memory only; the next batch that applies anything records it (a restart before that
            // is shipped the same empty batches again, which is harmless).
            place = moved;
            return;
        }
        Touched touched = new Touched();
        try (WriteBatch out = new WriteBatch()) {
            try (WriteBatch in = new WriteBatch(batch.operations());
                 ShippedCopy copy = new ShippedCopy(store, out, touched::see)) {
                in.iterate(copy);
            }
            store.put(out, Keys.following(), moved.encode());
            store.write(out);
        } catch (RocksDBException e) {
            throw new StoreException("cannot read the leader's batch at sequence " + batch.sequence() + ": "
                    + e.getMessage(), e);
        }
        place = moved;
        touched.refresh();
    }

    /**
     * Moves the commit frontier to the leader's {@code frontier}, which the batches applied so far
     * cover, records it with this follower's place, and wakes the readers (SSE, Streams, MQTT).
     */
    public void follow(CommitVersions.Frontier frontier) {
        Following current = place;
        if (frontier.version() <= current.frontier().version()) {
            return;
        }
        Following moved = current.seeing(frontier);
        try (WriteBatch out = new WriteBatch()) {
            store.put(out, Keys.following(), moved.encode());
            store.write(out);
        }
        place = moved;
        versions.follow(frontier);
    }

    /** What one batch touched of what the engine keeps in memory. */
    private final class Touched {
        private boolean catalogChanged;
        private final Set<Long> heads = new HashSet<>();

        void see(byte[] key) {
            if (Keyspace.CATALOG.holds(key) || Keys.isRetiredTable(key)) {
                catalogChanged = true;
            }
            long table = Keys.tableOfPartitionHead(key);
            if (table >= 0) {
                heads.add(table);
            }
        }

        void refresh() {
            if (catalogChanged) {
                for (long gone : catalog.reload()) {
                    writePath.forget(gone);
                }
            }
            heads.forEach(writePath::reloadHeads);
        }
    }
}
