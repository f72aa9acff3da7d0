package io.jormundb.engine.catalog;

import io.jormundb.engine.changelog.Position;

/**
 * A deleted table, kept in the catalog while its changelog is: its definition (key schema,
 * partitions, identity) and the changelog position of its deletion, which is its last entry.
 */
public record RetiredTable(TableDefinition definition, Position deletedAt) {
}
