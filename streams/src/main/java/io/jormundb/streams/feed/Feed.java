package io.jormundb.streams.feed;

import io.jormundb.engine.catalog.RetiredTable;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.changelog.Position;
import io.jormundb.streams.log.Changelog;
import io.jormundb.streams.log.Entry;
import io.jormundb.streams.log.KeyFilter;
import io.jormundb.streams.log.Read;
import io.jormundb.streams.log.Scope;
import io.jormundb.streams.token.ResumeToken;
import io.jormundb.streams.token.TokenCodec;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * One reader of the changelog — an SSE response, an MQTT publisher — in commit order, from a
 * fixed start position, over one {@link Scope}. The reader owns its position (everything of its
 * scope up to there was handled) and moves it past every entry of its scope it sees, delivered
 * or filtered out, so its token stays current even when nothing passes its key filter.
 *
 * <p>It subscribes to the {@link LiveTail} first, then catches up from RocksDB to the frontier,
 * then follows the tail, dropping whatever is at or before its position; after a queue overflow
 * it catches up from RocksDB again. So the switch from catch-up to live, and back, loses nothing
 * and repeats nothing (see {@link LiveTail}'s invariant). Not thread-safe: one thread runs it.
 */
public final class Feed {
    private static final int READ_BATCH = 256;

    private final Changelog changelog;
    private final LiveTail tail;
    private final Scope scope;
    private Position position;
    /** When the sink was last given a frame (an event or a heartbeat), {@link System#nanoTime()}. */
    private long framedAt;

    Feed(Changelog changelog, LiveTail tail, Scope scope, Position start) {
        this.changelog = changelog;
        this.tail = tail;
        this.scope = scope;
        this.position = start;
    }

    /** The position reached so far. */
    public Position position() {
        return position;
    }

    /** The resume token of the position reached so far. */
    public String token() {
        return token(scope, position);
    }

    /** The token a feed of {@code scope} gives for {@code position}: bound to the table of a table's feed. */
    static String token(Scope scope, Position position) {
        return TokenCodec.encode(switch (scope) {
            case Scope.Table t -> new ResumeToken.Table(t.table().id(), t.table().creationTimeMillis(), position);
            case Scope.AllTables ignored -> new ResumeToken.AllTables(position);
        });
    }

    /**
     * Delivers changes to {@code sink} until the client goes away (an {@link IOException}), the
     * followed table is deleted, the position falls out of retention, or the server stops.
     */
    public void run(FeedSink sink, Duration heartbeat) throws IOException, InterruptedException {
        Subscription subscription = tail.subscribe(scope);
        try {
            if (!catchUp(sink)) {
                return;
            }
            sink.flush();
            long heartbeatNanos = heartbeat.toNanos();
            framedAt = System.nanoTime();
            while (true) {
                boolean quiet = subscription.await(Math.max(0, framedAt + heartbeatNanos - System.nanoTime()));
                // Read before the ring is: whatever the tail dispatched up to there is in it.
                Position offered = tail.dispatched();
                for (Signal signal = subscription.next(); signal != null; signal = subscription.next()) {
                    if (!handle(signal, sink)) {
                        return;
                    }
                }
                if (subscription.takeOverflow()) {
                    if (!catchUp(sink)) {
                        return;
                    }
                } else if (quiet) {
                    position = Position.max(position, offered);
                }
                // Due a heartbeat interval after the last frame, whatever woke the reader meanwhile:
                // changes the key filter passes over, or the ring running past a quiet reader.
                if (System.nanoTime() - framedAt >= heartbeatNanos) {
                    sink.heartbeat(token());
                    framedAt = System.nanoTime();
                }
                sink.flush();
            }
        } finally {
            tail.unsubscribe(subscription);
        }
    }

    /** Handles one live signal; false when the feed ends. */
    private boolean handle(Signal signal, FeedSink sink) throws IOException {
        return switch (signal) {
            case Signal.Change change -> {
                if (change.event().position().isAfter(position)) {
                    deliver(change.event(), sink);
                }
                yield true;
            }
            case Signal.TableDeleted deleted -> !deleted.position().isAfter(position)
                    || tableDeleted(deleted.table(), deleted.position(), sink);
            case Signal.Shutdown ignored -> false;
        };
    }

    private void deliver(ChangeEvent event, FeedSink sink) throws IOException {
        position = event.position();
        KeyFilter filter = scope.filter();
        if (filter == null || filter.matches(event.table(), event.record())) {
            framedAt = System.nanoTime();
            sink.event(event, switch (scope) {
                case Scope.AllTables ignored -> event.token();
                // The event's own table token, encoded once for all of the table's subscribers.
                case Scope.Table t -> t.table().id() == event.table().id()
                        && t.table().creationTimeMillis() == event.table().creationTimeMillis()
                        ? event.tableToken() : token();
            });
        }
    }

    /** Tells the sink a table is gone; true when the feed goes on (the all-tables feed). */
    private boolean tableDeleted(TableDefinition table, Position at, FeedSink sink) throws IOException {
        position = Position.max(position, at);
        sink.tableDeleted(table.name(), token(scope, at));
        return scope instanceof Scope.AllTables;
    }

    /** Delivers from RocksDB up to the frontier; false when the feed ended (expired, or its table deleted). */
    private boolean catchUp(FeedSink sink) throws IOException {
        Position upTo = changelog.head();
        while (upTo.isAfter(position)) {
            switch (changelog.read(scope, position, upTo, READ_BATCH)) {
                case Read.Trimmed trimmed -> {
                    sink.expired(token(), token(scope, trimmed.horizon()));
                    return false;
                }
                case Read.Entries read -> {
                    for (Entry entry : read.entries()) {
                        switch (entry) {
                            case Entry.Change c -> deliver(new ChangeEvent(c.table(), c.record()), sink);
                            case Entry.TableDeleted d -> {
                                if (!tableDeleted(d.table(), d.position(), sink)) {
                                    return false;
                                }
                            }
                        }
                    }
                    position = Position.max(position, read.reached());
                }
            }
        }
        if (scope instanceof Scope.Table t && !changelog.engine().catalog().isLive(t.table())) {
            // A table's deletion is not in its partitions: once it is visible, the feed ends here.
            Optional<Position> deletedAt = changelog.engine().catalog().retired(t.table().id())
                    .map(RetiredTable::deletedAt);
            if (deletedAt.isEmpty() || !deletedAt.get().isAfter(position)) {
                return tableDeleted(t.table(), deletedAt.orElse(position), sink);
            }
        }
        return true;
    }
}
