package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.StreamViewType;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.error.DynamoException;

/** UpdateTable: billing mode, provisioned throughput and the stream specification. */
final class UpdateTable implements Operation {
    private final Engine engine;

    UpdateTable(Engine engine) {
        this.engine = engine;
    }

    @Override
    public ObjectNode handle(Request request) {
        TableDefinition table = engine.catalog().requireTable(request.tableName());
        if (request.has("GlobalSecondaryIndexUpdates") || request.has("ReplicaUpdates")) {
            throw DynamoException.validation("Secondary indexes and replicas are not supported by JormunDB yet");
        }
        boolean billing = request.has("BillingMode") || request.has("ProvisionedThroughput");
        boolean stream = request.has("StreamSpecification");
        if (!billing && !stream && !request.has("SSESpecification") && !request.has("DeletionProtectionEnabled")
                && !request.has("TableClass")) {
            throw DynamoException.validation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                    + "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
        }
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
        updated = engine.catalog().update(updated);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("TableDescription", TableDescriptions.describe(updated, engine.writePath().stats(updated), "ACTIVE"));
        return out;
    }
}
