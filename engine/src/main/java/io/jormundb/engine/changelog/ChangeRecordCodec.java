package io.jormundb.engine.changelog;

import io.jormundb.engine.codec.ByteReader;
import io.jormundb.engine.codec.ByteWriter;
import io.jormundb.engine.codec.CorruptDataException;
import io.jormundb.engine.codec.ItemCodec;
import io.jormundb.engine.value.Item;

/**
 * The stored form of a {@link ChangeRecord} (the value under its CHANGELOG key):
 * <pre>
 *   FORMAT_V1 varint(tableId) string(tableName) varint(partition) varint(sequence)
 *   eventName(1) cause(1) varint(creationTimeMillis) flags(1)
 *   [string(transactionId)] attributes(keys) [attributes(old)] [attributes(new)]
 * </pre>
 * where flags say which of the bracketed parts are present.
 */
public final class ChangeRecordCodec {
    private static final int FORMAT_V1 = 0x01;
    private static final int HAS_TRANSACTION = 0x01;
    private static final int HAS_OLD = 0x02;
    private static final int HAS_NEW = 0x04;

    private ChangeRecordCodec() {
    }

    public static byte[] encode(ChangeRecord r) {
        ByteWriter out = new ByteWriter(256);
        out.write(FORMAT_V1)
                .writeVarLong(r.tableId())
                .writeString(r.tableName())
                .writeVarInt(r.partition())
                .writeVarLong(r.sequence())
                .write(r.eventName().ordinal())
                .write(r.cause().ordinal())
                .writeVarLong(r.creationTimeMillis());
        int flags = (r.transactionId() != null ? HAS_TRANSACTION : 0)
                | (r.oldImage() != null ? HAS_OLD : 0)
                | (r.newImage() != null ? HAS_NEW : 0);
        out.write(flags);
        if (r.transactionId() != null) {
            out.writeString(r.transactionId());
        }
        ItemCodec.writeAttributes(r.keys().attributes(), out);
        if (r.oldImage() != null) {
            ItemCodec.writeAttributes(r.oldImage().attributes(), out);
        }
        if (r.newImage() != null) {
            ItemCodec.writeAttributes(r.newImage().attributes(), out);
        }
        return out.toByteArray();
    }

    /** The creation time alone, without decoding the images (for retention trimming). */
    public static long creationTimeMillis(byte[] bytes) {
        ByteReader in = new ByteReader(bytes);
        if (in.read() != FORMAT_V1) {
            throw new CorruptDataException("unknown change record format");
        }
        in.readVarLong();
        in.readBytes();
        in.readVarInt();
        in.readVarLong();
        in.read();
        in.read();
        return in.readVarLong();
    }

    public static ChangeRecord decode(byte[] bytes) {
        ByteReader in = new ByteReader(bytes);
        int format = in.read();
        if (format != FORMAT_V1) {
            throw new CorruptDataException("unknown change record format " + format);
        }
        long tableId = in.readVarLong();
        String tableName = in.readString();
        int partition = in.readVarInt();
        long sequence = in.readVarLong();
        EventName eventName = EventName.values()[in.read() % EventName.values().length];
        Cause cause = Cause.values()[in.read() % Cause.values().length];
        long created = in.readVarLong();
        int flags = in.read();
        String transactionId = (flags & HAS_TRANSACTION) != 0 ? in.readString() : null;
        Item keys = new Item(ItemCodec.readAttributes(in));
        Item oldImage = (flags & HAS_OLD) != 0 ? new Item(ItemCodec.readAttributes(in)) : null;
        Item newImage = (flags & HAS_NEW) != 0 ? new Item(ItemCodec.readAttributes(in)) : null;
        return new ChangeRecord(tableId, tableName, partition, sequence, eventName, keys, oldImage, newImage,
                created, cause, transactionId);
    }
}
