package io.jormundb.engine.write;

import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.value.Item;

import java.util.function.UnaryOperator;

/**
 * One item change for the {@link WritePath}: which item, and how its new state follows from
 * its current state. {@link #apply} runs under the item's own lock, after the current item was
 * read, so a condition it checks holds at commit.
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

    /** The mutation of item {@code key} of {@code table} that {@code change} makes of its current state. */
    static Mutation of(TableDefinition table, Item key, UnaryOperator<Item> change) {
        return new Mutation() {
            @Override
            public TableDefinition table() {
                return table;
            }

            @Override
            public Item key() {
                return key;
            }

            @Override
            public Item apply(Item current) {
                return change.apply(current);
            }
        };
    }
}
