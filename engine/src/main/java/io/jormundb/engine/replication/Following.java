package io.jormundb.engine.replication;

import io.jormundb.engine.changelog.CommitVersions;
import io.jormundb.engine.changelog.Position;
import io.jormundb.engine.codec.ByteReader;
import io.jormundb.engine.codec.ByteWriter;
import io.jormundb.engine.store.Store;
import io.jormundb.engine.codec.Keys;

/**
 * A follower's place, kept in its node-local state ({@link Keys#following()}) and written in the
 * same RocksDB write as each batch it applies: {@code next} is the leader's sequence number of
 * the next batch to apply, {@code frontier} the leader's commit frontier that every applied
 * batch up to {@code next} covers (readers on the follower see up to it).
 *
 * <p>Stored as {@code next(8) frontierVersion(8) lastEntryVersion(8) lastEntryIndex(4)}.
 */
public record Following(long next, CommitVersions.Frontier frontier) {
    public byte[] encode() {
        return new ByteWriter(28).writeLong(next).writeLong(frontier.version())
                .writeLong(frontier.lastEntry().version()).writeInt(frontier.lastEntry().index()).toByteArray();
    }

    public static Following decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        long next = r.readLong();
        long version = r.readLong();
        return new Following(next, new CommitVersions.Frontier(version, new Position(r.readLong(), r.readInt())));
    }

    /** The place recorded in {@code store}, or {@code null} when it follows no leader (yet). */
    public static Following of(Store store) {
        byte[] value = store.get(Keys.following());
        return value == null ? null : decode(value);
    }
}
