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
        List<Tag> tags) {

    public TableDefinition {
        attributeDefinitions = Map.copyOf(attributeDefinitions);
        tags = List.copyOf(tags);
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
                mode, read, write, changelogPartitions, streamViewType, streamEnabledTimeMillis, tags);
    }

    public TableDefinition withStream(StreamViewType viewType, long enabledAtMillis) {
        return new TableDefinition(name, id, uuid, creationTimeMillis, hashKey, rangeKey, attributeDefinitions,
                billingMode, readCapacityUnits, writeCapacityUnits, changelogPartitions, viewType, enabledAtMillis,
                tags);
    }

    public TableDefinition withTags(List<Tag> newTags) {
        return new TableDefinition(name, id, uuid, creationTimeMillis, hashKey, rangeKey, attributeDefinitions,
                billingMode, readCapacityUnits, writeCapacityUnits, changelogPartitions, streamViewType,
                streamEnabledTimeMillis, newTags);
    }

    /** A resource tag. */
    public record Tag(String key, String value) {
    }
}
