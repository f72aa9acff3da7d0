/**
 * Byte encodings: keys ({@link io.jormundb.engine.codec.KeyCodec}, order-preserving), items
 * ({@link io.jormundb.engine.codec.ItemCodec}, tag-length-value) and the key layout
 * ({@link io.jormundb.engine.codec.Keys}). Nothing outside this package glues key bytes together.
 *
 * <pre>
 * RocksDB key space (one instance; a prefix byte per keyspace, unique across the instance; each
 * keyspace in one column family, see {@link io.jormundb.engine.codec.Family})
 *
 * family DATA (RocksDB's "default"; what a follower copies from its leader)
 * 01 CATALOG    name(utf8)                                        -> table definition
 * 02 ITEMS      tableId(8) hash(4) pk(seg) [sk(seg)]              -> item (ItemCodec)
 * 03 INDEX      tableId(8) indexId(4) hash(4) ipk(seg..) [isk(seg..)] pk(seg) [sk(seg)]
 *                                                                 -> projected item (ItemCodec)
 * 05 STATE      00                                                -> storage format version
 *               01 tableId(8) partition(4)                        -> partition head
 *               02 counter-name                                   -> long
 *               04 client-request-token                           -> idempotency record
 *               05 tableId(8)                                     -> retired (deleted) table definition
 *               06 [tableId(8) [01 partition(4) | 02 keyHash(8)]] -> trim mark (LogEntryCodec)
 *               08                                                -> the log's leader epoch (LeaderEpoch)
 * 07 TTL        tableId(8) expiry(8) hash(4) pk(seg) [sk(seg)]    -> empty
 *
 * family CHANGELOG ("changelog"; appended, trimmed from the start by range deletes; shipped)
 * 04 CHANGELOG  tableId(8) partition(4) version(8) index(4)       -> change record (ChangeRecordCodec)
 * 06 COMMIT_LOG version(8) index(4)                               -> log entry (LogEntryCodec)
 *
 * family LOCAL ("local"; this node's own, never shipped)
 * 08 NODE       00 reader-name                                    -> cursor (a resume token)
 *               01 00                                             -> MQTT broker record (broker's SessionCodec)
 *               01 01 client-id(utf8)                             -> persistent MQTT session (broker's SessionCodec)
 *               02                                                -> a follower's place in its leader's log (Following)
 *               03                                                -> this node's id (utf8)
 * </pre>
 * Storage format 2 kept the cursors under {@code 05 03} and the MQTT state under {@code 05 07},
 * in the one column family it had; opening such a directory moves them ({@link
 * io.jormundb.engine.codec.Keys#fromFormat2}); storage formats 2 and 3 kept CHANGELOG and
 * COMMIT_LOG in the default family, and opening such a directory moves them, keys unchanged.
 * An index entry's {@code ipk} and {@code isk} are tuples: the segments of one to four index
 * partition key values and of up to four index sort key values (multi-attribute keys), and its
 * {@code hash} is the MurmurHash3 of the {@code ipk} bytes, so one index partition is one prefix
 * and an index scan segment one hash range, as for items. The item's own key ends the entry, so
 * items sharing index keys get entries of their own. A TTL entry's {@code expiry} is the floor of
 * the item's TTL attribute in epoch seconds, sign bit flipped; the rest is its item key after the
 * table id.
 * A change record's position (version, index) is its place in the one commit order of the whole
 * database; the COMMIT_LOG lists every position in that order (an all-tables reader walks it),
 * while the CHANGELOG keeps each record under its table and partition (a table's reader merges
 * its partitions by position; a Streams shard is one partition).
 * All integers are big-endian, so their unsigned byte order is numeric order; {@code hash} is
 * {@link io.jormundb.engine.codec.Keys#partitionHash} of the partition key, which groups an
 * item collection and makes a parallel scan segment one contiguous range.
 *
 * <p>Decoding example: table 7, partition key S "u1", sort key N 15 is stored under
 * <pre>
 *   02 | 00 00 00 00 00 00 00 07 | h h h h | 75 31 00 01 | 81 83 26 00
 *   ITEMS  tableId = 7             hash      "u1", end      positive, exponent 1 + 130 = 0x83,
 *                                                         digits "15" as nibbles 2 and 6, end
 * </pre>
 * and its entry in an index {@code 5} on a GSI keyed by S "gold" (partition) and N 3 (sort) is
 * <pre>
 *   03 | 00 00 00 00 00 00 00 07 | 00 00 00 05 | g g g g | 67 6F 6C 64 00 01 | 81 82 40 00 | 75 31 00 01 | 81 83 26 00
 *   INDEX  tableId = 7             indexId = 5   hash of    "gold", end         N 3           item key: "u1", 15
 *                                                "gold"
 * </pre>
 */
package io.jormundb.engine.codec;
