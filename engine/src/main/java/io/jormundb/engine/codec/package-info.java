/**
 * Byte encodings: keys ({@link io.jormundb.engine.codec.KeyCodec}, order-preserving), items
 * ({@link io.jormundb.engine.codec.ItemCodec}, tag-length-value) and the key layout
 * ({@link io.jormundb.engine.codec.Keys}). Nothing outside this package glues key bytes together.
 *
 * <pre>
 * RocksDB key space (one instance, one column family, a prefix byte per keyspace)
 *
 * 01 CATALOG    name(utf8)                                        -> table definition
 * 02 ITEMS      tableId(8) hash(4) pk(seg) [sk(seg)]              -> item (ItemCodec)
 * 03 INDEX      reserved for secondary indexes
 * 04 CHANGELOG  tableId(8) partition(4) version(8) index(4)       -> change record (ChangeRecordCodec)
 * 05 STATE      00                                                -> storage format version
 *               01 tableId(8) partition(4)                        -> partition head
 *               02 counter-name                                   -> long
 *               03 reader-name                                    -> cursor
 *               04 client-request-token                           -> idempotency record
 *               05 tableId(8)                                     -> retired (deleted) table definition
 *               06 [tableId(8) [01 partition(4) | 02 keyHash(8)]] -> trim mark (LogEntryCodec)
 *               07 00                                             -> MQTT broker record (broker's SessionCodec)
 *               07 01 client-id(utf8)                             -> persistent MQTT session (broker's SessionCodec)
 * 06 COMMIT_LOG version(8) index(4)                               -> log entry (LogEntryCodec)
 * </pre>
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
 */
package io.jormundb.engine.codec;
