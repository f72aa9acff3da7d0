package io.jormundb.engine.ttl;

import io.jormundb.engine.catalog.Catalog;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.codec.KeyRange;
import io.jormundb.engine.codec.Keys;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.index.TtlEntries;
import io.jormundb.engine.items.Items;
import io.jormundb.engine.store.Store;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Item;
import io.jormundb.engine.write.Mutation;
import io.jormundb.engine.write.WriteContext;
import io.jormundb.engine.write.WritePath;
import io.jormundb.engine.write.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Deletes expired items: every interval (and on demand, {@link #expireNow}) it reads, for each
 * table with TTL, the TTL index entries due before the present second (and not more than five
 * years before it: {@link TtlEntries#MAX_AGE_SECONDS}), and deletes their items
 * through the {@link WritePath} with the TTL cause, {@value #BATCH} items a commit, so each
 * expiry is an ordinary delete (indexes updated, a REMOVE record naming the TTL service) and no
 * writer waits long. Each delete holds only if the item's TTL attribute still holds the expiry
 * that was found due, read under the item's lock: a concurrent write that moved or removed it
 * wins. Items past their expiry stay readable until a pass deletes them, as in DynamoDB.
 * Thread-safe; passes run one at a time.
 */
public final class Expirer implements AutoCloseable {
    /** Items deleted per commit. */
    static final int BATCH = 25;
    private static final Logger LOG = LoggerFactory.getLogger(Expirer.class);

    private final Store store;
    private final Catalog catalog;
    private final WritePath writePath;
    private final Clock clock;
    /** Makes passes sequential (the scheduled ones and those asked for). */
    private final ReentrantLock passLock = new ReentrantLock();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("jormundb-ttl").daemon(true).factory());

    public Expirer(Store store, Catalog catalog, WritePath writePath, Clock clock) {
        this.store = store;
        this.catalog = catalog;
        this.writePath = writePath;
        this.clock = clock;
    }

    /** Runs a pass every {@code interval}. */
    public void start(Duration interval) {
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                int expired = expireNow();
                if (expired > 0) {
                    LOG.debug("TTL deleted {} expired items", expired);
                }
            } catch (RuntimeException e) {
                LOG.warn("deleting expired items failed; the next pass tries again", e);
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** One pass over every table with TTL; returns how many items it deleted. */
    public int expireNow() {
        passLock.lock();
        try {
            int expired = 0;
            for (TableDefinition table : catalog.all()) {
                if (table.timeToLive() != null) {
                    expired += expire(table);
                }
            }
            return expired;
        } finally {
            passLock.unlock();
        }
    }

    private int expire(TableDefinition table) {
        long now = clock.millis();
        long second = Math.floorDiv(now, 1000);
        KeyRange due = Keys.ttlDue(table.id(), second - TtlEntries.MAX_AGE_SECONDS, second);
        byte[] from = due.start();
        int expired = 0;
        while (true) {
            List<Mutation> batch = new ArrayList<>(BATCH);
            byte[] last = null;
            try (Store.Cursor cursor = store.cursor(new KeyRange(from, due.end()))) {
                for (cursor.seekFirst(); cursor.valid() && batch.size() < BATCH; cursor.next()) {
                    last = cursor.key();
                    batch.add(expiry(catalog, table, last, now));
                }
                cursor.check();
            }
            if (batch.isEmpty()) {
                return expired;
            }
            try {
                for (WriteResult r : writePath.write(batch, WriteContext.TTL)) {
                    expired += r.changed() ? 1 : 0;
                }
            } catch (DynamoException tableGone) {
                return expired;
            }
            from = Arrays.copyOf(last, last.length + 1);
        }
    }

    /**
     * The deletion of the item of TTL entry {@code ttlKey}, if TTL is still enabled on the same
     * attribute and the item still expires at that entry's second.
     */
    private static Mutation expiry(Catalog catalog, TableDefinition table, byte[] ttlKey, long now) {
        List<AttributeValue> values = Keys.keyValuesOfItem(Keys.itemOfTtlEntry(ttlKey), table.hashKey().type(),
                table.rangeKey() == null ? null : table.rangeKey().type());
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        key.put(table.hashKey().name(), values.get(0));
        if (table.rangeKey() != null) {
            key.put(table.rangeKey().name(), values.get(1));
        }
        long second = Keys.expiryOfTtlEntry(ttlKey);
        String attribute = table.timeToLive().attributeName();
        return Mutation.of(table, new Item(key), current -> {
            boolean enabled = catalog.byId(table.id()).map(TableDefinition::timeToLive)
                    .filter(ttl -> ttl.attributeName().equals(attribute)).isPresent();
            boolean due = enabled && current != null
                    && Long.valueOf(second).equals(TtlEntries.expirySecond(current, attribute))
                    && TtlEntries.expired(current, attribute, now);
            return due ? null : current;
        });
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
