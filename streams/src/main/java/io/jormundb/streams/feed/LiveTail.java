package io.jormundb.streams.feed;

import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.changelog.ChangeRecord;
import io.jormundb.engine.write.CommitListener;
import io.jormundb.streams.log.Changelog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The live tail of the changelog. The write path tells it (without blocking) which tables
 * advanced; its one dispatcher thread reads the new records from RocksDB once, encodes each
 * once, and offers the same {@link ChangeEvent} to every subscription that follows it. Nobody
 * polls on a timer: a commit wakes the dispatcher, the dispatcher wakes the readers.
 */
public final class LiveTail implements CommitListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveTail.class);
    private static final int READ_BATCH = 512;

    /** Per table: what was dispatched so far, and whether a commit is waiting to be read. */
    private static final class TableState {
        volatile TableDefinition table;
        final long[] dispatched;
        final AtomicBoolean dirty = new AtomicBoolean();

        TableState(TableDefinition table, long[] dispatched) {
            this.table = table;
            this.dispatched = dispatched;
        }
    }

    private final Changelog changelog;
    private final Map<Long, TableState> tables = new ConcurrentHashMap<>();
    /** Subscriptions by the table they follow; {@link #ALL_TABLES} for the all-tables feeds. */
    private final Map<Long, Set<Subscription>> subscriptions = new ConcurrentHashMap<>();
    private static final long ALL_TABLES = -1;
    private final LinkedBlockingQueue<Object> work = new LinkedBlockingQueue<>();
    private final Thread dispatcher;
    private volatile boolean closed;

    public LiveTail(Changelog changelog) {
        this.changelog = changelog;
        for (TableDefinition table : changelog.engine().catalog().all()) {
            tables.put(table.id(), new TableState(table, changelog.heads(table)));
        }
        dispatcher = Thread.ofPlatform().name("jormundb-live-tail").daemon(true).unstarted(this::dispatch);
    }

    public void start() {
        changelog.engine().writePath().addListener(this);
        dispatcher.start();
    }

    Subscription subscribe(long tableId, int partition) {
        Subscription s = new Subscription(tableId, partition);
        subscriptions.computeIfAbsent(tableId, id -> ConcurrentHashMap.newKeySet()).add(s);
        if (closed) {
            s.force(new Signal.Shutdown());
        }
        return s;
    }

    void unsubscribe(Subscription s) {
        Set<Subscription> set = subscriptions.get(s.tableId);
        if (set != null) {
            set.remove(s);
        }
    }

    /** Subscriptions currently attached (for metrics). */
    public int subscriberCount() {
        int n = 0;
        for (Set<Subscription> set : subscriptions.values()) {
            n += set.size();
        }
        return n;
    }

    /** The subscriptions that follow {@code tableId}: its own and the all-tables ones. */
    private List<Subscription> following(long tableId) {
        List<Subscription> out = new ArrayList<>();
        out.addAll(subscriptions.getOrDefault(tableId, Set.of()));
        out.addAll(subscriptions.getOrDefault(ALL_TABLES, Set.of()));
        return out;
    }

    @Override
    public void committed(TableDefinition table, int partition, long lastSequence) {
        TableState state = tables.computeIfAbsent(table.id(),
                id -> new TableState(table, new long[table.changelogPartitions()]));
        if (state.dirty.compareAndSet(false, true)) {
            work.offer(state);
        }
    }

    @Override
    public void tableDeleted(TableDefinition table) {
        work.offer(new Signal.TableDeleted(table));
    }

    private void dispatch() {
        while (!closed) {
            Object item;
            try {
                item = work.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                switch (item) {
                    case TableState state -> dispatchCommits(state);
                    case Signal.TableDeleted deleted -> {
                        tables.remove(deleted.table().id());
                        changelog.forget(deleted.table().id());
                        for (Subscription s : following(deleted.table().id())) {
                            s.force(deleted);
                        }
                    }
                    default -> {
                    }
                }
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.error("live tail failed to dispatch; readers will catch up from the changelog", e);
                }
            }
        }
    }

    private void dispatchCommits(TableState state) {
        state.dirty.set(false);
        TableDefinition table = state.table;
        if (!changelog.engine().catalog().isLive(table)) {
            return;
        }
        long[] heads = changelog.heads(table);
        List<Subscription> readers = following(table.id());
        if (readers.isEmpty()) {
            System.arraycopy(heads, 0, state.dispatched, 0, heads.length);
            return;
        }
        for (int p = 0; p < heads.length; p++) {
            while (state.dispatched[p] < heads[p]) {
                List<ChangeRecord> records = changelog.read(table, p, state.dispatched[p], heads[p], READ_BATCH);
                if (records.isEmpty()) {
                    state.dispatched[p] = heads[p];
                    break;
                }
                for (ChangeRecord record : records) {
                    Signal.Change change = new Signal.Change(new ChangeEvent(table, record));
                    for (Subscription s : readers) {
                        if (s.follows(table.id(), p)) {
                            s.offer(change);
                        }
                    }
                    state.dispatched[p] = record.sequence();
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        dispatcher.interrupt();
        try {
            dispatcher.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Set<Subscription> set : subscriptions.values()) {
            for (Subscription s : set) {
                s.force(new Signal.Shutdown());
            }
        }
    }
}
