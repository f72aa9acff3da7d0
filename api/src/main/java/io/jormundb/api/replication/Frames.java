package io.jormundb.api.replication;

import io.jormundb.engine.changelog.CommitVersions;
import io.jormundb.engine.changelog.Position;
import io.jormundb.engine.replication.WalBatch;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * The framing of the replication streams, one place for both sides. Every frame is a type byte
 * and fixed big-endian fields ({@link DataOutputStream}):
 * <pre>
 * WAL stream (GET /replication/wal?from=N&amp;node=ID)
 *   'B' sequence(8) next(8) length(4) operations(length)   one batch of the leader's log
 *   'F' leaderNext(8) version(8) lastVersion(8) lastIndex(4) the leader's log end and commit frontier,
 *                                                            covered by every batch sent before it; also
 *                                                            ahead of a round's batches with the frontier
 *                                                            sent before (a hint of the log's end, for the lag)
 * checkpoint stream (GET /replication/checkpoint)
 *   'H' files(4) bytes(8)                                   what follows
 *   'P' path(modified UTF-8) length(8) content(length)      one file, path relative to the data directory
 *   'E' next(8) version(8) lastVersion(8) lastIndex(4) leader(modified UTF-8)
 *                                                           the checkpoint's place in the log of the leader (its node id)
 * </pre>
 */
final class Frames {
    static final int BATCH = 'B';
    static final int FRONTIER = 'F';
    static final int HEADER = 'H';
    static final int FILE = 'P';
    static final int END = 'E';

    private Frames() {
    }

    /** A frame of the WAL stream, as read. */
    sealed interface WalFrame {
        record Batch(WalBatch batch) implements WalFrame {
        }

        record Frontier(long leaderNext, CommitVersions.Frontier frontier) implements WalFrame {
        }
    }

    static void writeBatch(DataOutputStream out, WalBatch batch) throws IOException {
        out.writeByte(BATCH);
        out.writeLong(batch.sequence());
        out.writeLong(batch.next());
        out.writeInt(batch.operationBytes());
        out.write(batch.operations());
    }

    static void writeFrontier(DataOutputStream out, long leaderNext, CommitVersions.Frontier frontier)
            throws IOException {
        out.writeByte(FRONTIER);
        out.writeLong(leaderNext);
        writeFrontier(out, frontier);
    }

    static void writeEnd(DataOutputStream out, long next, CommitVersions.Frontier frontier, String leader)
            throws IOException {
        out.writeByte(END);
        out.writeLong(next);
        writeFrontier(out, frontier);
        out.writeUTF(leader);
    }

    private static void writeFrontier(DataOutputStream out, CommitVersions.Frontier frontier) throws IOException {
        out.writeLong(frontier.version());
        out.writeLong(frontier.lastEntry().version());
        out.writeInt(frontier.lastEntry().index());
    }

    static CommitVersions.Frontier readFrontier(DataInputStream in) throws IOException {
        long version = in.readLong();
        return new CommitVersions.Frontier(version, new Position(in.readLong(), in.readInt()));
    }

    /** Exactly {@code length} bytes. */
    static byte[] readFully(DataInputStream in, int length) throws IOException {
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    /** The next frame of a WAL stream. */
    static WalFrame readWalFrame(DataInputStream in) throws IOException {
        int type = in.read();
        return switch (type) {
            case BATCH -> {
                long sequence = in.readLong();
                long next = in.readLong();
                int length = in.readInt();
                if (length < 0) {
                    throw new IOException("a batch frame of negative length " + length);
                }
                yield new WalFrame.Batch(new WalBatch(sequence, next, readFully(in, length)));
            }
            case FRONTIER -> new WalFrame.Frontier(in.readLong(), readFrontier(in));
            case -1 -> throw new EOFException("the leader closed the replication stream");
            default -> throw new IOException("not a frame of the replication stream: type " + type);
        };
    }
}
