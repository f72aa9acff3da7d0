package io.jormundb.engine.catalog;

/**
 * The life of a secondary index. A global secondary index added to a table that exists is
 * CREATING while it is backfilled, then ACTIVE; indexes created with their table are ACTIVE at
 * once. DELETING is only ever reported (in the UpdateTable answer that deletes the index): the
 * deletion itself is one atomic write.
 */
public enum IndexStatus {
    CREATING,
    ACTIVE,
    DELETING
}
