package io.jormundb.engine.write;

import io.jormundb.engine.catalog.TableDefinition;

/**
 * Told after a commit is durable and its locks are released; the changelog's readers use it to
 * wake their live tails. Called on the writer's thread: implementations must not block.
 */
public interface CommitListener {
    /** Changelog partition {@code partition} of {@code table} now ends at {@code lastSequence}. */
    void committed(TableDefinition table, int partition, long lastSequence);

    /** {@code table} and its changelog are gone. */
    void tableDeleted(TableDefinition table);
}
