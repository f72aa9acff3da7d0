package io.jormundb.engine.catalog;

/** Which attributes a secondary index copies from the table, besides the table and index keys. */
public enum ProjectionType {
    ALL,
    KEYS_ONLY,
    INCLUDE
}
