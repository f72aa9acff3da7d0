package io.jormundb.engine.changelog;

import io.jormundb.engine.codec.ByteReader;
import io.jormundb.engine.codec.ByteWriter;
import io.jormundb.engine.codec.CorruptDataException;
import io.jormundb.engine.codec.ItemCodec;
import io.jormundb.engine.value.Item;

/**
 * The stored form of a {@link ChangeRecord} (the value under its CHANGELOG key):
 * <pre>
 *   FORMAT_V2 varint(tableId) string(tableName) varint(partition) varint(sequence)
 *   varint(version) varint(index) eventName(1) cause(1) varint(creationTimeMillis) flags(1)
 *   [string(transactionId)] attributes(keys) [attributes(old)] [attributes(new)]
 * </pre>
 * where flags say which of the bracketed parts are present. Decoding trusts nothing: an unknown
 * format, event or cause tag, unknown flag bits, images that do not fit the event (an INSERT has
 * a new image only, a MODIFY both, a REMOVE the old only), a table id, sequence or version of 0, a
 * truncated value or trailing bytes raise {@link CorruptDataException} and nothing else.
 */
public final class ChangeRecordCodec {
    private static final int FORMAT_V2 = 0x02;
    private static final int HAS_TRANSACTION = 0x01;
    private static final int HAS_OLD = 0x02;
    private static final int HAS_NEW = 0x04;
    private static final int KNOWN_FLAGS = HAS_TRANSACTION | HAS_OLD | HAS_NEW;
    private static final EventName[] EVENTS = EventName.values();
    private static final Cause[] CAUSES = Cause.values();

    private ChangeRecordCodec() {
    }

    public static byte[] encode(ChangeRecord r) {
        return encode(r, null, null);
    }

    /**
     * {@link #encode(ChangeRecord)}, taking the images' attributes from their item encodings
     * ({@link ItemCodec#encode}: the old image as the write read it from RocksDB, the new one as
     * the write stores it) instead of encoding them again; a {@code null} encoding encodes that image.
     */
    public static byte[] encode(ChangeRecord r, byte[] oldItemEncoding, byte[] newItemEncoding) {
        ByteWriter out = new ByteWriter(256);
        out.write(FORMAT_V2)
                .writeVarLong(r.tableId())
                .writeString(r.tableName())
                .writeVarInt(r.partition())
                .writeVarLong(r.sequence())
                .writeVarLong(r.position().version())
                .writeVarInt(r.position().index())
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
        writeImage(r.oldImage(), oldItemEncoding, out);
        writeImage(r.newImage(), newItemEncoding, out);
        return out.toByteArray();
    }

    private static void writeImage(Item image, byte[] encoding, ByteWriter out) {
        if (image != null && encoding != null) {
            out.write(encoding, ItemCodec.HEADER_BYTES, encoding.length - ItemCodec.HEADER_BYTES);
        } else if (image != null) {
            ItemCodec.writeAttributes(image.attributes(), out);
        }
    }

    public static ChangeRecord decode(byte[] bytes) {
        ByteReader in = new ByteReader(bytes);
        int format = in.read();
        if (format != FORMAT_V2) {
            throw new CorruptDataException("unknown change record format " + format);
        }
        long tableId = positive(in.readVarLong(), "table id");
        String tableName = in.readString();
        int partition = in.readVarInt();
        long sequence = positive(in.readVarLong(), "sequence");
        long version = positive(in.readVarLong(), "commit version");
        int index = in.readVarInt();
        if (index > Position.MAX_INDEX) {
            throw new CorruptDataException("change record index " + index + " out of range");
        }
        EventName eventName = EVENTS[tag(in.read(), EVENTS.length, "event name")];
        Cause cause = CAUSES[tag(in.read(), CAUSES.length, "cause")];
        long created = in.readVarLong();
        int flags = in.read();
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new CorruptDataException("unknown change record flags " + flags);
        }
        boolean hasOld = (flags & HAS_OLD) != 0;
        boolean hasNew = (flags & HAS_NEW) != 0;
        boolean fits = switch (eventName) {
            case INSERT -> !hasOld && hasNew;
            case MODIFY -> hasOld && hasNew;
            case REMOVE -> hasOld && !hasNew;
        };
        if (!fits) {
            throw new CorruptDataException("change record images do not fit its event " + eventName);
        }
        String transactionId = (flags & HAS_TRANSACTION) != 0 ? in.readString() : null;
        Item keys = new Item(ItemCodec.readAttributes(in));
        Item oldImage = hasOld ? new Item(ItemCodec.readAttributes(in)) : null;
        Item newImage = hasNew ? new Item(ItemCodec.readAttributes(in)) : null;
        if (in.hasRemaining()) {
            throw new CorruptDataException("trailing bytes after change record at byte " + in.position());
        }
        return new ChangeRecord(tableId, tableName, partition, sequence, new Position(version, index), eventName,
                keys, oldImage, newImage, created, cause, transactionId);
    }

    private static int tag(int value, int count, String what) {
        if (value >= count) {
            throw new CorruptDataException("unknown " + what + " tag " + value);
        }
        return value;
    }

    private static long positive(long value, String what) {
        if (value < 1) {
            throw new CorruptDataException("change record " + what + " " + value + " out of range");
        }
        return value;
    }
}
