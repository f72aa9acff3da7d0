package io.jormundb.engine.catalog;

import io.jormundb.engine.changelog.Position;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A table as the catalog keeps it. {@code id} is the table's incarnation: assigned once, never
 * reused, so a table deleted and created again under the same name is a different table (its
 * items, changelog and resume tokens do not carry over). {@code changelogPartitions} is fixed at
 * creation.
 *
 * @param streams    the table's DynamoDB Streams, oldest first: every one enabled and not yet
 *                   forgotten (see {@link TableStream}); only the last may still be enabled, and
 *                   their enabling times increase
 * @param indexes    the local and global secondary indexes, local ones first, each kind in
 *                   creation order
 * @param timeToLive the TTL setting, or {@code null} when TTL is disabled
 */
public record TableDefinition(
        String name,
        long id,
        String uuid,
        long creationTimeMillis,
        KeyAttribute hashKey,
        KeyAttribute rangeKey,
        Map<String, String> attributeDefinitions,
        BillingMode billingMode,
        long readCapacityUnits,
        long writeCapacityUnits,
        int changelogPartitions,
        List<TableStream> streams,
        List<Tag> tags,
        List<SecondaryIndex> indexes,
        TimeToLive timeToLive,
        boolean deletionProtection,
        TableClass tableClass) {

    public TableDefinition {
        attributeDefinitions = Map.copyOf(attributeDefinitions);
        streams = List.copyOf(streams);
        tags = List.copyOf(tags);
        indexes = List.copyOf(indexes);
        tableClass = tableClass == null ? TableClass.STANDARD : tableClass;
        if (changelogPartitions < 1) {
            throw new IllegalArgumentException("changelog partitions must be at least 1");
        }
        for (int i = 1; i < streams.size(); i++) {
            if (streams.get(i - 1).isEnabled() || streams.get(i).enabledMillis() <= streams.get(i - 1).enabledMillis()) {
                throw new IllegalArgumentException("only the last stream of a table may be enabled, and streams are "
                        + "enabled one after the other");
            }
        }
    }

    public Optional<KeyAttribute> sortKey() {
        return Optional.ofNullable(rangeKey);
    }

    /** The key attributes, partition key first. */
    public List<KeyAttribute> keyAttributes() {
        return rangeKey == null ? List.of(hashKey) : List.of(hashKey, rangeKey);
    }

    /** The key attribute names, partition key first. */
    public List<String> keyAttributeNames() {
        return rangeKey == null ? List.of(hashKey.name()) : List.of(hashKey.name(), rangeKey.name());
    }

    /** The enabled stream, if the table has one. */
    public Optional<TableStream> enabledStream() {
        return latestStream().filter(TableStream::isEnabled);
    }

    /** The most recently enabled stream, enabled or not (DescribeTable's LatestStreamArn). */
    public Optional<TableStream> latestStream() {
        return streams.isEmpty() ? Optional.empty() : Optional.of(streams.getLast());
    }

    public boolean streamEnabled() {
        return enabledStream().isPresent();
    }

    /**
     * This table with another billing mode and throughput. On demand, its global indexes have no
     * throughput of their own either (0, as DynamoDB describes them); a switch to provisioned
     * leaves theirs at 0 until they are given some (UpdateTable refuses a switch that does not).
     */
    public TableDefinition withBilling(BillingMode mode, long read, long write) {
        List<SecondaryIndex> newIndexes = mode == BillingMode.PROVISIONED ? indexes
                : indexes.stream().map(i -> i.global() ? i.withThroughput(0, 0) : i).toList();
        return new TableDefinition(name, id, uuid, creationTimeMillis, hashKey, rangeKey, attributeDefinitions,
                mode, read, write, changelogPartitions, streams, tags, newIndexes, timeToLive, deletionProtection,
                tableClass);
    }

    /** This table with a new, enabled stream at the end of its streams. */
    public TableDefinition withStreamEnabled(TableStream stream) {
        if (streamEnabled() || !stream.isEnabled()) {
            throw new IllegalStateException("table " + name + " has an enabled stream already");
        }
        List<TableStream> more = new ArrayList<>(streams);
        more.add(stream);
        return withStreams(more);
    }

    /** This table with its enabled stream (if any) disabled at {@code at}. */
    public TableDefinition withStreamDisabled(long millis, Position at) {
        if (!streamEnabled()) {
            return this;
        }
        List<TableStream> closed = new ArrayList<>(streams);
        closed.set(closed.size() - 1, streams.getLast().disabled(millis, at));
        return withStreams(closed);
    }

    /** This table without the streams disabled before {@code millis} (their retention is over). */
    public TableDefinition withoutStreamsDisabledBefore(long millis) {
        return withStreams(streams.stream().filter(s -> s.isEnabled() || s.disabledMillis() >= millis).toList());
    }

    private TableDefinition withStreams(List<TableStream> newStreams) {
        return new TableDefinition(name, id, uuid, creationTimeMillis, hashKey, rangeKey, attributeDefinitions,
                billingMode, readCapacityUnits, writeCapacityUnits, changelogPartitions, newStreams, tags, indexes,
                timeToLive, deletionProtection, tableClass);
    }

    public TableDefinition withTags(List<Tag> newTags) {
        return new TableDefinition(name, id, uuid, creationTimeMillis, hashKey, rangeKey, attributeDefinitions,
                billingMode, readCapacityUnits, writeCapacityUnits, changelogPartitions, streams, newTags, indexes,
                timeToLive, deletionProtection, tableClass);
    }

    /** The table's primary key as a {@link KeySchema}. */
    public KeySchema keySchema() {
        return KeySchema.of(hashKey, rangeKey);
    }

    /** The secondary index named {@code indexName}, if the table has one. */
    public Optional<SecondaryIndex> index(String indexName) {
        return indexes.stream().filter(i -> i.name().equals(indexName)).findFirst();
    }

    /** The secondary index with id {@code indexId}, if the table has one. */
    public Optional<SecondaryIndex> index(int indexId) {
        return indexes.stream().filter(i -> i.id() == indexId).findFirst();
    }

    /**
     * This definition with {@code newIndexes} and {@code newAttributeDefinitions} (the key
     * attributes of the table and of every index).
     */
    public TableDefinition withIndexes(List<SecondaryIndex> newIndexes, Map<String, String> newAttributeDefinitions) {
        return new TableDefinition(name, id, uuid, creationTimeMillis, hashKey, rangeKey, newAttributeDefinitions,
                billingMode, readCapacityUnits, writeCapacityUnits, changelogPartitions, streams, tags,
                newIndexes, timeToLive, deletionProtection, tableClass);
    }

    public TableDefinition withTimeToLive(TimeToLive newTimeToLive) {
        return new TableDefinition(name, id, uuid, creationTimeMillis, hashKey, rangeKey, attributeDefinitions,
                billingMode, readCapacityUnits, writeCapacityUnits, changelogPartitions, streams, tags,
                indexes, newTimeToLive, deletionProtection, tableClass);
    }

    /** This table with deletion protection on or off and of {@code newClass}. */
    public TableDefinition withSettings(boolean protect, TableClass newClass) {
        return new TableDefinition(name, id, uuid, creationTimeMillis, hashKey, rangeKey, attributeDefinitions,
                billingMode, readCapacityUnits, writeCapacityUnits, changelogPartitions, streams, tags,
                indexes, timeToLive, protect, newClass);
    }

    /** A resource tag. */
    public record Tag(String key, String value) {
    }
}
