package io.jormundb.streams.log;

import io.jormundb.engine.catalog.TableDefinition;

/**
 * What a reader of the changelog follows: every table, or one table (optionally one of its
 * changelog partitions), optionally narrowed by a {@link KeyFilter}. Its records are read in
 * commit order, and its resume position expires only when a record it would deliver is trimmed.
 */
public sealed interface Scope permits Scope.AllTables, Scope.Table {
    /** The key filter, or {@code null} for every change in scope. */
    KeyFilter filter();

    /** Whether changes of {@code tableId}'s changelog partition {@code partition} are in scope. */
    boolean follows(long tableId, int partition);

    /** Every table. */
    record AllTables(KeyFilter filter) implements Scope {
        @Override
        public boolean follows(long tableId, int partition) {
            return true;
        }
    }

    /** One table; {@code partition} is one of its changelog partitions, or {@code -1} for all of them. */
    record Table(TableDefinition table, int partition, KeyFilter filter) implements Scope {
        @Override
        public boolean follows(long tableId, int p) {
            return tableId == table.id() && (partition == -1 || partition == p);
        }
    }
}
