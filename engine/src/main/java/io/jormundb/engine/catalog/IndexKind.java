package io.jormundb.engine.catalog;

/** Whether a secondary index is local (the table's partition key, another sort key) or global. */
public enum IndexKind {
    LOCAL,
    GLOBAL
}
