package io.jormundb.engine;

import io.jormundb.engine.catalog.Catalog;
import io.jormundb.engine.items.Items;
import io.jormundb.engine.store.Store;
import io.jormundb.engine.write.WritePath;

import java.nio.file.Path;
import java.time.Clock;

/**
 * The engine as one object: the store, the catalog, the write path and item operations over
 * them, opened together from a data directory and closed together.
 */
public final class Engine implements AutoCloseable {
    private final Store store;
    private final Catalog catalog;
    private final WritePath writePath;
    private final Items items;
    private final Clock clock;

    private Engine(Store store, Catalog catalog, WritePath writePath, Clock clock) {
        this.store = store;
        this.catalog = catalog;
        this.writePath = writePath;
        this.items = new Items(store, writePath);
        this.clock = clock;
    }

    /**
     * Opens the engine on {@code dataDir}.
     *
     * @param defaultChangelogPartitions changelog partitions of tables created without their own
     * @param sync                       fsync the WAL on every write
     * @throws io.jormundb.engine.store.StoreLockedException when another server uses the directory
     */
    public static Engine open(Path dataDir, int defaultChangelogPartitions, boolean sync, Clock clock) {
        Store store = Store.open(dataDir, sync);
        try {
            Catalog catalog = new Catalog(store, defaultChangelogPartitions);
            return new Engine(store, catalog, new WritePath(store, catalog, clock), clock);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    public Store store() {
        return store;
    }

    public Catalog catalog() {
        return catalog;
    }

    public WritePath writePath() {
        return writePath;
    }

    public Items items() {
        return items;
    }

    public Clock clock() {
        return clock;
    }

    @Override
    public void close() {
        store.close();
    }
}
