package io.jormundb.engine.replication;

import io.jormundb.engine.changelog.CommitVersions;
import io.jormundb.engine.changelog.Position;
import io.jormundb.engine.codec.ByteReader;
import io.jormundb.engine.codec.ByteWriter;
import io.jormundb.engine.store.Store;
import io.jormundb.engine.codec.Keys;

import java.nio.charset.StandardCharsets;

/**
 * A follower's place, kept in its node-local state ({@link Keys#following()}) and written in the
 * same RocksDB write as each batch it applies: {@code next} is the sequence number, in the log of
 * the leader whose node id is {@code leader}, of the next batch to apply ({@code 0}: none, copy a
 * checkpoint first); {@code frontier} the leader's commit frontier that every applied batch covers
 * (readers on the follower see up to it). Sequence numbers are one node's own, so a place is
 * valid only in the log of the leader it names.
 *
 * <p>Stored as {@code next(8) frontierVersion(8) lastEntryVersion(8) lastEntryIndex(4) leader(utf8)}.
 */
public record Following(long next, CommitVersions.Frontier frontier, String leader) {
    /** This place, moved to {@code next}. */
    public Following at(long nextSequence) {
        return new Following(nextSequence, frontier, leader);
    }

    /** This place, with the readers' frontier moved to {@code leaderFrontier}. */
    public Following seeing(CommitVersions.Frontier leaderFrontier) {
        return new Following(next, leaderFrontier, leader);
    }

    public byte[] encode() {
        return new ByteWriter(40).writeLong(next).writeLong(frontier.version())
                .writeLong(frontier.lastEntry().version()).writeInt(frontier.lastEntry().index())
                .write(leader.getBytes(StandardCharsets.UTF_8)).toByteArray();
    }

    public static Following decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        long next = r.readLong();
        long version = r.readLong();
        CommitVersions.Frontier frontier = new CommitVersions.Frontier(version, new Position(r.readLong(),
                r.readInt()));
        return new Following(next, frontier, new String(bytes, r.position(), bytes.length - r.position(),
                StandardCharsets.UTF_8));
    }

    /** The place recorded in {@code store}, or {@code null} when it follows no leader (yet). */
    public static Following of(Store store) {
        byte[] value = store.get(Keys.following());
        return value == null ? null : decode(value);
    }
}
