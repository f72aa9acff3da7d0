package io.jormundb.streams.token;

import io.jormundb.engine.changelog.Position;
import io.jormundb.engine.codec.ByteReader;
import io.jormundb.engine.codec.ByteWriter;
import io.jormundb.engine.codec.CorruptDataException;

/**
 * The text form of resume tokens: {@link CheckedText} of
 * <pre>
 *   VERSION(1) kind(1) varint(version) varint(index) [varint(tableId) varint(tableCreatedMillis)] CRC32C(4)
 * </pre>
 * where the table part is present for kind TABLE only. The largest token (every number at its
 * maximum) is 36 bytes, 48 characters, so a token stays under {@link #MAX_LENGTH} whatever the
 * number of tables or partitions. The checksum makes a truncated or edited token fail as
 * "tampered" instead of pointing somewhere else, and only the one canonical text of a token is
 * accepted (no padding, zero unused bits, shortest varints): decoding re-encodes and compares.
 * Decoding never throws anything but {@link InvalidTokenException}.
 */
public final class TokenCodec {
    /** No token is longer than this many characters. */
    public static final int MAX_LENGTH = 64;
    private static final int VERSION = 2;
    private static final int KIND_ALL = 1;
    private static final int KIND_TABLE = 2;

    private TokenCodec() {
    }

    public static String encode(ResumeToken token) {
        ByteWriter out = new ByteWriter(48).write(VERSION);
        switch (token) {
            case ResumeToken.AllTables all -> writePosition(out.write(KIND_ALL), all.position());
            case ResumeToken.Table t -> writePosition(out.write(KIND_TABLE), t.position())
                    .writeVarLong(t.tableId()).writeVarLong(t.tableCreatedMillis());
        }
        return CheckedText.encode(out);
    }

    public static ResumeToken decode(String text) {
        if (text == null) {
            throw new InvalidTokenException("missing resume token");
        }
        byte[] body;
        try {
            body = CheckedText.decode(text, MAX_LENGTH, 2);
        } catch (CheckedText.MalformedException e) {
            throw new InvalidTokenException(e.checksumMismatch()
                    ? "resume token was altered or truncated (checksum mismatch)"
                    : "malformed resume token: " + e.getMessage());
        }
        ResumeToken token;
        try {
            ByteReader in = new ByteReader(body);
            int version = in.read();
            if (version != VERSION) {
                throw new InvalidTokenException("resume token has format version " + version + "; this server reads "
                        + VERSION + " (tokens of an earlier JormunDB are not accepted)");
            }
            int kind = in.read();
            token = switch (kind) {
                case KIND_ALL -> new ResumeToken.AllTables(readPosition(in));
                case KIND_TABLE -> {
                    Position position = readPosition(in);
                    yield new ResumeToken.Table(nonNegative(in.readVarLong()), nonNegative(in.readVarLong()), position);
                }
                default -> throw new InvalidTokenException("malformed resume token: unknown kind " + kind);
            };
            if (in.hasRemaining()) {
                throw new InvalidTokenException("malformed resume token: trailing bytes");
            }
        } catch (CorruptDataException e) {
            throw new InvalidTokenException("malformed resume token: " + e.getMessage());
        }
        // The base64 decoder ignores unused low bits and accepts padding, and a varint may be
        // written longer than needed: only the one text encode() gives is a token.
        if (!encode(token).equals(text)) {
            throw new InvalidTokenException("malformed resume token: not in canonical form");
        }
        return token;
    }

    private static ByteWriter writePosition(ByteWriter out, Position p) {
        return out.writeVarLong(p.version()).writeVarInt(p.index());
    }

    private static Position readPosition(ByteReader in) {
        long version = nonNegative(in.readVarLong());
        int index = in.readVarInt();
        if (index > Position.MAX_INDEX) {
            throw new InvalidTokenException("malformed resume token: no such position");
        }
        return new Position(version, index);
    }

    private static long nonNegative(long value) {
        if (value < 0) {
            throw new InvalidTokenException("malformed resume token: number out of range");
        }
        return value;
    }
}
