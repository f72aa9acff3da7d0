package io.jormundb.engine.codec;

/**
 * The RocksDB column families of the one instance. Every {@link Keyspace} lives in exactly one of
 * them, and the store finds the family of a key by its keyspace byte, so code that reads or writes
 * a key never names a family. Each family has options of its own (the store's). Another family is
 * one more constant here (at the end: RocksDB numbers families in the order they are created) plus
 * the keyspaces that move to it, and a storage format step that moves their keys.
 */
public enum Family {
    /**
     * The database proper, which a follower copies: catalog, items, indexes, server state.
     * RocksDB's default column family, so a directory of storage format 2 holds it as is.
     */
    DATA("default", true),
    /**
     * What belongs to this node only: its MQTT publishers' cursors and persistent sessions, its
     * place in its leader's log, its node id. Never shipped to a follower, never
     * written by a leader's batches.
     */
    LOCAL("local", false),
    /**
     * The changelog: change record bodies and the commit log, appended in key order and trimmed
     * from the start by range deletes; shipped like DATA. Storage format 3 kept it in DATA.
     */
    CHANGELOG("changelog", true);

    private final String columnFamilyName;
    private final boolean shipped;

    Family(String columnFamilyName, boolean shipped) {
        this.columnFamilyName = columnFamilyName;
        this.shipped = shipped;
    }

    /** The RocksDB column family's name. */
    public String columnFamilyName() {
        return columnFamilyName;
    }

    /** Whether replication ships this family's writes to followers. */
    public boolean shipped() {
        return shipped;
    }
}
