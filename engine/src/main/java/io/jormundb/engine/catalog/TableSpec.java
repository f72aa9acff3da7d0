package io.jormundb.engine.catalog;

import java.util.List;

/**
 * What CreateTable asks for, before the catalog has validated it and given it an identity.
 *
 * @param keySchema           key elements in request order: (attribute name, HASH or RANGE)
 * @param attributeDefinitions (attribute name, S/N/B) in request order, duplicates kept for checking
 * @param changelogPartitions {@code 0} for the server's default
 * @param localSecondaryIndexes  {@code null} when the request has none (an empty list is an error)
 * @param globalSecondaryIndexes {@code null} when the request has none (an empty list is an error)
 */
public record TableSpec(
        String name,
        List<KeyElement> keySchema,
        List<AttributeDefinition> attributeDefinitions,
        BillingMode billingMode,
        long readCapacityUnits,
        long writeCapacityUnits,
        StreamViewType streamViewType,
        List<TableDefinition.Tag> tags,
        int changelogPartitions,
        List<IndexSpec> localSecondaryIndexes,
        List<IndexSpec> globalSecondaryIndexes,
        boolean deletionProtection,
        TableClass tableClass) {

    public TableSpec {
        keySchema = List.copyOf(keySchema);
        attributeDefinitions = List.copyOf(attributeDefinitions);
        tags = List.copyOf(tags);
        localSecondaryIndexes = localSecondaryIndexes == null ? null : List.copyOf(localSecondaryIndexes);
        globalSecondaryIndexes = globalSecondaryIndexes == null ? null : List.copyOf(globalSecondaryIndexes);
    }

    /** Whether the request names secondary indexes at all (which changes some of DynamoDB's messages). */
    public boolean hasIndexes() {
        return localSecondaryIndexes != null || globalSecondaryIndexes != null;
    }

    /** One KeySchema element. */
    public record KeyElement(String attributeName, String keyType) {
    }

    /** One AttributeDefinitions element. */
    public record AttributeDefinition(String attributeName, String attributeType) {
    }
}
