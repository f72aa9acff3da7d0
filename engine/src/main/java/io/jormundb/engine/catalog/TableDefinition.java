package io.jormundb.engine.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A table as the catalog keeps it. {@code id} is the table's incarnation: assigned once, never
 * reused, so a table deleted and created again under the same name is a different table (its
 * items, changelog and resume tokens do not carry over). {@code changelogPartitions} is fixed at
 * creation.
 *
 * @param streamViewType the Streams API view, or {@code null} when the table's stream is off
 * @param indexes        the local and global secondary indexes, local ones first, each kind in
 *                       creation order
 * @param timeToLive     the TTL setting, or {@code null} when TTL is disabled
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
        StreamViewType streamViewType,
        long streamEnabledTimeMillis,
        List<Tag> tags,
        List<SecondaryIndex> indexes,
        TimeToLive timeToLive) {

    public TableDefinition {
        attributeDefinitions = Map.copyOf(attributeDefinitions);
        tags = List.copyOf(tags);
        indexes = List.copyOf(indexes);
        if (changelogPartitions < 1) {
            throw new IllegalArgumentException("changelog partitions must be at least 1");
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

    public boolean isKeyAttribute(String attributeName) {
        return hashKey.name().equals(attributeName) || (rangeKey != null && rangeKey.name().equals(attributeName));
    }

    public boolean streamEnabled() {
        return streamViewType != null;
    }

    public TableDefinition withBilling(BillingMode mode, long read, long write) {
        return new TableDefinition(name, id, uuid, creationTimeMillis, hashKey, rangeKey, attributeDefinitions,
                mode, read, write, changelogPartitions, streamViewType, streamEnabledTimeMillis, tags, indexes,
                timeToLive);
    }

    public TableDefinition withStream(StreamViewType viewType, long enabledAtMillis) {
        return new TableDefinition(name, id, uuid, creationTimeMillis, hashKey, rangeKey, attributeDefinitions,
                billingMode, readCapacityUnits, writeCapacityUnits, changelogPartitions, viewType, enabledAtMillis,
                tags, indexes, timeToLive);
    }

    public TableDefinition withTags(List<Tag> newTags) {
        return new TableDefinition(name, id, uuid, creationTimeMillis, hashKey, rangeKey, attributeDefinitions,
                billingMode, readCapacityUnits, writeCapacityUnits, changelogPartitions, streamViewType,
                streamEnabledTimeMillis, newTags, indexes, timeToLive);
    }

    // Secondary indexes and TTL (issue 12).

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
                billingMode, readCapacityUnits, writeCapacityUnits, changelogPartitions, streamViewType,
                streamEnabledTimeMillis, tags, newIndexes, timeToLive);
    }

    public TableDefinition withTimeToLive(TimeToLive newTimeToLive) {
        return new TableDefinition(name, id, uuid, creationTimeMillis, hashKey, rangeKey, attributeDefinitions,
                billingMode, readCapacityUnits, writeCapacityUnits, changelogPartitions, streamViewType,
                streamEnabledTimeMillis, tags, indexes, newTimeToLive);
    }

    /** A resource tag. */
    public record Tag(String key, String value) {
    }
}
