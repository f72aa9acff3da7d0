package io.jormundb.engine.catalog;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A local or global secondary index of a table. {@code id} names its entries in the INDEX
 * keyspace; ids come from one server-wide counter and are never reused, so a deleted index's
 * entries can never be mistaken for those of a new index of the same name.
 *
 * @param readCapacityUnits  provisioned throughput of a global index of a PROVISIONED table, else 0
 * @param writeCapacityUnits the same for writes
 */
public record SecondaryIndex(
        String name,
        int id,
        IndexKind kind,
        KeySchema keySchema,
        IndexProjection projection,
        IndexStatus status,
        long readCapacityUnits,
        long writeCapacityUnits) {

    public SecondaryIndex {
        if (kind == IndexKind.LOCAL && (keySchema.hash().size() != 1 || keySchema.range().size() != 1)) {
            throw new IllegalArgumentException("a local index has one partition and one sort key attribute");
        }
    }

    public boolean global() {
        return kind == IndexKind.GLOBAL;
    }

    /** Whether it is still being backfilled (and so not readable yet). */
    public boolean backfilling() {
        return status == IndexStatus.CREATING;
    }

    /**
     * The attribute names every entry of this index holds whatever its projection: the table's key
     * attributes, then the index's own.
     */
    public Set<String> keyAttributes(TableDefinition table) {
        Set<String> names = new LinkedHashSet<>(table.keyAttributeNames());
        names.addAll(keySchema.names());
        return names;
    }

    public SecondaryIndex withStatus(IndexStatus newStatus) {
        return new SecondaryIndex(name, id, kind, keySchema, projection, newStatus, readCapacityUnits,
                writeCapacityUnits);
    }

    public SecondaryIndex withThroughput(long read, long write) {
        return new SecondaryIndex(name, id, kind, keySchema, projection, status, read, write);
    }
}
