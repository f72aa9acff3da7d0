package io.jormundb.engine.items;

import io.jormundb.engine.catalog.SecondaryIndex;
import io.jormundb.engine.catalog.TableDefinition;

/**
 * What a Query or Scan reads: a table's items, or the entries of one of its secondary indexes.
 *
 * @param index      {@code null} for the table itself
 * @param fetchItems read each entry's whole item from the table (a local index asked for
 *                   attributes it does not project); the page is then one consistent view of both
 */
public record Source(TableDefinition table, SecondaryIndex index, boolean fetchItems) {
    public static Source table(TableDefinition table) {
        return new Source(table, null, false);
    }
}
