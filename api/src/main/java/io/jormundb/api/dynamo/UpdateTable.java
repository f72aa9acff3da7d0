package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.BillingMode;
import io.jormundb.engine.catalog.SecondaryIndex;
import io.jormundb.engine.catalog.StreamViewType;
import io.jormundb.engine.catalog.TableClass;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.catalog.TableStream;
import io.jormundb.engine.changelog.Position;
import io.jormundb.engine.error.DynamoException;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * UpdateTable: billing mode, provisioned throughput, the stream specification and global
 * secondary indexes ({@link GlobalIndexUpdates}). Enabling or disabling the stream happens at a
 * commit boundary of the table (WritePath#changeStream), and forgets the table's streams disabled
 * longer than the retention ago.
 */
final class UpdateTable implements Operation {
    private final Engine engine;
    private final Duration retention;

    UpdateTable(Engine engine, Duration retention) {
        this.engine = engine;
        this.retention = retention;
    }

    /**
     * Held while a request is checked and applied: what was checked is still true when applied, so
     * a refused request changes nothing and an accepted one is applied whole.
     */
    private final Object changes = new Object();

    @Override
    public ObjectNode handle(Request request) {
        synchronized (changes) {
            return change(request);
        }
    }

    private ObjectNode change(Request request) {
        String name = request.tableName();
        // Members read only with others present are still of their type, as DynamoDB's parser demands.
        request.list("AttributeDefinitions");
        request.list("GlobalSecondaryIndexUpdates");
        new KeyNameLengths().names(request.body(), "AttributeDefinitions", "attributeDefinitions")
                .indexes(request.body(), "GlobalSecondaryIndexUpdates", "globalSecondaryIndexUpdates", "Create")
                .check();
        TableDefinition table = engine.catalog().requireTable(name);
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
        TableClass tableClass = CreateTable.tableClass(request);
        boolean protect = request.bool("DeletionProtectionEnabled", false);
        if (stream && (request.has("ProvisionedThroughput") || "PROVISIONED".equals(request.string("BillingMode")))) {
            throw DynamoException.validation("You cannot modify stream status while updating table IOPS");
        }
        CreateTable.Throughput throughput = billing ? CreateTable.Throughput.of(request, table) : null;
        if (request.has("ProvisionedThroughput") && table.billingMode() == BillingMode.PROVISIONED
                && throughput.mode() == BillingMode.PROVISIONED) {
            checkChanges("the table", "the table", table.readCapacityUnits(), table.writeCapacityUnits(),
                    throughput.read(), throughput.write());
        }
        UnaryOperator<TableDefinition> withBilling = t -> throughput == null ? t
                : t.withBilling(throughput.mode(), throughput.read(), throughput.write());
        boolean settings = request.has("DeletionProtectionEnabled") || tableClass != null;
        UnaryOperator<TableDefinition> withSettings = t -> !settings ? t : t.withSettings(
                request.has("DeletionProtectionEnabled") ? protect : t.deletionProtection(),
                tableClass == null ? t.tableClass() : tableClass);
        StreamViewType view = stream ? Streams.viewType(request, true) : null;
        // The whole request is checked before any of it is applied: a refused one changes nothing.
        if (stream) {
            checkStreamChange(table, view);
        }
        TableDefinition planned = withSettings.apply(withBilling.apply(table));
        if (indexUpdates != null) {
            planned = indexUpdates.planned(planned);
        }
        checkGlobalIndexThroughput(table, planned);
        TableDefinition updated;
        if (stream) {
            updated = engine.writePath().changeStream(table,
                    (current, at) -> withStream(withBilling.apply(current), view, at));
        } else if (billing) {
            updated = engine.catalog().update(table, withBilling);
        } else {
            updated = table;
        }
        if (settings) {
            updated = engine.catalog().update(updated, withSettings);
        }
        List<SecondaryIndex> deleted = indexUpdates == null ? List.of() : indexUpdates.apply(engine, updated);
        updated = engine.catalog().requireTable(updated.name());
        ObjectNode description = TableDescriptions.describe(updated, engine.writePath().stats(updated), "ACTIVE",
                request.region());
        GlobalIndexUpdates.describeDeleted(description, updated, deleted, request.region());
        ObjectNode out = JsonNodeFactory.instance.objectNode();
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

    /**
     * DynamoDB refuses a ProvisionedThroughput equal to the current one ({@code what}: "the table",
     * "the index i"; {@code of}: "the table", "index i").
     */
    static void checkChanges(String what, String of, long read, long write, long newRead, long newWrite) {
        if (read == newRead && write == newWrite) {
            throw DynamoException.validation("The provisioned throughput for " + what + " will not change. The "
                    + "requested value equals the current value. Current ReadCapacityUnits provisioned for " + of + ": "
                    + read + ". Requested ReadCapacityUnits: " + newRead + ". Current WriteCapacityUnits provisioned for "
                    + of + ": " + write + ". Requested WriteCapacityUnits: " + newWrite + ". Refer to the Amazon "
                    + "DynamoDB Developer Guide for current limits and how to request higher limits.");
        }
    }

    /**
     * A table switched from on-demand to provisioned capacity gets throughput for each of its global
     * indexes in the same request (GlobalSecondaryIndexUpdates Update), as DynamoDB demands.
     */
    private static void checkGlobalIndexThroughput(TableDefinition table, TableDefinition planned) {
        if (table.billingMode() != BillingMode.PAY_PER_REQUEST || planned.billingMode() != BillingMode.PROVISIONED) {
            return;
        }
        for (SecondaryIndex index : planned.indexes()) {
            if (index.global() && index.readCapacityUnits() == 0) {
                throw DynamoException.validation("One or more parameter values were invalid: ProvisionedThroughput "
                        + "must be specified for index: " + index.name());
            }
        }
    }

    /** Refuses to enable ({@code view} not null) a stream that is enabled, or to disable one that is not. */
    private static void checkStreamChange(TableDefinition table, StreamViewType view) {
        if (view != null && table.streamEnabled()) {
            throw DynamoException.validation("Table already has an enabled stream: TableName: " + table.name());
        }
        if (view == null && !table.streamEnabled()) {
            throw DynamoException.validation("Table has no stream to disable: TableName: " + table.name());
        }
    }

    /** {@code table} with a new stream of {@code view} enabled at {@code at}, or ({@code null}) its stream disabled there. */
    private TableDefinition withStream(TableDefinition table, StreamViewType view, Position at) {
        checkStreamChange(table, view);
        long now = engine.clock().millis();
        TableDefinition kept = table.withoutStreamsDisabledBefore(now - retention.toMillis());
        return view == null ? kept.withStreamDisabled(now, at)
                : kept.withStreamEnabled(TableStream.enabled(view, engine.catalog().streamMillis(table.name(), now), at));
    }
}
