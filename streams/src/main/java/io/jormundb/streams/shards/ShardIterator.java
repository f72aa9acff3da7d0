package io.jormundb.streams.shards;

import io.jormundb.engine.changelog.Position;
import io.jormundb.engine.codec.ByteReader;
import io.jormundb.engine.codec.ByteWriter;
import io.jormundb.engine.codec.CorruptDataException;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.streams.token.CheckedText;

/**
 * A shard iterator: where a reader of one shard stands. It names the table (its never reused
 * id), the stream (its enabling time), the shard's partition, the position after which the next
 * GetRecords reads, and when the iterator was made (it expires 15 minutes later). Its text is
 * opaque, {@link CheckedText} of
 * <pre>
 *   VERSION(1) varint(tableId) varint(streamMillis) varint(partition) varint(version) varint(index)
 *   varint(createdMillis) CRC32C(4)
 * </pre>
 * at most {@link #MAX_LENGTH} characters. Only the one canonical text of an iterator is
 * accepted; anything else is the ValidationException "Invalid ShardIterator".
 */
record ShardIterator(long tableId, long streamMillis, int partition, Position after, long createdMillis) {
    /** No iterator text is longer than this. */
    public static final int MAX_LENGTH = 96;
    private static final int VERSION = 1;

    public ShardIterator {
        if (tableId < 1 || streamMillis < 0 || partition < 0 || createdMillis < 0) {
            throw new IllegalArgumentException("no such shard iterator");
        }
    }

    public String encode() {
        return CheckedText.encode(new ByteWriter(64).write(VERSION).writeVarLong(tableId).writeVarLong(streamMillis)
                .writeVarInt(partition).writeVarLong(after.version()).writeVarInt(after.index())
                .writeVarLong(createdMillis));
    }

    /**
     * The iterator {@code text} is.
     *
     * @throws DynamoException the ValidationException "Invalid ShardIterator" when it is none
     */
    public static ShardIterator decode(String text) {
        ShardIterator iterator;
        try {
            ByteReader in = new ByteReader(CheckedText.decode(text, MAX_LENGTH, 1));
            if (in.read() != VERSION) {
                throw invalid();
            }
            iterator = new ShardIterator(in.readVarLong(), in.readVarLong(), in.readVarInt(),
                    new Position(in.readVarLong(), in.readVarInt()), in.readVarLong());
            if (in.hasRemaining()) {
                throw invalid();
            }
        } catch (CheckedText.MalformedException | CorruptDataException | IllegalArgumentException e) {
            throw invalid();
        }
        if (!iterator.encode().equals(text)) {
            throw invalid();
        }
        return iterator;
    }

    private static DynamoException invalid() {
        return DynamoException.validation("Invalid ShardIterator");
    }
}
