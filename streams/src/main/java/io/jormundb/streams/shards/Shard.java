package io.jormundb.streams.shards;

import io.jormundb.engine.changelog.Position;

/**
 * A shard as DescribeStream shows it.
 *
 * @param start where reading it from the start begins: the stream's start, or just after the
 *              last record trimmed from it
 * @param end   {@code null} while the shard is open; once its stream is disabled, its last
 *              record, or the position where it closed when it holds none
 */
public record Shard(ShardId id, Position start, Position end) {
}
