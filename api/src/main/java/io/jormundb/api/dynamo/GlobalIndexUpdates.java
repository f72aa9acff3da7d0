package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.BillingMode;
import io.jormundb.engine.catalog.IndexSpec;
import io.jormundb.engine.catalog.IndexStatus;
import io.jormundb.engine.catalog.SecondaryIndex;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.error.ErrorCode;
import io.jormundb.engine.indexing.Indexing;
import io.jormundb.engine.write.Counts;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * UpdateTable's GlobalSecondaryIndexUpdates: Create (backfilled in the background), Delete and
 * Update (provisioned throughput), read and checked as DynamoDB does, one index created or deleted
 * a call. A deleted index is gone at once; the answer still shows it DELETING, as DynamoDB's does.
 */
final class GlobalIndexUpdates {
    private static final String INVALID = "One or more parameter values were invalid: ";

    /** One action on one index. */
    private sealed interface Action {
        String indexName();
    }

    private record Create(IndexSpec spec) implements Action {
        @Override
        public String indexName() {
            return spec.name();
        }
    }

    private record Delete(String indexName) implements Action {
    }

    private record Update(String indexName, long read, long write) implements Action {
    }

    private final List<Action> actions;
    private final Map<String, String> attributeDefinitions;

    private GlobalIndexUpdates(List<Action> actions, Map<String, String> attributeDefinitions) {
        this.actions = actions;
        this.attributeDefinitions = attributeDefinitions;
    }

    /** The request's updates, or {@code null} when it has none (absent, or an empty list). */
    static GlobalIndexUpdates of(Request request) {
        List<JsonNode> updates = request.list("GlobalSecondaryIndexUpdates");
        if (updates == null || updates.isEmpty()) {
            return null;
        }
        List<Action> actions = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < updates.size(); i++) {
            Action action = action(new Request(updates.get(i)), "globalSecondaryIndexUpdates." + (i + 1) + ".member");
            if (!names.add(action.indexName())) {
                throw DynamoException.validation(INVALID + "Only one global secondary index update per index is "
                        + "allowed simultaneously. Index: " + action.indexName());
            }
            actions.add(action);
        }
        if (actions.stream().filter(a -> !(a instanceof Update)).count() > 1) {
            throw new DynamoException(ErrorCode.LIMIT_EXCEEDED, "Subscriber limit exceeded: Only 1 online index can "
                    + "be created or deleted simultaneously per table");
        }
        return new GlobalIndexUpdates(actions, IndexRequests.attributeDefinitions(request));
    }

    /** Whether GlobalSecondaryIndexUpdates is an empty list (an error beside other changes). */
    static boolean empty(Request request) {
        List<JsonNode> updates = request.list("GlobalSecondaryIndexUpdates");
        return updates != null && updates.isEmpty();
    }

    private static Action action(Request update, String path) {
        JsonNode create = update.object("Create");
        JsonNode delete = update.object("Delete");
        JsonNode change = update.object("Update");
        int given = (create == null ? 0 : 1) + (delete == null ? 0 : 1) + (change == null ? 0 : 1);
        if (given == 0) {
            throw DynamoException.validation(INVALID + "One of GlobalSecondaryIndexUpdate.Update, "
                    + "GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null");
        }
        if (given > 1) {
            throw DynamoException.validation(INVALID + "Only one global secondary index action is allowed per "
                    + "GlobalSecondaryIndexUpdate object");
        }
        if (create != null) {
            return new Create(IndexRequests.index(new Request(create), path + ".create", true));
        }
        if (delete != null) {
            Request d = new Request(delete);
            return new Delete(d.requireString("IndexName"));
        }
        Request u = new Request(change);
        JsonNode throughput = u.object("ProvisionedThroughput");
        if (throughput == null) {
            throw DynamoException.validation("1 validation error detected: Value null at '" + path
                    + ".update.provisionedThroughput' failed to satisfy constraint: Member must not be null");
        }
        CreateTable.Throughput units = CreateTable.Throughput.units(new Request(throughput),
                path + ".update.provisionedThroughput");
        return new Update(u.requireString("IndexName"), units.read(), units.write());
    }

    /** Whether an index is created or deleted (which no other table change may accompany). */
    boolean createsOrDeletes() {
        return actions.stream().anyMatch(a -> !(a instanceof Update));
    }

    /** Applies the updates to {@code table}; returns the indexes deleted, to describe as DELETING. */
    List<SecondaryIndex> apply(Engine engine, TableDefinition table) {
        List<SecondaryIndex> deleted = new ArrayList<>();
        for (Action action : actions) {
            TableDefinition current = engine.catalog().requireTable(table.name());
            switch (action) {
                case Create c -> engine.indexing().createGlobalIndex(current, c.spec(), attributeDefinitions);
                case Delete d -> {
                    current.index(d.indexName()).ifPresent(deleted::add);
                    engine.indexing().deleteGlobalIndex(current, d.indexName());
                }
                case Update u -> {
                    checkUpdate(current, u);
                    engine.indexing().updateGlobalIndex(current, u.indexName(), u.read(), u.write());
                }
            }
        }
        return deleted;
    }

    /**
     * The definition these updates would give {@code table}, checked as {@link #apply} checks them:
     * throws what applying them would throw, and changes nothing.
     */
    TableDefinition planned(TableDefinition table) {
        TableDefinition planned = table;
        for (Action action : actions) {
            planned = switch (action) {
                // The id is the catalog's to hand out when the index is really created.
                case Create c -> Indexing.withNewGlobalIndex(planned, c.spec(), attributeDefinitions, -1);
                case Delete d -> Indexing.withoutGlobalIndex(planned, d.indexName());
                case Update u -> {
                    checkUpdate(planned, u);
                    yield Indexing.withGlobalIndexThroughput(planned, u.indexName(), u.read(), u.write());
                }
            };
        }
        return planned;
    }

    private static void checkUpdate(TableDefinition table, Update u) {
        if (table.billingMode() == BillingMode.PAY_PER_REQUEST) {
            throw DynamoException.validation(INVALID + "The only Updates for index: " + u.indexName()
                    + " when TableThroughputMode is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput");
        }
        table.index(u.indexName()).filter(SecondaryIndex::global).ifPresent(index ->
                UpdateTable.checkChanges("the index " + index.name(), "index " + index.name(),
                        index.readCapacityUnits(), index.writeCapacityUnits(), u.read(), u.write()));
    }

    /** Adds the {@code deleted} indexes to a rendered table description, DELETING. */
    static void describeDeleted(ObjectNode description, TableDefinition table, List<SecondaryIndex> deleted,
            String region) {
        if (deleted.isEmpty()) {
            return;
        }
        ArrayNode globals = description.has("GlobalSecondaryIndexes")
                ? (ArrayNode) description.get("GlobalSecondaryIndexes") : description.putArray("GlobalSecondaryIndexes");
        for (SecondaryIndex index : deleted) {
            globals.add(TableDescriptions.index(table, index.withStatus(IndexStatus.DELETING), Counts.ZERO,
                    region));
        }
    }
}
