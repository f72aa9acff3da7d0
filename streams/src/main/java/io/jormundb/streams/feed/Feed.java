package io.jormundb.streams.feed;

import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.changelog.ChangeRecord;
import io.jormundb.streams.log.Changelog;
import io.jormundb.streams.token.ResumeToken;
import io.jormundb.streams.token.TableCursor;
import io.jormundb.streams.token.TokenCodec;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One reader of the changelog — an SSE response, an MQTT publisher — from a fixed start
 * position, optionally filtered by key. The reader owns its position (one sequence per
 * partition, per table) and advances it only past what it has handled. It first catches up
 * from RocksDB, then follows the {@link LiveTail}; every partition is checked for gaps (a
 * sequence more than one past the position is read from RocksDB first) and duplicates (a
 * sequence at or below the position is dropped), so the switch from catch-up to live, and back
 * after an overflow, loses nothing and repeats nothing. Not thread-safe: one thread runs it.
 */
public final class Feed {
    private static final int READ_BATCH = 256;

    /** A followed table and the position reached in it. */
    private static final class Cursor {
        final TableDefinition table;
        final long[] position;

        Cursor(TableDefinition table, long[] position) {
            this.table = table;
            this.position = position;
        }
    }

    private final Changelog changelog;
    private final LiveTail tail;
    /** The table followed, or {@code null} for every table. */
    private final TableDefinition table;
    private long maxTableId;
    private final Map<Long, Cursor> cursors = new LinkedHashMap<>();
    private final int partition;
    private final String partitionKeyText;
    private final String sortKeyText;

    Feed(Changelog changelog, LiveTail tail, TableDefinition table, long maxTableId, Map<TableDefinition, long[]> start,
         int partition, String partitionKeyText, String sortKeyText) {
        this.changelog = changelog;
        this.tail = tail;
        this.table = table;
        this.maxTableId = maxTableId;
        start.forEach((t, position) -> cursors.put(t.id(), new Cursor(t, position.clone())));
        this.partition = partition;
        this.partitionKeyText = partitionKeyText;
        this.sortKeyText = sortKeyText;
    }

    /** The resume token of the position reached so far. */
    public String token() {
        if (table != null) {
            Cursor c = cursors.get(table.id());
            long[] position = c == null ? new long[table.changelogPartitions()] : c.position;
            return TokenCodec.encodeTable(table.id(), table.creationTimeMillis(), position);
        }
        Map<Long, TableCursor> all = new HashMap<>();
        for (Cursor c : cursors.values()) {
            all.put(c.table.id(), TableCursor.of(c.table.id(), c.table.creationTimeMillis(), c.position));
        }
        return TokenCodec.encode(new ResumeToken.AllTables(maxTableId, all));
    }

    /**
     * Delivers changes to {@code sink} until the client goes away (an {@link IOException}), the
     * followed table is deleted, the position falls out of retention, or the server stops.
     */
    public void run(FeedSink sink, Duration heartbeat) throws IOException, InterruptedException {
        Subscription subscription = tail.subscribe(table == null ? -1 : table.id(), partition);
        try {
            if (table != null && !changelog.engine().catalog().isLive(table)) {
                // Deleted between open() and subscribe(): no TableDeleted signal will come.
                sink.tableDeleted(table.name(), token());
                return;
            }
            if (!catchUpAll(sink)) {
                return;
            }
            sink.flush();
            while (true) {
                Signal signal = subscription.poll(heartbeat.toMillis());
                if (signal == null) {
                    sink.heartbeat();
                } else {
                    while (signal != null) {
                        if (!handle(signal, sink)) {
                            return;
                        }
                        signal = subscription.pollNow();
                    }
                }
                if (subscription.takeOverflow() && !catchUpAll(sink)) {
                    return;
                }
                sink.flush();
            }
        } finally {
            tail.unsubscribe(subscription);
        }
    }

    private boolean handle(Signal signal, FeedSink sink) throws IOException {
        switch (signal) {
            case Signal.Change change -> {
                ChangeEvent e = change.event();
                Cursor c = cursorFor(e.tableId());
                if (c == null) {
                    return true;
                }
                int p = e.partition();
                if (e.sequence() <= c.position[p]) {
                    return true;
                }
                if (e.sequence() > c.position[p] + 1 && !catchUp(c, p, e.sequence() - 1, sink)) {
                    return false;
                }
                if (e.sequence() == c.position[p] + 1) {
                    deliver(c, e, sink);
                }
                return true;
            }
            case Signal.TableDeleted deleted -> {
                if (cursors.containsKey(deleted.table().id())) {
                    String reached = token();
                    cursors.remove(deleted.table().id());
                    sink.tableDeleted(deleted.table().name(), table == null ? token() : reached);
                }
                return table == null;
            }
            case Signal.Shutdown ignored -> {
                return false;
            }
        }
    }

    /** The cursor of a table, adding tables created after the start of an all-tables feed. */
    private Cursor cursorFor(long tableId) {
        Cursor c = cursors.get(tableId);
        if (c != null || table != null || tableId <= maxTableId) {
            return c;
        }
        TableDefinition created = changelog.engine().catalog().byId(tableId).orElse(null);
        if (created == null) {
            return null;
        }
        c = new Cursor(created, new long[created.changelogPartitions()]);
        cursors.put(tableId, c);
        return c;
    }

    private boolean catchUpAll(FeedSink sink) throws IOException {
        if (table == null) {
            for (TableDefinition t : changelog.engine().catalog().all()) {
                cursorFor(t.id());
            }
        }
        for (Cursor c : new ArrayList<>(cursors.values())) {
            long[] heads = changelog.heads(c.table);
            for (int p = 0; p < heads.length; p++) {
                if ((partition == -1 || p == partition) && !catchUp(c, p, heads[p], sink)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Delivers partition {@code p} from RocksDB up to {@code upTo}; false when the position expired. */
    private boolean catchUp(Cursor c, int p, long upTo, FeedSink sink) throws IOException {
        while (c.position[p] < upTo) {
            List<ChangeRecord> records = changelog.read(c.table, p, c.position[p], upTo, READ_BATCH);
            if (records.isEmpty() || records.getFirst().sequence() != c.position[p] + 1) {
                if (!changelog.engine().catalog().isLive(c.table)) {
                    return true;
                }
                sink.expired(token(), horizonToken());
                return false;
            }
            for (ChangeRecord r : records) {
                deliver(c, new ChangeEvent(c.table, r), sink);
            }
        }
        return true;
    }

    private void deliver(Cursor c, ChangeEvent e, FeedSink sink) throws IOException {
        c.position[e.partition()] = e.sequence();
        if ((partitionKeyText == null || partitionKeyText.equals(e.partitionKeyText()))
                && (sortKeyText == null || sortKeyText.equals(e.sortKeyText()))) {
            sink.event(e, token());
        }
    }

    private String horizonToken() {
        if (table != null) {
            return TokenCodec.encodeTable(table.id(), table.creationTimeMillis(), changelog.horizon(table));
        }
        Map<Long, TableCursor> all = new HashMap<>();
        for (Cursor c : cursors.values()) {
            all.put(c.table.id(), TableCursor.of(c.table.id(), c.table.creationTimeMillis(), changelog.horizon(c.table)));
        }
        return TokenCodec.encode(new ResumeToken.AllTables(maxTableId, all));
    }
}
