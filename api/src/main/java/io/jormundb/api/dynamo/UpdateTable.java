package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.SecondaryIndex;
import io.jormundb.engine.catalog.StreamViewType;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.error.DynamoException;

import java.util.List;

/**
 * UpdateTable: billing mode, provisioned throughput, the stream specification and global
 * secondary indexes ({@link GlobalIndexUpdates}).
 */
final class UpdateTable implements Operation {
    private final Engine engine;

    UpdateTable(Engine engine) {
        this.engine = engine;
    }

    @Override
    public ObjectNode handle(Request request) {
        TableDefinition table = engine.catalog().requireTable(request.tableName());
        if (request.has("ReplicaUpdates")) {
            throw DynamoException.validation("Replicas are not supported by JormunDB yet");
        }
        GlobalIndexUpdates indexUpdates = GlobalIndexUpdates.of(request);
        boolean billing = request.has("BillingMode") || request.has("ProvisionedThroughput");
        boolean stream = request.has("StreamSpecification");
        boolean other = billing || stream || request.has("SSESpecification") || request.has("DeletionProtectionEnabled")
                || request.has("TableClass");
        if (!other && indexUpdates == null) {
            throw DynamoException.validation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                    + "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
        }
        checkIndexUpdatesAlone(request, indexUpdates, other);
        TableDefinition updated = table;
        if (billing) {
            CreateTable.Throughput t = CreateTable.Throughput.of(request, table);
            updated = updated.withBilling(t.mode(), t.read(), t.write());
        }
        if (stream) {
            StreamViewType view = Streams.viewType(request, true);
            if (view != null && table.streamEnabled()) {
                throw DynamoException.validation("Table already has an enabled stream: " + TableDescriptions.streamArn(table));
            }
            if (view == null && !table.streamEnabled()) {
                throw DynamoException.validation("Table does not have a stream to disable");
            }
            updated = updated.withStream(view, view == null ? 0 : engine.clock().millis());
        }
        List<SecondaryIndex> deleted = indexUpdates == null ? List.of() : indexUpdates.apply(engine, table);
        if (other) {
            updated = engine.catalog().update(updated);
        }
        updated = engine.catalog().requireTable(updated.name());
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ObjectNode description = TableDescriptions.describe(updated, engine.writePath().stats(updated), "ACTIVE");
        GlobalIndexUpdates.describeDeleted(description, updated, deleted);
        out.set("TableDescription", description);
        return out;
    }

    /**
     * An index is created or deleted on its own (DynamoDB allows a billing mode change beside
     * it); an empty GlobalSecondaryIndexUpdates beside another change is refused.
     */
    private static void checkIndexUpdatesAlone(Request request, GlobalIndexUpdates indexUpdates, boolean other) {
        if (other && GlobalIndexUpdates.empty(request)) {
            throw DynamoException.validation(
                    "One or more parameter values were invalid: List of GlobalSecondaryIndexUpdates is empty");
        }
        if (indexUpdates == null || !indexUpdates.createsOrDeletes()) {
            return;
        }
        if (request.has("ProvisionedThroughput")) {
            throw DynamoException.validation("One or more parameter values were invalid: You cannot create or delete "
                    + "index while updating table IOPS");
        }
        if (request.has("StreamSpecification")) {
            throw DynamoException.validation("One or more parameter values were invalid: You cannot create or delete "
                    + "index while changing stream status");
        }
    }
}
