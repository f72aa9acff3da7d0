package io.jormundb.engine.indexing;

import io.jormundb.engine.catalog.Catalog;
import io.jormundb.engine.catalog.IndexKind;
import io.jormundb.engine.catalog.IndexSchemas;
import io.jormundb.engine.catalog.IndexSpec;
import io.jormundb.engine.catalog.IndexStatus;
import io.jormundb.engine.catalog.SecondaryIndex;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.catalog.TimeToLive;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.error.ErrorCode;
import io.jormundb.engine.value.Bytes;
import io.jormundb.engine.write.IndexWrites;
import io.jormundb.engine.write.IndexWrites.Step;
import io.jormundb.engine.write.IndexWrites.Target;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The online life of global secondary indexes and of TTL: adding one to a table that holds data
 * (CREATING / ENABLING, backfilled in the background, then ACTIVE / ENABLED), and removing one.
 * Every change of a table's indexes or TTL passes here, is validated against the table's current
 * definition under the catalog's lock, and is persisted before it is answered; a backfill that a
 * restart interrupted starts again from the first item when the engine opens ({@link #resume}),
 * which is safe because a backfill only adds entries that are missing.
 *
 * <p>Backfills run one at a time on one background thread, in small steps ({@link IndexWrites}),
 * and log their progress every {@value #LOG_EVERY} items. Thread-safe.
 */
public final class Indexing implements AutoCloseable {
    /** Items a backfill step visits: small, so a writer waits for at most a few item reads. */
    static final int STEP_ITEMS = 128;
    static final int LOG_EVERY = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(Indexing.class);
    private static final String ONE_ONLINE_INDEX =
            "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table";

    private final Catalog catalog;
    private final IndexWrites writes;
    private final ExecutorService backfills = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("jormundb-backfill").daemon(true).factory());
    /** Backfills queued or running; one that is cancelled stops at its next step and changes nothing. */
    private final Set<Job> jobs = ConcurrentHashMap.newKeySet();

    public Indexing(Catalog catalog, IndexWrites writes) {
        this.catalog = catalog;
        this.writes = writes;
    }

    /** Starts the backfills that were running when the server stopped. */
    public void resume() {
        for (TableDefinition table : catalog.all()) {
            for (SecondaryIndex index : table.indexes()) {
                if (index.backfilling()) {
                    start(table, new Target.Index(index.id()), "index " + index.name());
                }
            }
            if (table.timeToLive() != null && table.timeToLive().backfilling()) {
                start(table, new Target.Ttl(table.timeToLive().attributeName()), "TTL");
            }
        }
    }

    /**
     * Adds a global secondary index to {@code table} (UpdateTable Create): CREATING at once, ACTIVE
     * once backfilled. Returns the new definition.
     *
     * @param attributeDefinitions the request's AttributeDefinitions, or {@code null} when it has none
     */
    public TableDefinition createGlobalIndex(TableDefinition table, IndexSpec spec,
                                             Map<String, String> attributeDefinitions) {
        TableDefinition updated = catalog.change(table, (current, newIndexId) ->
                withNewGlobalIndex(current, spec, attributeDefinitions, newIndexId.getAsInt()), null);
        SecondaryIndex created = updated.index(spec.name()).orElseThrow();
        start(updated, new Target.Index(created.id()), "index " + created.name());
        return updated;
    }

    /**
     * Deletes the global secondary index {@code indexName} of {@code table} (UpdateTable Delete):
     * its entries, its counts and its definition go in one write; a backfill of it stops.
     * Returns the definition without it.
     */
    public TableDefinition deleteGlobalIndex(TableDefinition table, String indexName) {
        SecondaryIndex index = globalIndex(table, indexName);
        cancel(table, new Target.Index(index.id()));
        return writes.drop(table, index.id(), (current, newIndexId) -> withoutGlobalIndex(current, indexName));
    }

    /** Sets the provisioned throughput of a global index of a PROVISIONED table (UpdateTable Update). */
    public TableDefinition updateGlobalIndex(TableDefinition table, String indexName, long read, long write) {
        return catalog.change(table, (current, newIndexId) ->
                withGlobalIndexThroughput(current, indexName, read, write), null);
    }

    /*
     * The three changes of a table's global indexes as pure functions of its definition: what the
     * methods above write, and what UpdateTable checks a whole request against before it changes
     * anything. Each throws the DynamoException the change would.
     */

    /** {@code table} with the new global index {@code spec} (CREATING) of id {@code id}. */
    public static TableDefinition withNewGlobalIndex(TableDefinition table, IndexSpec spec,
                                                     Map<String, String> attributeDefinitions, int id) {
        checkNoneBackfilling(table, null);
        SecondaryIndex index = IndexSchemas.forNewGlobalIndex(table, spec, attributeDefinitions, id);
        List<SecondaryIndex> indexes = new ArrayList<>(table.indexes());
        indexes.add(index);
        return table.withIndexes(indexes, IndexSchemas.keyDefinitions(table.keySchema(), indexes));
    }

    /** {@code table} without its global index {@code indexName}. */
    public static TableDefinition withoutGlobalIndex(TableDefinition table, String indexName) {
        SecondaryIndex gone = globalIndex(table, indexName);
        checkNoneBackfilling(table, gone);
        List<SecondaryIndex> indexes = new ArrayList<>(table.indexes());
        indexes.remove(gone);
        return table.withIndexes(indexes, IndexSchemas.keyDefinitions(table.keySchema(), indexes));
    }

    /** {@code table} with the provisioned throughput of its global index {@code indexName} set. */
    public static TableDefinition withGlobalIndexThroughput(TableDefinition table, String indexName, long read,
                                                            long write) {
        SecondaryIndex index = globalIndex(table, indexName);
        List<SecondaryIndex> indexes = new ArrayList<>(table.indexes());
        indexes.set(indexes.indexOf(index), index.withThroughput(read, write));
        return table.withIndexes(indexes, table.attributeDefinitions());
    }

    /** Enables TTL on {@code attributeName} (UpdateTimeToLive): ENABLING, then ENABLED once backfilled. */
    public TableDefinition enableTimeToLive(TableDefinition table, String attributeName) {
        TableDefinition updated = catalog.change(table, (current, newIndexId) -> {
            TimeToLive ttl = current.timeToLive();
            if (ttl != null) {
                throw DynamoException.validation(ttl.attributeName().equals(attributeName)
                        ? "TimeToLive is already enabled" : differentTtlAttribute(ttl));
            }
            return current.withTimeToLive(new TimeToLive(attributeName, TimeToLive.Status.ENABLING));
        }, null);
        start(updated, new Target.Ttl(attributeName), "TTL");
        return updated;
    }

    /** Disables TTL (UpdateTimeToLive): the TTL index goes in one write, a backfill of it stops. */
    public TableDefinition disableTimeToLive(TableDefinition table, String attributeName) {
        jobs.stream().filter(j -> j.tableId == table.id() && j.target instanceof Target.Ttl).forEach(Job::cancel);
        return writes.drop(table, null, (current, newIndexId) -> {
            TimeToLive ttl = current.timeToLive();
            if (ttl == null) {
                throw DynamoException.validation("TimeToLive is already disabled");
            }
            if (!ttl.attributeName().equals(attributeName)) {
                throw DynamoException.validation(differentTtlAttribute(ttl));
            }
            return current.withTimeToLive(null);
        });
    }

    private static String differentTtlAttribute(TimeToLive ttl) {
        return "TimeToLive is active on a different AttributeName: current AttributeName is " + ttl.attributeName();
    }

    private static SecondaryIndex globalIndex(TableDefinition table, String indexName) {
        SecondaryIndex index = table.index(indexName).orElseThrow(() -> new DynamoException(
                ErrorCode.RESOURCE_NOT_FOUND, "Requested resource not found: Index " + indexName + " for table "
                + table.name()));
        if (index.kind() != IndexKind.GLOBAL) {
            throw DynamoException.validation("Cannot delete an index that is not a GlobalSecondaryIndex: " + indexName);
        }
        return index;
    }

    /** One index may be created or deleted at a time; deleting the one being created is allowed. */
    private static void checkNoneBackfilling(TableDefinition table, SecondaryIndex except) {
        for (SecondaryIndex i : table.indexes()) {
            if (i.backfilling() && !i.equals(except)) {
                throw new DynamoException(ErrorCode.LIMIT_EXCEEDED, ONE_ONLINE_INDEX);
            }
        }
    }

    private void start(TableDefinition table, Target target, String what) {
        Job job = new Job(table, target, what);
        jobs.add(job);
        backfills.execute(() -> {
            try {
                job.run();
            } catch (RuntimeException e) {
                LOG.error("backfilling {} of table {} failed; it starts again when the server restarts", what,
                        table.name(), e);
            } finally {
                jobs.remove(job);
            }
        });
    }

    private void cancel(TableDefinition table, Target target) {
        jobs.stream().filter(j -> j.tableId == table.id() && j.target.equals(target)).forEach(Job::cancel);
    }

    /** Stops the backfills (a restart starts them again) and waits for the running step. */
    @Override
    public void close() {
        backfills.shutdownNow();
        try {
            backfills.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One backfill: fills {@code target} over the whole table, then marks it ACTIVE or ENABLED. */
    private final class Job {
        private final TableDefinition table;
        private final long tableId;
        private final Target target;
        private final String what;
        private volatile boolean cancelled;

        Job(TableDefinition table, Target target, String what) {
            this.table = table;
            this.tableId = table.id();
            this.target = target;
            this.what = what;
        }

        void cancel() {
            cancelled = true;
        }

        void run() {
            try {
                fill();
            } catch (DynamoException tableGone) {
                LOG.info("backfilling {} of table {}: stopped, the table is gone", what, table.name());
            }
        }

        private void fill() {
            long started = System.nanoTime();
            LOG.info("backfilling {} of table {}: started", what, table.name());
            writes.barrier(table);
            Bytes from = null;
            long visited = 0;
            while (true) {
                if (cancelled || Thread.currentThread().isInterrupted()) {
                    LOG.info("backfilling {} of table {}: stopped after {} items", what, table.name(), visited);
                    return;
                }
                Step step = writes.backfill(table, target, from, STEP_ITEMS);
                switch (step) {
                    case Step.More more -> {
                        if ((visited + more.items()) / LOG_EVERY > visited / LOG_EVERY) {
                            LOG.info("backfilling {} of table {}: {} items so far", what, table.name(),
                                    visited + more.items());
                        }
                        visited += more.items();
                        from = more.next();
                    }
                    case Step.Done done -> {
                        visited += done.items();
                        activate();
                        LOG.info("backfilling {} of table {}: done, {} items in {} ms", what, table.name(), visited,
                                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                        return;
                    }
                    case Step.Obsolete ignored -> {
                        LOG.info("backfilling {} of table {}: no longer wanted after {} items", what, table.name(),
                                visited);
                        return;
                    }
                }
            }
        }

        /** Marks the target ACTIVE or ENABLED, unless it was cancelled or changed meanwhile. */
        private void activate() {
            catalog.change(table, (current, newIndexId) -> {
                if (cancelled || !target.pending(current)) {
                    return current;
                }
                return switch (target) {
                    case Target.Index index -> {
                        List<SecondaryIndex> indexes = new ArrayList<>();
                        for (SecondaryIndex i : current.indexes()) {
                            indexes.add(i.id() == index.indexId() ? i.withStatus(IndexStatus.ACTIVE) : i);
                        }
                        yield current.withIndexes(indexes, current.attributeDefinitions());
                    }
                    case Target.Ttl ttl -> current.withTimeToLive(
                            new TimeToLive(ttl.attributeName(), TimeToLive.Status.ENABLED));
                };
            }, null);
        }
    }
}
