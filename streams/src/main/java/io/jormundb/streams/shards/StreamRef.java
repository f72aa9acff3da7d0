package io.jormundb.streams.shards;

import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.catalog.TableStream;

/**
 * One stream of one table incarnation (live, or deleted and retired while its changelog is
 * kept), as the Streams API finds it.
 */
public record StreamRef(TableDefinition table, TableStream stream) {
    public String label() {
        return StreamArn.label(stream.enabledMillis());
    }

    public StreamArn arn(String region) {
        return StreamArn.of(region, table.name(), stream.enabledMillis());
    }

    /** The shard of changelog partition {@code partition}. */
    public ShardId shard(int partition) {
        return new ShardId(stream.enabledMillis(), partition);
    }
}
