package io.jormundb.engine.changelog;

import io.jormundb.engine.codec.ByteReader;
import io.jormundb.engine.codec.ByteWriter;
import io.jormundb.engine.codec.CorruptDataException;

/**
 * The stored forms of the commit log (its entries; the position is the entry's key) and of the
 * changelog's trim marks:
 * <pre>
 *   entry     := CHANGE varint(tableId) varint(created) varint(partition) varint(sequence)
 *                       long(keyHash) long(itemHash)
 *              | TABLE_DELETED varint(tableId) varint(created)
 *   trim mark := varint(version) varint(index) varint(sequence)
 * </pre>
 * A trim mark is the last position trimmed in some scope (and, for a partition, the sequence of
 * that record; 0 elsewhere). Decoding rejects unknown tags, out-of-range numbers, truncation and
 * trailing bytes with {@link CorruptDataException} and nothing else.
 */
public final class LogEntryCodec {
    private static final int CHANGE = 0x01;
    private static final int TABLE_DELETED = 0x02;

    /** A trim mark: everything of its scope up to {@code position} is gone; {@code sequence} as above. */
    public record TrimMark(Position position, long sequence) {
        public static final TrimMark NONE = new TrimMark(Position.START, 0);
    }

    private LogEntryCodec() {
    }

    public static byte[] encode(LogEntry entry) {
        ByteWriter out = new ByteWriter(40);
        switch (entry) {
            case LogEntry.Change c -> out.write(CHANGE).writeVarLong(c.tableId()).writeVarLong(c.createdMillis())
                    .writeVarInt(c.partition()).writeVarLong(c.sequence()).writeLong(c.keyHash())
                    .writeLong(c.itemHash());
            case LogEntry.TableDeleted d -> out.write(TABLE_DELETED).writeVarLong(d.tableId())
                    .writeVarLong(d.createdMillis());
        }
        return out.toByteArray();
    }

    public static LogEntry decode(Position position, byte[] bytes) {
        ByteReader in = new ByteReader(bytes);
        int kind = in.read();
        long tableId = in.readVarLong();
        if (tableId < 1) {
            throw new CorruptDataException("commit log entry with table id " + tableId);
        }
        long created = in.readVarLong();
        LogEntry entry = switch (kind) {
            case CHANGE -> {
                int partition = in.readVarInt();
                long sequence = in.readVarLong();
                if (sequence < 1) {
                    throw new CorruptDataException("commit log entry with sequence " + sequence);
                }
                yield new LogEntry.Change(position, tableId, partition, sequence, created, in.readLong(), in.readLong());
            }
            case TABLE_DELETED -> new LogEntry.TableDeleted(position, tableId, created);
            default -> throw new CorruptDataException("unknown commit log entry kind " + kind);
        };
        end(in, "commit log entry");
        return entry;
    }

    public static byte[] encode(TrimMark mark) {
        return new ByteWriter(16).writeVarLong(mark.position().version()).writeVarInt(mark.position().index())
                .writeVarLong(mark.sequence()).toByteArray();
    }

    /** The trim mark in {@code bytes}, or {@link TrimMark#NONE} for {@code null} (nothing trimmed). */
    public static TrimMark decodeTrimMark(byte[] bytes) {
        if (bytes == null) {
            return TrimMark.NONE;
        }
        ByteReader in = new ByteReader(bytes);
        long version = in.readVarLong();
        int index = in.readVarInt();
        long sequence = in.readVarLong();
        if (version < 0 || index > Position.MAX_INDEX || sequence < 0) {
            throw new CorruptDataException("trim mark out of range");
        }
        end(in, "trim mark");
        return new TrimMark(new Position(version, index), sequence);
    }

    private static void end(ByteReader in, String what) {
        if (in.hasRemaining()) {
            throw new CorruptDataException("trailing bytes after " + what + " at byte " + in.position());
        }
    }
}
