package io.jormundb.engine.catalog;

import java.util.List;

/**
 * What CreateTable asks for, before the catalog has validated it and given it an identity.
 *
 * @param keySchema           key elements in request order: (attribute name, HASH or RANGE)
 * @param attributeDefinitions (attribute name, S/N/B) in request order, duplicates kept for checking
 * @param changelogPartitions {@code 0} for the server's default
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
        int changelogPartitions) {

    public TableSpec {
        keySchema = List.copyOf(keySchema);
        attributeDefinitions = List.copyOf(attributeDefinitions);
        tags = List.copyOf(tags);
    }

    /** One KeySchema element. */
    public record KeyElement(String attributeName, String keyType) {
    }

    /** One AttributeDefinitions element. */
    public record AttributeDefinition(String attributeName, String attributeType) {
    }
}
