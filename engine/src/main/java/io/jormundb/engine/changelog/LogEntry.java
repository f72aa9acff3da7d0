package io.jormundb.engine.changelog;

/**
 * An entry of the commit log: the database-wide index of the changelog in commit order, one
 * entry per position. It is small on purpose (the record bodies live per changelog partition):
 * enough to route a reader to the body, to trim by age, and to keep the trim marks that decide
 * whether a feed's resume position expired (DESIGN: "Cursors and resume tokens").
 */
public sealed interface LogEntry permits LogEntry.Change, LogEntry.TableDeleted {
    Position position();

    long tableId();

    /** When the entry was committed (epoch milliseconds). */
    long createdMillis();

    /**
     * A change record's entry.
     *
     * @param keyHash  {@link io.jormundb.engine.codec.Keys#keyHash} of the item's partition key
     * @param itemHash {@link io.jormundb.engine.codec.Keys#keyHash} of the item's whole key
     */
    record Change(Position position, long tableId, int partition, long sequence, long createdMillis, long keyHash,
                  long itemHash) implements LogEntry {
    }

    /** A table's deletion: its last entry, after which its feeds end. */
    record TableDeleted(Position position, long tableId, long createdMillis) implements LogEntry {
    }
}
