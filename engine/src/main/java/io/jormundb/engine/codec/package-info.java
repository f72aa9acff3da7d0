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
 * 04 CHANGELOG  tableId(8) partition(4) sequence(8)               -> change record
 * 05 STATE      01 tableId(8) partition(4)                        -> partition head
 *               02 counter-name                                   -> long
 *               03 reader-name                                    -> cursor
 *               04 client-request-token                           -> idempotency record
 * </pre>
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
