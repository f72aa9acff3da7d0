package io.jormundb.engine.changelog;

import io.jormundb.engine.catalog.TableDefinition;

import java.util.List;

/**
 * A change record a write has just made durable, with the definition of its table: what the write
 * path hands to in-memory readers ({@link Listener}) so that the live tail need not read back from
 * RocksDB what was written a moment ago.
 */
public record Committed(TableDefinition table, ChangeRecord record) {
    /**
     * Told of every commit version that appended change records, with its records in index order,
     * after the batch is durable and before the version is published. Runs on the writer's thread,
     * under its partition locks: it must be quick and must not block. A listener may ignore any
     * version; readers find every record in RocksDB anyway.
     */
    @FunctionalInterface
    public interface Listener {
        void committed(long version, List<Committed> records);
    }
}
