package io.jormundb.engine.catalog;

import java.util.List;

/**
 * A secondary index as CreateTable (LocalSecondaryIndexes, GlobalSecondaryIndexes) or an
 * UpdateTable GlobalSecondaryIndexUpdates Create asks for it, before the catalog has validated
 * it. The api has checked the shape (required members, enums, name pattern); everything DynamoDB
 * checks against the table is left to the catalog.
 *
 * @param path               where the index stands in the request, for messages
 *                           ({@code globalSecondaryIndexes.1.member})
 * @param keySchema          key elements in request order
 * @param projectionType     {@code null} when the Projection names none
 * @param nonKeyAttributes   {@code null} when not given
 * @param readCapacityUnits  {@code null} when the index has no ProvisionedThroughput
 * @param writeCapacityUnits {@code null} when the index has no ProvisionedThroughput
 */
public record IndexSpec(
        String path,
        String name,
        List<TableSpec.KeyElement> keySchema,
        ProjectionType projectionType,
        List<String> nonKeyAttributes,
        Long readCapacityUnits,
        Long writeCapacityUnits) {

    public IndexSpec {
        keySchema = List.copyOf(keySchema);
        nonKeyAttributes = nonKeyAttributes == null ? null : List.copyOf(nonKeyAttributes);
    }

    public boolean hasThroughput() {
        return readCapacityUnits != null || writeCapacityUnits != null;
    }
}
