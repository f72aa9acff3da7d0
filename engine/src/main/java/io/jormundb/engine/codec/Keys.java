package io.jormundb.engine.codec;

import io.jormundb.engine.changelog.Position;
import io.jormundb.engine.value.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Every concrete RocksDB key, built in one place (see {@code package-info} for the tree).
 * Table ids are never reused, so a recreated table never sees its predecessor's keys.
 */
public final class Keys {
    /** STATE sub-keyspaces. */
    private static final int STATE_FORMAT = 0x00;
    private static final int STATE_PARTITION_HEAD = 0x01;
    private static final int STATE_COUNTER = 0x02;
    /** Where storage format 2 kept reader cursors; format 3 keeps them under {@link #NODE_CURSOR}. */
    private static final int FORMAT2_CURSOR = 0x03;
    private static final int STATE_IDEMPOTENCY = 0x04;
    private static final int STATE_RETIRED_TABLE = 0x05;
    private static final int STATE_TRIM_MARK = 0x06;
    /** Where storage format 2 kept MQTT state; format 3 keeps it under {@link #NODE_MQTT}. */
    private static final int FORMAT2_MQTT = 0x07;
    private static final int STATE_LEADER_EPOCH = 0x08;
    /** NODE sub-keyspaces. */
    private static final int NODE_CURSOR = 0x00;
    private static final int NODE_MQTT = 0x01;
    private static final int NODE_FOLLOWING = 0x02;
    private static final int NODE_ID = 0x03;
    /** MQTT state below {@link #NODE_MQTT}: the broker's own record, then one per persistent session. */
    private static final int MQTT_BROKER = 0x00;
    private static final int MQTT_SESSION = 0x01;
    /** Trim mark scopes below a table id. */
    private static final int TRIM_PARTITION = 0x01;
    private static final int TRIM_KEY = 0x02;
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    /** Where the partition key hash stands in an item key: after the keyspace byte and the table id. */
    private static final int ITEM_HASH_OFFSET = 1 + 8;
    /** Where the partition key stands in an item key: after the hash. */
    private static final int ITEM_KEY_OFFSET = ITEM_HASH_OFFSET + 4;
    /** Where the item key stands in a TTL entry key: after the keyspace byte, the table id and the expiry. */
    private static final int TTL_ITEM_OFFSET = 1 + 8 + 8;

    private Keys() {
    }

    public static byte[] table(String name) {
        return Keyspace.CATALOG.key().write(name.getBytes(StandardCharsets.UTF_8)).toByteArray();
    }

    /**
     * The stable 32-bit hash of a partition key (MurmurHash3 x86_32 of its key encoding, seed 0).
     * It places items (scan segments are hash ranges) and picks the changelog partition; it is part
     * of the storage format and must never change.
     */
    public static int partitionHash(AttributeValue partitionKey) {
        return murmur3(KeyCodec.encode(partitionKey));
    }

    /** The changelog partition of a partition key: its hash modulo the table's partition count. */
    public static int changelogPartition(AttributeValue partitionKey, int partitions) {
        return Integer.remainderUnsigned(partitionHash(partitionKey), partitions);
    }

    public static byte[] item(long tableId, AttributeValue partitionKey, AttributeValue sortKey) {
        ByteWriter out = partitionPrefixWriter(tableId, partitionKey);
        if (sortKey != null) {
            KeyCodec.encode(sortKey, out);
        }
        return out.toByteArray();
    }

    /** Every item key of one table. */
    public static KeyRange tableItems(long tableId) {
        return KeyRange.prefix(Keyspace.ITEMS.key().writeLong(tableId).toByteArray());
    }

    /** Every item key of one partition key. */
    public static byte[] partitionPrefix(long tableId, AttributeValue partitionKey) {
        return partitionPrefixWriter(tableId, partitionKey).toByteArray();
    }

    /** A writer holding the partition prefix, to which the caller appends sort key bytes. */
    public static ByteWriter partitionPrefixWriter(long tableId, AttributeValue partitionKey) {
        byte[] encoded = KeyCodec.encode(partitionKey);
        return Keyspace.ITEMS.key().writeLong(tableId).writeInt(murmur3(encoded)).write(encoded);
    }

    /** The changelog partition of the item under {@code itemKey}, from the hash the key holds. */
    public static int changelogPartitionOfItem(byte[] itemKey, int partitions) {
        int hash = new ByteReader(itemKey, ITEM_HASH_OFFSET, ITEM_HASH_OFFSET + 4).readInt();
        return Integer.remainderUnsigned(hash, partitions);
    }

    /**
     * The items whose partition key hash h (unsigned) satisfies {@code from <= h < to}; {@code to}
     * may be 2^32. Segment s of n covers {@code [ceil(s·2^32/n), ceil((s+1)·2^32/n))}.
     */
    public static KeyRange hashRange(long tableId, long from, long to) {
        byte[] start = Keyspace.ITEMS.key().writeLong(tableId).writeInt((int) from).toByteArray();
        byte[] end = to >= (1L << 32)
                ? tableItems(tableId).end()
                : Keyspace.ITEMS.key().writeLong(tableId).writeInt((int) to).toByteArray();
        return new KeyRange(start, end);
    }

    /** A change record's body: by table, changelog partition and position. */
    public static byte[] changelog(long tableId, int partition, Position position) {
        return Keyspace.CHANGELOG.key().writeLong(tableId).writeInt(partition)
                .writeLong(position.version()).writeInt(position.index()).toByteArray();
    }

    public static KeyRange changelogPartition(long tableId, int partition) {
        return KeyRange.prefix(Keyspace.CHANGELOG.key().writeLong(tableId).writeInt(partition).toByteArray());
    }

    public static KeyRange changelogTable(long tableId) {
        return KeyRange.prefix(Keyspace.CHANGELOG.key().writeLong(tableId).toByteArray());
    }

    /** The position at the end of a CHANGELOG or COMMIT_LOG key. */
    public static Position positionOf(byte[] key) {
        ByteReader in = new ByteReader(key, key.length - 12, key.length);
        long version = in.readLong();
        int index = in.readInt();
        if (version < 0 || index < 0 || index > Position.MAX_INDEX) {
            throw new CorruptDataException("changelog key with an impossible position");
        }
        return new Position(version, index);
    }

    /** A commit log entry: by position alone, so the log is in commit order across every table. */
    public static byte[] commitLog(Position position) {
        return Keyspace.COMMIT_LOG.key().writeLong(position.version()).writeInt(position.index()).toByteArray();
    }

    /**
     * The stable 32-bit hash of an index partition key made of one or more attribute values: the
     * MurmurHash3 of their key encodings concatenated, so for one value it equals
     * {@link #partitionHash}. Part of the storage format.
     */
    public static int partitionHash(List<AttributeValue> partitionKey) {
        return murmur3(tuple(partitionKey));
    }

    /**
     * A secondary index entry: by table, index, hash of the index partition key, the index
     * partition key values, the index sort key values (none or more), then the item's table key
     * (partition key, sort key if any), which makes it unique although index keys need not be.
     * The encoding is prefix-free, so one index partition is one prefix range in index sort key order.
     */
    public static byte[] indexEntry(long tableId, int indexId, List<AttributeValue> partitionKey,
                                    List<AttributeValue> sortKey, byte[] itemKey) {
        ByteWriter out = indexPartitionWriter(tableId, indexId, partitionKey);
        out.write(tuple(sortKey));
        return out.write(itemKey, ITEM_KEY_OFFSET, itemKey.length - ITEM_KEY_OFFSET).toByteArray();
    }

    /** A writer holding an index partition's prefix, to which the caller appends sort key bytes. */
    public static ByteWriter indexPartitionWriter(long tableId, int indexId, List<AttributeValue> partitionKey) {
        byte[] encoded = tuple(partitionKey);
        return Keyspace.INDEX.key().writeLong(tableId).writeInt(indexId).writeInt(murmur3(encoded)).write(encoded);
    }

    /** Every entry of one index. */
    public static KeyRange indexEntries(long tableId, int indexId) {
        return KeyRange.prefix(Keyspace.INDEX.key().writeLong(tableId).writeInt(indexId).toByteArray());
    }

    /** Every index entry of one table. */
    public static KeyRange tableIndexEntries(long tableId) {
        return KeyRange.prefix(Keyspace.INDEX.key().writeLong(tableId).toByteArray());
    }

    /** The entries of one index whose partition key hash h satisfies {@code from <= h < to} (see {@link #hashRange}). */
    public static KeyRange indexHashRange(long tableId, int indexId, long from, long to) {
        byte[] start = Keyspace.INDEX.key().writeLong(tableId).writeInt(indexId).writeInt((int) from).toByteArray();
        byte[] end = to >= (1L << 32)
                ? indexEntries(tableId, indexId).end()
                : Keyspace.INDEX.key().writeLong(tableId).writeInt(indexId).writeInt((int) to).toByteArray();
        return new KeyRange(start, end);
    }

    /**
     * An item's TTL entry: by table, then its expiry in epoch seconds (signed, stored with the sign
     * bit flipped so that negative seconds sort first), then its item key's hash and key values.
     * The expirer finds a table's due items as one range from the start up to the present second.
     */
    public static byte[] ttlEntry(long tableId, long expirySeconds, byte[] itemKey) {
        return Keyspace.TTL.key().writeLong(tableId).writeLong(expirySeconds ^ Long.MIN_VALUE)
                .write(itemKey, ITEM_HASH_OFFSET, itemKey.length - ITEM_HASH_OFFSET).toByteArray();
    }

    /** The TTL entries of one table whose expiry second is at least {@code fromSeconds} and below {@code beforeSeconds}. */
    public static KeyRange ttlDue(long tableId, long fromSeconds, long beforeSeconds) {
        return new KeyRange(Keyspace.TTL.key().writeLong(tableId).writeLong(fromSeconds ^ Long.MIN_VALUE).toByteArray(),
                Keyspace.TTL.key().writeLong(tableId).writeLong(beforeSeconds ^ Long.MIN_VALUE).toByteArray());
    }

    /** Every TTL entry of one table. */
    public static KeyRange tableTtl(long tableId) {
        return KeyRange.prefix(Keyspace.TTL.key().writeLong(tableId).toByteArray());
    }

    /** The expiry second a TTL entry key holds. */
    public static long expiryOfTtlEntry(byte[] ttlKey) {
        return new ByteReader(ttlKey, 1 + 8, TTL_ITEM_OFFSET).readLong() ^ Long.MIN_VALUE;
    }

    /** The key of the item a TTL entry stands for. */
    public static byte[] itemOfTtlEntry(byte[] ttlKey) {
        return Keyspace.ITEMS.key().write(ttlKey, 1, 8).write(ttlKey, TTL_ITEM_OFFSET, ttlKey.length - TTL_ITEM_OFFSET)
                .toByteArray();
    }

    /**
     * The key attribute values an item key holds: its partition key, then its sort key when
     * {@code rangeType} is not null ({@code hashType} and {@code rangeType} are S, N or B).
     */
    public static List<AttributeValue> keyValuesOfItem(byte[] itemKey, String hashType, String rangeType) {
        ByteReader in = new ByteReader(itemKey, ITEM_KEY_OFFSET, itemKey.length);
        List<AttributeValue> values = new ArrayList<>(2);
        values.add(KeyCodec.decode(hashType, in));
        if (rangeType != null) {
            values.add(KeyCodec.decode(rangeType, in));
        }
        if (in.hasRemaining()) {
            throw new CorruptDataException("item key longer than its key values");
        }
        return values;
    }

    private static byte[] tuple(List<AttributeValue> values) {
        ByteWriter out = new ByteWriter(32);
        KeyCodec.encode(values, out);
        return out.toByteArray();
    }

    /** Where the storage format version is kept. */
    public static byte[] format() {
        return Keyspace.STATE.key().write(STATE_FORMAT).toByteArray();
    }

    /** Where a changelog partition's head (last sequence, item count, bytes) is kept. */
    public static byte[] partitionHead(long tableId, int partition) {
        return Keyspace.STATE.key().write(STATE_PARTITION_HEAD).writeLong(tableId).writeInt(partition).toByteArray();
    }

    public static KeyRange partitionHeads(long tableId) {
        return KeyRange.prefix(Keyspace.STATE.key().write(STATE_PARTITION_HEAD).writeLong(tableId).toByteArray());
    }

    /** A named monotonic counter, such as the next table id. */
    public static byte[] counter(String name) {
        return Keyspace.STATE.key().write(STATE_COUNTER).write(name.getBytes(StandardCharsets.UTF_8)).toByteArray();
    }

    /** A changelog reader's persisted cursor (the MQTT publisher, the bridge): this node's own. */
    public static byte[] cursor(String reader) {
        return Keyspace.NODE.key().write(NODE_CURSOR).write(reader.getBytes(StandardCharsets.UTF_8)).toByteArray();
    }

    /** A transaction's ClientRequestToken, kept for the idempotency window. */
    public static byte[] idempotencyToken(String token) {
        return Keyspace.STATE.key().write(STATE_IDEMPOTENCY).write(token.getBytes(StandardCharsets.UTF_8)).toByteArray();
    }

    public static KeyRange idempotencyTokens() {
        return KeyRange.prefix(Keyspace.STATE.key().write(STATE_IDEMPOTENCY).toByteArray());
    }

    /** A deleted table's definition, kept while its changelog is (the Streams API reads it). */
    public static byte[] retiredTable(long tableId) {
        return Keyspace.STATE.key().write(STATE_RETIRED_TABLE).writeLong(tableId).toByteArray();
    }

    public static KeyRange retiredTables() {
        return KeyRange.prefix(Keyspace.STATE.key().write(STATE_RETIRED_TABLE).toByteArray());
    }

    /** The trim mark of the whole changelog: the last position trimmed. */
    public static byte[] trimMark() {
        return Keyspace.STATE.key().write(STATE_TRIM_MARK).toByteArray();
    }

    /** Where the log's current leader epoch is kept ({@code LeaderEpoch}). */
    public static byte[] leaderEpoch() {
        return Keyspace.STATE.key().write(STATE_LEADER_EPOCH).toByteArray();
    }

    /** The trim mark of one table: the last of its positions trimmed. */
    public static byte[] trimMark(long tableId) {
        return Keyspace.STATE.key().write(STATE_TRIM_MARK).writeLong(tableId).toByteArray();
    }

    /** The trim mark of one changelog partition. */
    public static byte[] trimMark(long tableId, int partition) {
        return Keyspace.STATE.key().write(STATE_TRIM_MARK).writeLong(tableId).write(TRIM_PARTITION)
                .writeInt(partition).toByteArray();
    }

    /** The trim mark of the records of one partition key or one item, by its {@link #keyHash}. */
    public static byte[] trimMarkOfKey(long tableId, long keyHash) {
        return Keyspace.STATE.key().write(STATE_TRIM_MARK).writeLong(tableId).write(TRIM_KEY)
                .writeLong(keyHash).toByteArray();
    }

    /** Every trim mark of one table. */
    public static KeyRange trimMarks(long tableId) {
        return KeyRange.prefix(Keyspace.STATE.key().write(STATE_TRIM_MARK).writeLong(tableId).toByteArray());
    }

    /** The embedded MQTT broker's record: whether it stopped cleanly, and where a restart resends from. */
    public static byte[] mqttBroker() {
        return Keyspace.NODE.key().write(NODE_MQTT).write(MQTT_BROKER).toByteArray();
    }

    /** A persistent MQTT session of the embedded broker, by client id. */
    public static byte[] mqttSession(String clientId) {
        return Keyspace.NODE.key().write(NODE_MQTT).write(MQTT_SESSION)
                .write(clientId.getBytes(StandardCharsets.UTF_8)).toByteArray();
    }

    /** Every persistent MQTT session. */
    public static KeyRange mqttSessions() {
        return KeyRange.prefix(Keyspace.NODE.key().write(NODE_MQTT).write(MQTT_SESSION).toByteArray());
    }

    /** The client id at the end of a {@link #mqttSession} key. */
    public static String mqttSessionClientId(byte[] key) {
        int prefix = mqttSessions().start().length;
        return new String(key, prefix, key.length - prefix, StandardCharsets.UTF_8);
    }

    /** A follower's place in its leader's write-ahead log (the last batch it applied). */
    public static byte[] following() {
        return Keyspace.NODE.key().write(NODE_FOLLOWING).toByteArray();
    }

    /** This node's id, made at its first start: how its leader tells it from its other followers. */
    public static byte[] nodeId() {
        return Keyspace.NODE.key().write(NODE_ID).toByteArray();
    }

    /** Every key of this node's own state. */
    public static KeyRange nodeState() {
        return Keyspace.NODE.range();
    }

    /**
     * The STATE ranges where storage format 2 kept what format 3 keeps in NODE (reader cursors
     * and MQTT state); {@link #fromFormat2} names each key's new place.
     */
    public static List<KeyRange> format2NodeState() {
        return List.of(KeyRange.prefix(Keyspace.STATE.key().write(FORMAT2_CURSOR).toByteArray()),
                KeyRange.prefix(Keyspace.STATE.key().write(FORMAT2_MQTT).toByteArray()));
    }

    /** The format 3 key of a key in {@link #format2NodeState}: the same name under NODE. */
    public static byte[] fromFormat2(byte[] key) {
        int sub = switch (key[1]) {
            case FORMAT2_CURSOR -> NODE_CURSOR;
            case FORMAT2_MQTT -> NODE_MQTT;
            default -> throw new IllegalArgumentException("not a format 2 node state key");
        };
        return Keyspace.NODE.key().write(sub).write(key, 2, key.length - 2).toByteArray();
    }

    /** The column family of each keyspace byte; {@link Family#DATA} for a byte no keyspace has. */
    private static final Family[] FAMILY_OF_PREFIX = new Family[256];

    static {
        java.util.Arrays.fill(FAMILY_OF_PREFIX, Family.DATA);
        for (Keyspace k : Keyspace.values()) {
            FAMILY_OF_PREFIX[k.prefix()] = k.family();
        }
    }

    /** The column family that holds {@code key} (of a range: its start), by its keyspace byte. */
    public static Family familyOf(byte[] key) {
        return key.length == 0 ? Family.DATA : FAMILY_OF_PREFIX[key[0] & 0xFF];
    }

    /** Whether {@code key} is a {@link #retiredTable} key. */
    public static boolean isRetiredTable(byte[] key) {
        return key.length == 2 + 8 && key[0] == Keyspace.STATE.prefix() && key[1] == STATE_RETIRED_TABLE;
    }

    /** The table id of a {@link #partitionHead} key, or -1 for any other key. */
    public static long tableOfPartitionHead(byte[] key) {
        boolean head = key.length == 2 + 8 + 4 && key[0] == Keyspace.STATE.prefix() && key[1] == STATE_PARTITION_HEAD;
        return head ? new ByteReader(key, 2, 10).readLong() : -1;
    }

    /**
     * A 64-bit hash (FNV-1a) of a key prefix: of {@link #partitionPrefix} for a partition key, of
     * {@link #item} for an item. The commit log keeps it so that trimming can tell, per key, the
     * last position removed; a collision can only make a key-filtered feed expire early, never late.
     */
    public static long keyHash(byte[] key) {
        long h = FNV_OFFSET;
        for (byte b : key) {
            h ^= b & 0xFF;
            h *= FNV_PRIME;
        }
        return h;
    }

    /** MurmurHash3_x86_32 with seed 0; the tail switch falls through on purpose, as in the reference. */
    @SuppressWarnings("fallthrough")
    static int murmur3(byte[] data) {
        final int c1 = 0xcc9e2d51;
        final int c2 = 0x1b873593;
        int h = 0;
        int blocks = data.length / 4;
        for (int i = 0; i < blocks; i++) {
            int k = (data[4 * i] & 0xFF) | (data[4 * i + 1] & 0xFF) << 8
                    | (data[4 * i + 2] & 0xFF) << 16 | (data[4 * i + 3] & 0xFF) << 24;
            k *= c1;
            k = Integer.rotateLeft(k, 15);
            k *= c2;
            h ^= k;
            h = Integer.rotateLeft(h, 13);
            h = h * 5 + 0xe6546b64;
        }
        int k = 0;
        int tail = blocks * 4;
        switch (data.length & 3) {
            case 3:
                k ^= (data[tail + 2] & 0xFF) << 16;
                // fall through
            case 2:
                k ^= (data[tail + 1] & 0xFF) << 8;
                // fall through
            case 1:
                k ^= data[tail] & 0xFF;
                k *= c1;
                k = Integer.rotateLeft(k, 15);
                k *= c2;
                h ^= k;
                break;
            default:
                break;
        }
        h ^= data.length;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
