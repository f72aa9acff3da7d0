package io.jormundb.engine.catalog;

import io.jormundb.engine.changelog.Position;
import io.jormundb.engine.codec.ByteReader;
import io.jormundb.engine.codec.ByteWriter;
import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.codec.Keyspace;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.error.ErrorCode;
import io.jormundb.engine.store.Store;
import io.jormundb.engine.store.StoreException;
import org.rocksdb.WriteBatch;
import org.rocksdb.RocksDBException;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The table catalog: definitions persisted in the CATALOG keyspace and cached in memory (rebuilt
 * from RocksDB on start). A deleted table is retired, not forgotten: its definition stays (in
 * STATE) with the position of its deletion while its changelog is kept, and is dropped when the
 * trimmer removes the last of it. Reads are lock-free; changes take {@link #ddlLock}, which guards
 * the table-id counter and makes create/update/retire of one name sequential.
 */
public final class Catalog {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]+");
    private static final int MIN_NAME = 3;
    private static final int MAX_NAME = 255;
    private static final String TABLE_ID_COUNTER = "table-id";
    /** Secondary index ids are server-wide and never reused (see {@link SecondaryIndex}). */
    private static final String INDEX_ID_COUNTER = "index-id";
    /** How long a table whose changelog is gone is still named to readers: far longer than one read. */
    private static final Duration DROPPED_KEPT = Duration.ofMinutes(1);

    private final Store store;
    private final int defaultChangelogPartitions;
    private final ConcurrentHashMap<String, TableDefinition> byName = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, TableDefinition> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, RetiredTable> retired = new ConcurrentHashMap<>();
    /**
     * Retired tables whose changelog is gone, by id, kept in memory only and for
     * {@link #DROPPED_KEPT}: a reader whose consistent view (held for one read) still holds their
     * last entries can still name their table.
     */
    private final ConcurrentHashMap<Long, Dropped> dropped = new ConcurrentHashMap<>();
    private final Clock clock;
    /** Guards the table-id counter and every catalog change. */
    private final ReentrantLock ddlLock = new ReentrantLock();

    private record Dropped(TableDefinition definition, long atMillis) {
    }

    public Catalog(Store store, int defaultChangelogPartitions, Clock clock) {
        this.store = store;
        this.defaultChangelogPartitions = defaultChangelogPartitions;
        this.clock = clock;
        reload();
    }

    /**
     * Reads the catalog again from RocksDB, where a follower's applied batch changed it: tables
     * created, updated (indexes, TTL, streams) and deleted appear as they are stored. Returns the
     * ids of the retired tables that are gone (their changelog trimmed away).
     */
    public Set<Long> reload() {
        Map<Long, TableDefinition> live = new HashMap<>();
        store.forEach(Keyspace.CATALOG.range(), (key, value) -> {
            TableDefinition t = TableCodec.decode(value);
            live.put(t.id(), t);
            return true;
        });
        Map<Long, RetiredTable> kept = new HashMap<>();
        store.forEach(Keys.retiredTables(), (key, value) -> {
            RetiredTable r = TableCodec.decodeRetired(value);
            kept.put(r.definition().id(), r);
            return true;
        });
        ddlLock.lock();
        try {
            retired.putAll(kept);
            for (TableDefinition t : live.values()) {
                byName.put(t.name(), t);
                byId.put(t.id(), t);
            }
            byId.keySet().retainAll(live.keySet());
            byName.values().removeIf(t -> !live.containsKey(t.id()));
            Set<Long> gone = new HashSet<>(retired.keySet());
            gone.removeAll(kept.keySet());
            gone.forEach(this::forgetRetired);
            expireDropped();
            return gone;
        } finally {
            ddlLock.unlock();
        }
    }

    public Optional<TableDefinition> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The table, or the ResourceNotFoundException DynamoDB gives item operations. */
    public TableDefinition require(String name) {
        TableDefinition t = byName.get(name);
        if (t == null) {
            throw DynamoException.resourceNotFound();
        }
        return t;
    }

    /** The table, or the ResourceNotFoundException DynamoDB gives table operations (naming the table). */
    public TableDefinition requireTable(String name) {
        TableDefinition t = byName.get(name);
        if (t == null) {
            throw DynamoException.tableNotFound(name);
        }
        return t;
    }

    public Optional<TableDefinition> byId(long id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** All tables, sorted by name. */
    public List<TableDefinition> list() {
        return new ArrayList<>(new TreeMap<>(byName).values());
    }

    public Collection<TableDefinition> all() {
        return byId.values();
    }

    /**
     * Validates {@code spec} as DynamoDB does and creates the table (ACTIVE at once).
     *
     * @param streamAt where the stream {@code spec} asks for begins (a commit boundary the write
     *                 path took), or {@code null} when it asks for none
     */
    public TableDefinition create(TableSpec spec, long nowMillis, Position streamAt) {
        validateName(spec.name(), "tableName");
        KeyAttribute[] keys = validateKeys(spec);
        int partitions = spec.changelogPartitions() > 0 ? spec.changelogPartitions() : defaultChangelogPartitions;
        Map<String, String> defs = new LinkedHashMap<>();
        for (TableSpec.AttributeDefinition d : spec.attributeDefinitions()) {
            defs.put(d.attributeName(), d.attributeType());
        }
        ddlLock.lock();
        try {
            if (byName.containsKey(spec.name())) {
                throw new DynamoException(ErrorCode.RESOURCE_IN_USE, "Table already exists: " + spec.name());
            }
            long id = nextTableId();
            IndexIds indexIds = new IndexIds();
            List<SecondaryIndex> indexes = spec.hasIndexes()
                    ? IndexSchemas.forCreateTable(spec, keys, defs, indexIds) : List.of();
            List<TableStream> streams = spec.streamViewType() == null ? List.of() : List.of(TableStream.enabled(
                    spec.streamViewType(), streamMillis(spec.name(), nowMillis), streamAt));
            TableDefinition t = new TableDefinition(spec.name(), id, UUID.randomUUID().toString(), nowMillis,
                    keys[0], keys[1], defs, spec.billingMode(), spec.readCapacityUnits(), spec.writeCapacityUnits(),
                    partitions, streams, spec.tags(), indexes, null, spec.deletionProtection(), spec.tableClass());
            try (WriteBatch batch = new WriteBatch()) {
                batch.put(Keys.table(t.name()), TableCodec.encode(t));
                batch.put(Keys.counter(TABLE_ID_COUNTER), new ByteWriter(8).writeLong(id).toByteArray());
                indexIds.persist(batch);
                store.write(batch);
            } catch (RocksDBException e) {
                throw new StoreException("catalog write failed: " + e.getMessage(), e);
            }
            byName.put(t.name(), t);
            byId.put(t.id(), t);
            return t;
        } finally {
            ddlLock.unlock();
        }
    }

    /**
     * Replaces the definition of {@code table} (UpdateTable, tags) with what {@code change} makes
     * of its current one (the id and keys never change), so that concurrent updates never undo
     * each other. {@link #change} is the same for index and TTL changes, which also need new index
     * ids or a batch of their own.
     */
    public TableDefinition update(TableDefinition table, UnaryOperator<TableDefinition> change) {
        return change(table, (current, ids) -> change.apply(current), null);
    }

    /** A change of a table's definition, computed from its current definition. */
    @FunctionalInterface
    public interface Change {
        /**
         * The new definition, or {@code current} itself for no change; may throw a DynamoException
         * (nothing is written then).
         *
         * @param newIndexId hands out fresh secondary index ids, persisted with the change
         */
        TableDefinition apply(TableDefinition current, IntSupplier newIndexId);
    }

    /**
     * Applies {@code change} to the current definition of {@code table} under the catalog lock, so
     * that concurrent changes of one table are sequential and none is lost, and writes the result
     * in one batch with whatever {@code batch} already holds (index entries removed, partition
     * heads), then serves it. {@code batch} may be {@code null}. A change that returns the current
     * definition writes nothing.
     *
     * @throws DynamoException ResourceNotFound when {@code table} is no longer the live table
     */
    public TableDefinition change(TableDefinition table, Change change, WriteBatch batch) {
        ddlLock.lock();
        try (WriteBatch own = new WriteBatch()) {
            TableDefinition current = byId.get(table.id());
            if (current == null) {
                throw DynamoException.tableNotFound(table.name());
            }
            IndexIds indexIds = new IndexIds();
            TableDefinition updated = change.apply(current, indexIds);
            if (updated == current && batch == null) {
                return current;
            }
            if (updated.id() != current.id() || !updated.name().equals(current.name())) {
                throw new IllegalArgumentException("a change keeps the table's name and id");
            }
            WriteBatch out = batch == null ? own : batch;
            out.put(Keys.table(updated.name()), TableCodec.encode(updated));
            indexIds.persist(out);
            store.write(out);
            byName.put(updated.name(), updated);
            byId.put(updated.id(), updated);
            return updated;
        } catch (RocksDBException e) {
            throw new StoreException("catalog change failed: " + e.getMessage(), e);
        } finally {
            ddlLock.unlock();
        }
    }

    /**
     * Adds the retirement of {@code table} to {@code batch} (its catalog entry goes, its
     * definition is kept with the position {@code deletedAt} of its deletion) and, once
     * {@code commit} has written the batch, serves it as retired. The write path calls this with
     * every partition lock of the table held, so no write slips in between.
     */
    public void retire(TableDefinition table, Position deletedAt, WriteBatch batch, Runnable commit) {
        ddlLock.lock();
        try {
            TableDefinition current = byName.get(table.name());
            if (current == null || current.id() != table.id()) {
                throw DynamoException.tableNotFound(table.name());
            }
            if (current.deletionProtection()) {
                throw DynamoException.validation("Resource cannot be deleted as it is currently protected against "
                        + "deletion. Disable deletion protection first.");
            }
            if (current.indexes().stream().anyMatch(SecondaryIndex::backfilling)) {
                throw new DynamoException(ErrorCode.RESOURCE_IN_USE, "Attempt to change a resource which is still in "
                        + "use: Cannot delete table while indexes are being created, updated, or deleted.");
            }
            RetiredTable r = new RetiredTable(table, deletedAt);
            batch.delete(Keys.table(table.name()));
            batch.put(Keys.retiredTable(table.id()), TableCodec.encodeRetired(r));
            commit.run();
            retired.put(table.id(), r);
            byName.remove(table.name());
            byId.remove(table.id());
        } catch (RocksDBException e) {
            throw new StoreException("catalog write failed: " + e.getMessage(), e);
        } finally {
            ddlLock.unlock();
        }
    }

    /** A deleted table whose changelog is still kept. */
    public Optional<RetiredTable> retired(long id) {
        return Optional.ofNullable(retired.get(id));
    }

    /** Every deleted table whose changelog is still kept. */
    public Collection<RetiredTable> retiredTables() {
        return retired.values();
    }

    /** The definition of a live or retired table, for readers of the changelog. */
    public Optional<TableDefinition> definition(long id) {
        TableDefinition live = byId.get(id);
        if (live != null) {
            return Optional.of(live);
        }
        RetiredTable r = retired.get(id);
        return r != null ? Optional.of(r.definition()) : Optional.ofNullable(dropped.get(id)).map(Dropped::definition);
    }

    /** Adds the removal of a retired table's definition to {@code batch} (its changelog is gone). */
    public void drop(long id, WriteBatch batch) throws RocksDBException {
        batch.delete(Keys.retiredTable(id));
    }

    /**
     * Forgets a retired table once the batch of {@link #drop} is written (for readers, a minute
     * more: see {@link #expireDropped}).
     */
    public void forgetRetired(long id) {
        RetiredTable r = retired.remove(id);
        if (r != null) {
            dropped.put(id, new Dropped(r.definition(), clock.millis()));
        }
    }

    /**
     * Forgets for good the tables whose changelog went more than {@link #DROPPED_KEPT} ago: at each
     * trim pass of the changelog, and as a follower takes the catalog again ({@link #reload}).
     */
    public void expireDropped() {
        long now = clock.millis();
        dropped.values().removeIf(d -> now - d.atMillis() > DROPPED_KEPT.toMillis());
    }

    /**
     * The enabling time of a new stream of table {@code name}: {@code nowMillis}, or just after the
     * latest stream of any table of that name still known, so that no two streams of one table
     * name share a label (and so an ARN), even when enabled within one millisecond.
     */
    public long streamMillis(String name, long nowMillis) {
        long latest = Long.MIN_VALUE;
        List<TableDefinition> sameName = new ArrayList<>();
        find(name).ifPresent(sameName::add);
        for (RetiredTable r : retired.values()) {
            if (r.definition().name().equals(name)) {
                sameName.add(r.definition());
            }
        }
        for (TableDefinition t : sameName) {
            for (TableStream stream : t.streams()) {
                latest = Math.max(latest, stream.enabledMillis());
            }
        }
        return latest == Long.MIN_VALUE ? nowMillis : Math.max(nowMillis, latest + 1);
    }

    /**
     * The latest commit boundary any stream of a live or retired table was enabled or disabled at
     * ({@link Position#START} when none): the commit version counter restarts above it, since
     * such a version appends nothing to the changelog.
     */
    public Position lastStreamBoundary() {
        Position last = Position.START;
        List<TableDefinition> tables = new ArrayList<>(byId.values());
        retired.values().forEach(r -> tables.add(r.definition()));
        for (TableDefinition t : tables) {
            for (TableStream stream : t.streams()) {
                last = Position.max(last, stream.isEnabled() ? stream.enabledAt() : stream.disabledAt());
            }
        }
        return last;
    }

    /** Whether {@code table} is still the live incarnation of its name. */
    public boolean isLive(TableDefinition table) {
        TableDefinition current = byId.get(table.id());
        return current != null;
    }

    /** Whether {@code name} may name a table or index: 3 to 255 characters of {@code [a-zA-Z0-9_.-]}. */
    public static boolean isValidName(String name) {
        return name.length() >= MIN_NAME && name.length() <= MAX_NAME && NAME.matcher(name).matches();
    }

    /** DynamoDB's table name rule, for CreateTable and every operation that names a table. */
    public static void validateName(String name, String parameter) {
        if (name == null) {
            throw DynamoException.validation("1 validation error detected: Value null at '" + parameter
                    + "' failed to satisfy constraint: Member must not be null");
        }
        if (name.length() < MIN_NAME || name.length() > MAX_NAME) {
            throw DynamoException.validation("1 validation error detected: Value '" + name + "' at '" + parameter
                    + "' failed to satisfy constraint: Member must have length "
                    + (name.length() < MIN_NAME ? "greater than or equal to " + MIN_NAME
                    : "less than or equal to " + MAX_NAME));
        }
        if (!isValidName(name)) {
            throw DynamoException.validation("1 validation error detected: Value '" + name + "' at '" + parameter
                    + "' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                    + "[a-zA-Z0-9_.-]+");
        }
    }

    private static KeyAttribute[] validateKeys(TableSpec spec) {
        List<TableSpec.KeyElement> schema = spec.keySchema();
        if (schema.isEmpty() || schema.size() > 2) {
            throw DynamoException.validation("1 validation error detected: Value '" + schema.size()
                    + "' at 'keySchema' failed to satisfy constraint: Member must have length "
                    + (schema.isEmpty() ? "greater than or equal to 1" : "less than or equal to 2"));
        }
        Map<String, String> defs = new HashMap<>();
        Set<String> duplicates = new HashSet<>();
        for (TableSpec.AttributeDefinition d : spec.attributeDefinitions()) {
            if (!Set.of("S", "N", "B").contains(d.attributeType())) {
                throw DynamoException.validation("1 validation error detected: Value '" + d.attributeType()
                        + "' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [B, N, S]");
            }
            if (defs.put(d.attributeName(), d.attributeType()) != null) {
                duplicates.add(d.attributeName());
            }
        }
        if (!duplicates.isEmpty()) {
            throw DynamoException.validation("Cannot have two attributes with the same name");
        }
        TableSpec.KeyElement hash = schema.get(0);
        if (!"HASH".equals(hash.keyType())) {
            throw DynamoException.validation(
                    "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        }
        TableSpec.KeyElement range = schema.size() == 2 ? schema.get(1) : null;
        if (range != null) {
            if (!"RANGE".equals(range.keyType())) {
                throw DynamoException.validation(
                        "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
            }
            if (range.attributeName().equals(hash.attributeName())) {
                throw DynamoException.validation(
                        "Both the Hash Key and the Range Key element in the KeySchema have the same name");
            }
        }
        List<String> keyNames = new ArrayList<>();
        for (TableSpec.KeyElement k : schema) {
            keyNames.add(k.attributeName());
        }
        for (String keyName : keyNames) {
            if (!defs.containsKey(keyName)) {
                throw DynamoException.validation("One or more parameter values were invalid: "
                        + "Some index key attributes are not defined in AttributeDefinitions. Keys: " + keyNames
                        + ", AttributeDefinitions: " + new ArrayList<>(defs.keySet()));
            }
        }
        if (!spec.hasIndexes() && defs.size() != keyNames.size()) {
            throw DynamoException.validation("One or more parameter values were invalid: Number of attributes in "
                    + "KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
        }
        return new KeyAttribute[] {
                new KeyAttribute(hash.attributeName(), defs.get(hash.attributeName())),
                range == null ? null : new KeyAttribute(range.attributeName(), defs.get(range.attributeName()))
        };
    }

    private long nextTableId() {
        byte[] current = store.get(Keys.counter(TABLE_ID_COUNTER));
        return current == null ? 1 : new ByteReader(current).readLong() + 1;
    }

    /**
     * Hands out secondary index ids after the last one persisted; {@link #persist} records the last
     * one handed out in the batch of the definition that uses it. Used under {@link #ddlLock}.
     */
    private final class IndexIds implements IntSupplier {
        private long last = -1;

        @Override
        public int getAsInt() {
            if (last < 0) {
                byte[] current = store.get(Keys.counter(INDEX_ID_COUNTER));
                last = current == null ? 0 : new ByteReader(current).readLong();
            }
            if (last >= Integer.MAX_VALUE) {
                throw new StoreException("secondary index ids are exhausted");
            }
            return (int) ++last;
        }

        void persist(WriteBatch batch) throws RocksDBException {
            if (last > 0) {
                batch.put(Keys.counter(INDEX_ID_COUNTER), new ByteWriter(8).writeLong(last).toByteArray());
            }
        }
    }
}
