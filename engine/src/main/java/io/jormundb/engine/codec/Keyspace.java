package io.jormundb.engine.codec;

/**
 * The keyspaces of the one RocksDB instance, each a one-byte prefix unique across the instance
 * and kept in one column {@link Family}. See {@code package-info} for the key tree.
 * {@link #range()} is {@code [prefix, prefix + 1)}: every key of the keyspace.
 */
public enum Keyspace {
    /** Table definitions by name. */
    CATALOG(0x01),
    /** Items by table, partition key hash, partition key, sort key. */
    ITEMS(0x02),
    /** Secondary index entries by table, index, index key hash, index keys, table keys. */
    INDEX(0x03),
    /** Change record bodies by table, changelog partition, position. */
    CHANGELOG(0x04, Family.CHANGELOG),
    /** Server state: format, partition heads, id counters, idempotency tokens, retired tables, trim marks. */
    STATE(0x05),
    /** The commit log: one small entry per changelog position, in commit order across every table. */
    COMMIT_LOG(0x06, Family.CHANGELOG),
    /** The TTL index: items by table, expiry second, item key. */
    TTL(0x07),
    /** This node's own state: reader cursors, MQTT sessions, its place in a leader's log, its id. */
    NODE(0x08, Family.LOCAL);

    private final int prefix;
    private final Family family;

    Keyspace(int prefix) {
        this(prefix, Family.DATA);
    }

    Keyspace(int prefix, Family family) {
        this.prefix = prefix;
        this.family = family;
    }

    /** The column family that holds this keyspace. */
    public Family family() {
        return family;
    }

    /** Whether {@code key} belongs to this keyspace. */
    public boolean holds(byte[] key) {
        return key.length > 0 && (key[0] & 0xFF) == prefix;
    }

    /** The keyspace byte, which starts every key of the keyspace. */
    public int prefix() {
        return prefix;
    }

    /** A writer that already holds this keyspace's prefix. */
    public ByteWriter key() {
        return new ByteWriter(48).write(prefix);
    }

    /** {@code [start, end)} of every key in this keyspace. */
    public KeyRange range() {
        return new KeyRange(new byte[] {(byte) prefix}, new byte[] {(byte) (prefix + 1)});
    }
}
