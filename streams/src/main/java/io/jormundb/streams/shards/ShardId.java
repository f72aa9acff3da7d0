package io.jormundb.streams.shards;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A shard of a stream: one changelog partition of the table while the stream is enabled. Its
 * text, {@code shardId-<20 digits: when the stream was enabled>-<8 digits: the partition>}
 * ({@code shardId-00000001700000000123-00000002}, 37 characters, within DynamoDB's 28 to 65),
 * is the same for every reader and every call, and the shards of a stream sort by partition as
 * text (as Kinesis clients expect).
 */
public record ShardId(long streamMillis, int partition) {
    private static final Pattern TEXT = Pattern.compile("shardId-(\\d{20})-(\\d{8})");

    public ShardId {
        if (streamMillis < 0 || partition < 0) {
            throw new IllegalArgumentException("no such shard: " + streamMillis + ", " + partition);
        }
    }

    /** The shard {@code text} names, if it is a shard id at all. */
    static Optional<ShardId> parse(String text) {
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ShardId(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return String.format("shardId-%020d-%08d", streamMillis, partition);
    }
}
