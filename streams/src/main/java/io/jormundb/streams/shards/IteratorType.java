package io.jormundb.streams.shards;

/** Where a new shard iterator starts (GetShardIterator's ShardIteratorType). */
public enum IteratorType {
    /** At the oldest record of the shard still kept. */
    TRIM_HORIZON,
    /** Just after the newest record of the shard: only what comes next. */
    LATEST,
    /** At the record of a sequence number. */
    AT_SEQUENCE_NUMBER,
    /** Just after the record of a sequence number. */
    AFTER_SEQUENCE_NUMBER
}
