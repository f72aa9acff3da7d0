/**
 * What an item contributes to its table's indexes, computed from the item alone: its entry in
 * each secondary index ({@link io.jormundb.engine.index.IndexEntries}) and in the TTL index
 * ({@link io.jormundb.engine.index.TtlEntries}). The write path writes and deletes these entries
 * in the item's own WriteBatch; backfills and the TTL expirer use the same computation.
 */
package io.jormundb.engine.index;
