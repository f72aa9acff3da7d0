package io.jormundb.engine.items;

import io.jormundb.engine.catalog.SecondaryIndex;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.value.Item;

/**
 * What a Query or Scan reads: a table's items, or the entries of one of its secondary indexes.
 *
 * @param index         {@code null} for the table itself
 * @param fetchItems    read each entry's whole item from the table (a local index asked for
 *                      attributes it does not project); the page is then one consistent view of both
 * @param onlyProjected return of a fetched item only what the index projects (the table item was
 *                      read to test a filter, not to be returned)
 */
public record Source(TableDefinition table, SecondaryIndex index, boolean fetchItems, boolean onlyProjected) {
    public static Source table(TableDefinition table) {
        return new Source(table, null, false, false);
    }

    /** What a page returns of {@code item}, before a ProjectionExpression. */
    Item returned(Item item) {
        return onlyProjected ? index.projection().apply(item, index.keyAttributes(table)) : item;
    }
}
