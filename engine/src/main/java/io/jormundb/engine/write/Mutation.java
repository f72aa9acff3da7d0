package io.jormundb.engine.write;

import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.value.Item;

/**
 * One item change for the {@link WritePath}: which item, and how its new state follows from
 * its current state. {@link #apply} runs under the item's partition lock, after the current item
 * was read, so a condition it checks holds at commit.
 */
public interface Mutation {
    TableDefinition table();

    /** The item's key attributes, validated against the table's schema. */
    Item key();

    /**
     * The new item, or {@code null} to delete it; returning {@code current} (or an equal item)
     * changes nothing and writes no changelog record.
     *
     * @param current the stored item, or {@code null} when there is none
     * @throws io.jormundb.engine.error.DynamoException when a condition fails or the result is invalid
     */
    Item apply(Item current);
}
