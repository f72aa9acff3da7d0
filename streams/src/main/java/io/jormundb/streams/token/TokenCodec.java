package io.jormundb.streams.token;

import io.jormundb.engine.codec.ByteReader;
import io.jormundb.engine.codec.ByteWriter;
import io.jormundb.engine.codec.CorruptDataException;

import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The text form of resume tokens: URL-safe base64 (no padding) of
 * <pre>
 *   VERSION(1) kind(1) body CRC32C(4, of all bytes before it)
 *   kind TABLE: cursor            kind ALL: varint(maxTableId) varint(n) cursor*n
 *   cursor := varint(tableId) varint(tableCreatedMillis) varint(partitions) varint(sequence)*partitions
 * </pre>
 * The checksum makes a truncated or edited token fail as "tampered" instead of pointing
 * somewhere else, and only the canonical text of the bytes is accepted (no padding, zero unused
 * bits), so any edit of a token's text is rejected. Decoding never throws anything but
 * {@link InvalidTokenException}.
 */
public final class TokenCodec {
    private static final int VERSION = 1;
    private static final int KIND_TABLE = 1;
    private static final int KIND_ALL = 2;
    /** More partitions or tables than this in a token is a forgery, not a database. */
    private static final int MAX_ENTRIES = 1 << 16;

    private TokenCodec() {
    }

    public static String encode(ResumeToken token) {
        ByteWriter out = new ByteWriter(64).write(VERSION);
        switch (token) {
            case ResumeToken.Table t -> writeCursor(out.write(KIND_TABLE), t.cursor());
            case ResumeToken.AllTables all -> {
                out.write(KIND_ALL).writeVarLong(all.maxTableId()).writeVarInt(all.tables().size());
                all.tables().values().stream()
                        .sorted(java.util.Comparator.comparingLong(TableCursor::tableId))
                        .forEach(c -> writeCursor(out, c));
            }
        }
        return finish(out);
    }

    /** Encodes a table position straight from a reader's live array (the hot path of feeds). */
    public static String encodeTable(long tableId, long tableCreatedMillis, long[] sequences) {
        ByteWriter out = new ByteWriter(16 + 5 * sequences.length).write(VERSION).write(KIND_TABLE);
        out.writeVarLong(tableId).writeVarLong(tableCreatedMillis).writeVarInt(sequences.length);
        for (long s : sequences) {
            out.writeVarLong(s);
        }
        return finish(out);
    }

    public static ResumeToken decode(String text) {
        if (text == null) {
            throw new InvalidTokenException("missing resume token");
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException("malformed resume token: not URL-safe base64");
        }
        // The decoder ignores the unused low bits of the last character and accepts padding, so
        // several texts decode to the same bytes; only the one text encode() gives is a token.
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(text)) {
            throw new InvalidTokenException("malformed resume token: not in canonical form");
        }
        if (bytes.length < 2 + 4) {
            throw new InvalidTokenException("malformed resume token: too short");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        int expected = new ByteReader(bytes, bytes.length - 4, bytes.length).readInt();
        if ((int) crc.getValue() != expected) {
            throw new InvalidTokenException("resume token was altered or truncated (checksum mismatch)");
        }
        try {
            ByteReader in = new ByteReader(bytes, 0, bytes.length - 4);
            int version = in.read();
            if (version != VERSION) {
                throw new InvalidTokenException("resume token has unknown format version " + version);
            }
            int kind = in.read();
            ResumeToken token = switch (kind) {
                case KIND_TABLE -> new ResumeToken.Table(readCursor(in));
                case KIND_ALL -> {
                    long maxTableId = in.readVarLong();
                    int n = bounded(in.readVarInt());
                    Map<Long, TableCursor> tables = new HashMap<>();
                    for (int i = 0; i < n; i++) {
                        TableCursor c = readCursor(in);
                        tables.put(c.tableId(), c);
                    }
                    yield new ResumeToken.AllTables(maxTableId, tables);
                }
                default -> throw new InvalidTokenException("malformed resume token: unknown kind " + kind);
            };
            if (in.hasRemaining()) {
                throw new InvalidTokenException("malformed resume token: trailing bytes");
            }
            return token;
        } catch (CorruptDataException e) {
            throw new InvalidTokenException("malformed resume token: " + e.getMessage());
        }
    }

    private static void writeCursor(ByteWriter out, TableCursor c) {
        out.writeVarLong(c.tableId()).writeVarLong(c.tableCreatedMillis()).writeVarInt(c.sequences().size());
        for (long s : c.sequences()) {
            out.writeVarLong(s);
        }
    }

    private static TableCursor readCursor(ByteReader in) {
        long tableId = in.readVarLong();
        long created = in.readVarLong();
        int n = bounded(in.readVarInt());
        long[] seqs = new long[n];
        for (int i = 0; i < n; i++) {
            seqs[i] = in.readVarLong();
            if (seqs[i] < 0) {
                throw new InvalidTokenException("malformed resume token: negative sequence");
            }
        }
        return TableCursor.of(tableId, created, seqs);
    }

    private static int bounded(int n) {
        if (n < 0 || n > MAX_ENTRIES) {
            throw new InvalidTokenException("malformed resume token: impossible size " + n);
        }
        return n;
    }

    private static String finish(ByteWriter out) {
        byte[] body = out.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(body);
        out.writeInt((int) crc.getValue());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
    }
}
