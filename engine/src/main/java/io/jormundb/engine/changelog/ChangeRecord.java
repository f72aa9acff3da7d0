package io.jormundb.engine.changelog;

import io.jormundb.engine.value.Item;

/**
 * One committed change of one item: the unit of the changelog. {@code position} is its place in
 * the database-wide commit order; {@code sequence} its place in its changelog partition (1, 2, 3,
 * … gapless; within a partition sequences and positions increase together).
 *
 * @param oldImage      the item before, {@code null} on INSERT
 * @param newImage      the item after, {@code null} on REMOVE
 * @param transactionId shared by every record of one transaction, otherwise {@code null}
 */
public record ChangeRecord(
        long tableId,
        String tableName,
        int partition,
        long sequence,
        Position position,
        EventName eventName,
        Item keys,
        Item oldImage,
        Item newImage,
        long creationTimeMillis,
        Cause cause,
        String transactionId) {

    /** DynamoDB Streams' SizeBytes: the size of keys and images together. */
    public long sizeBytes() {
        return keys.size() + (oldImage == null ? 0 : oldImage.size()) + (newImage == null ? 0 : newImage.size());
    }
}
