package io.jormundb.broker.publish;

import io.jormundb.broker.topic.MqttTopics;
import io.jormundb.engine.changelog.Position;
import io.jormundb.streams.feed.ChangeEvent;
import io.jormundb.streams.feed.Feed;
import io.jormundb.streams.feed.FeedSink;
import io.jormundb.streams.feed.Feeds;
import io.jormundb.streams.feed.TokenExpiredException;
import io.jormundb.streams.json.ChangeJson;
import io.jormundb.streams.log.Changelog;
import io.jormundb.streams.token.InvalidTokenException;
import io.jormundb.streams.token.ResumeToken;
import io.jormundb.streams.token.TokenCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Publishes every change of every table to one {@link PublishTarget}, at least once, from the
 * durable changelog in commit order: topic {@link MqttTopics#of}, payload the change record JSON
 * carrying the resume token of its position (so a duplicate carries the same token as the original).
 * A table's deletion is announced on {@link MqttTopics#table}; a change whose topic would not fit
 * in an MQTT packet is skipped with an error.
 *
 * <p>Invariant: the cursor persisted under this reader's name never passes a message the target
 * has not taken. Messages are handed over in changelog order, at most
 * {@link PublishTarget#maxInFlight()} at a time; the cursor moves over the prefix the target has
 * taken and is written to RocksDB at most every {@value #PERSIST_INTERVAL_MS} ms (and when the
 * publisher stops), never per message. After a crash the publisher goes on from that cursor, so
 * a message may arrive twice but never not at all. When the target refuses or loses a message,
 * the publisher drops what is in flight, backs off, and reads again from the last taken position.
 *
 * <p>It runs on its own virtual thread and only reads the changelog, so it never blocks or slows
 * writers; how far behind it is shows in {@link #lag()}. Thread-safe.
 */
public final class ChangelogPublisher implements AutoCloseable {
    /**
     * System property read at start: when {@code true}, publishers load and keep their cursor but
     * publish nothing until the next start (maintenance; tests use it to crash with unpublished changes).
     */
    public static final String HOLD_PROPERTY = "jormundb.mqtt.hold";

    private static final Logger LOG = LoggerFactory.getLogger(ChangelogPublisher.class);
    private static final long PERSIST_INTERVAL_MS = 100;
    private static final Duration HEARTBEAT = Duration.ofMillis(PERSIST_INTERVAL_MS);
    /** A message the target has not taken after this long counts as lost. */
    private static final Duration TAKE_TIMEOUT = Duration.ofSeconds(30);
    private static final long MIN_BACKOFF_MS = 50;
    private static final long MAX_BACKOFF_MS = 5_000;
    /** Lag (records) above which the publisher logs a warning, at most every {@link #LAG_LOG_INTERVAL_MS}. */
    private static final long LAG_WARNING = 10_000;
    private static final long LAG_LOG_INTERVAL_MS = 10_000;
    /** Times in a row one message is lost before the publisher says so with an error. */
    private static final int REPEATED_LOSS = 3;

    private final String name;
    private final Feeds feeds;
    private final Changelog changelog;
    private final PublishTarget target;
    private final CursorStore cursor;
    private final CountDownLatch closed = new CountDownLatch(1);
    /** Released when the target may have gained an audience: wakes {@link #awaitAudience} (close interrupts it). */
    private final Semaphore audienceWake = new Semaphore(0);
    /** The position of the last message the target took. Written by the publisher thread. */
    private volatile Position taken;
    private volatile long published;
    /** What the cursor store holds (written by the publisher thread), and when it was written (publisher thread only). */
    private volatile Position saved;
    private long savedAtNanos;
    /** Up to here (the cursor loaded at start) messages are sent again ({@link PublishTarget#publishAgain}); null: none. */
    private Position againThrough;
    private long lagLoggedAtNanos;
    private volatile Thread thread;

    /**
     * @param name the reader name of the persisted cursor (one per target)
     */
    public ChangelogPublisher(String name, Feeds feeds, Changelog changelog, PublishTarget target) {
        this.name = name;
        this.feeds = feeds;
        this.changelog = changelog;
        this.target = target;
        this.cursor = new CursorStore(changelog.engine().store(), name);
    }

    /**
     * Loads the cursor (the first time: the current head, saved at once, so that nothing committed
     * from now on can be missed) and starts publishing, unless {@link #HOLD_PROPERTY} is set.
     */
    public void start() {
        Position position;
        try {
            position = cursor.load();
        } catch (InvalidTokenException e) {
            LOG.error("MQTT publisher '{}': its saved cursor is not a position in this changelog ({}); "
                    + "going on from the head", name, e.getMessage());
            position = null;
        }
        if (position == null) {
            position = changelog.head();
            cursor.save(position);
            LOG.info("MQTT publisher '{}' starts at the head of the changelog", name);
        }
        saved = position;
        taken = target.resumeFrom(position);
        if (position.isAfter(taken)) {
            againThrough = position;
            LOG.info("MQTT publisher '{}' resends from {} to {} what its broker's persistent sessions had not "
                    + "acknowledged, to them only ({} commit versions)", name, taken.next(), position,
                    changelog.versionsBetween(taken, position));
        }
        if (Boolean.getBoolean(HOLD_PROPERTY)) {
            LOG.warn("MQTT publisher '{}' is held (-D{}=true): it publishes nothing until restarted without it",
                    name, HOLD_PROPERTY);
            return;
        }
        target.onAudience(audienceWake::release);
        thread = Thread.ofVirtual().name("jormundb-publisher-" + name).start(this::run);
    }

    public String name() {
        return name;
    }

    /** Commit versions published to the changelog that the target has not taken yet. */
    public long lag() {
        Position position = taken;
        return position == null ? 0 : changelog.versionsBehind(position);
    }

    /** Whether it publishes: started, and not held ({@link #HOLD_PROPERTY}). */
    public boolean publishing() {
        return thread != null;
    }

    /** Messages the target took since this publisher started. */
    public long published() {
        return published;
    }

    /**
     * Commit versions a restart now would publish again: from where it would resume (its cursor as
     * written, or before what the target may have lost, see {@link PublishTarget#resumeFrom}) to
     * what the target took.
     */
    public long resend() {
        Position at = taken;
        Position persisted = saved;
        return at == null || persisted == null ? 0 : changelog.versionsBetween(target.resumeFrom(persisted), at);
    }

    /**
     * Commit versions the target took that the written cursor does not cover yet (it is written at
     * most every {@value #PERSIST_INTERVAL_MS} ms): a kill -9 now would publish them again, to every
     * subscriber, where a clean stop writes the cursor first.
     */
    public long unsaved() {
        Position at = taken;
        Position persisted = saved;
        return at == null || persisted == null ? 0 : changelog.versionsBetween(persisted, at);
    }

    private void run() {
        long backoff = MIN_BACKOFF_MS;
        boolean idle = false;
        Position lostAt = null;
        int lostTimes = 0;
        try {
            while (closed.getCount() > 0) {
                target.awaitReady();
                Feed feed = feed();
                Sink sink = new Sink(feed);
                try {
                    feed.run(sink, HEARTBEAT);
                    // The feed ends by itself only when the server stops or the position expired.
                } catch (NoAudience e) {
                    idle = true;
                } catch (TargetFailedException e) {
                    lostTimes = e.lost() != null && e.lost().equals(lostAt) ? lostTimes + 1 : 1;
                    lostAt = e.lost();
                    if (lostAt != null && lostTimes == REPEATED_LOSS) {
                        LOG.error("MQTT publisher '{}': the message of position {} was lost each of the last {} times "
                                + "it was sent ({}); nothing newer is published until it is taken{}", name, lostAt,
                                REPEATED_LOSS, e.getMessage(), target.repeatedLossHint());
                    } else if (backoff == MIN_BACKOFF_MS || sink.progressed) {
                        LOG.warn("MQTT publisher '{}': {}; resending from its cursor", name, e.getMessage());
                    }
                } catch (RuntimeException e) {
                    if (backoff == MIN_BACKOFF_MS || sink.progressed) {
                        LOG.error("MQTT publisher '{}' failed; retrying from its cursor", name, e);
                    }
                } finally {
                    sink.settle();
                }
                if (idle) {
                    idle = false;
                    awaitAudience();
                    continue;
                }
                backoff = sink.progressed ? MIN_BACKOFF_MS : Math.min(backoff * 2, MAX_BACKOFF_MS);
                if (closed.await(backoff, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException | InterruptedIOException e) {
            // Closing.
        } catch (IOException e) {
            LOG.error("MQTT publisher '{}' stopped; it resumes from its cursor at the next start", name, e);
        } finally {
            persist(true);
        }
    }

    /**
     * While the target has nobody to reach, follows the changelog without a feed: every
     * {@link #HEARTBEAT} it takes the frontier as passed by, so the live tail has no subscriber to
     * wake per commit on this publisher's behalf. The frontier is read before the audience is
     * asked for: what was committed by then came before any client that connects after the
     * question, so MQTT owes it nothing (see {@link PublishTarget#hasAudience}).
     */
    private void awaitAudience() throws InterruptedException {
        while (closed.getCount() > 0) {
            audienceWake.drainPermits();
            Position frontier = changelog.frontier().lastEntry();
            if (target.hasAudience()) {
                return;
            }
            taken = Position.max(taken, frontier);
            persist(false);
            // Until the next heartbeat, or at once when a client connects: the
            // changes it subscribes for are then published as they commit, not caught up later.
            audienceWake.tryAcquire(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Ends a feed when nobody could receive what it brings and nothing is in flight. */
    private static final class NoAudience extends IOException {
        NoAudience() {
            super("no MQTT client connected and no persistent session", null);
        }
    }

    /** The feed from the last taken position, or from the trim horizon if that fell out of retention. */
    private Feed feed() {
        String from = TokenCodec.encode(new ResumeToken.AllTables(taken));
        try {
            return feeds.open(null, from, null, null);
        } catch (TokenExpiredException e) {
            LOG.warn("MQTT publisher '{}' fell behind the changelog retention: changes older than the trim horizon "
                    + "were never published; going on from the oldest change kept", name);
            Feed feed = feeds.open(null, e.trimHorizon(), null, null);
            taken = feed.position();
            persist(true);
            return feed;
        } catch (InvalidTokenException e) {
            LOG.error("MQTT publisher '{}': its saved cursor is not a position in this changelog ({}); "
                    + "going on from the head", name, e.getMessage());
            Feed feed = feeds.open(null, Feeds.NOW, null, null);
            taken = feed.position();
            persist(true);
            return feed;
        }
    }

    /** Writes the taken position if it moved, at most every PERSIST_INTERVAL_MS unless {@code now}. */
    private void persist(boolean now) {
        Position position = taken;
        if (position == null || position.equals(saved)) {
            return;
        }
        long at = System.nanoTime();
        if (now || at - savedAtNanos >= TimeUnit.MILLISECONDS.toNanos(PERSIST_INTERVAL_MS)) {
            cursor.save(position);
            saved = position;
            savedAtNanos = at;
        }
    }

    private void logLagIfLarge() {
        long at = System.nanoTime();
        if (at - lagLoggedAtNanos < TimeUnit.MILLISECONDS.toNanos(LAG_LOG_INTERVAL_MS)) {
            return;
        }
        lagLoggedAtNanos = at;
        long lag = lag();
        if (lag > LAG_WARNING) {
            LOG.warn("MQTT publisher '{}' is {} commit versions behind the changelog head", name, lag);
        }
    }

    /** Closes: stops handing over messages and saves the cursor. */
    @Override
    public void close() {
        closed.countDown();
        Thread t = thread;
        if (t == null) {
            return;
        }
        t.interrupt();
        try {
            if (!t.join(Duration.ofSeconds(10))) {
                LOG.warn("MQTT publisher '{}' did not stop within 10 s", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Receives the feed's changes on the publisher's thread and hands them to the target. */
    private final class Sink implements FeedSink {
        private final Feed feed;
        private final InFlight inFlight = new InFlight(TAKE_TIMEOUT);
        /** Whether the target took anything during this feed. */
        boolean progressed;
        private final long countedBefore = published;
        /** The taken position last copied into {@code taken}. */
        private Position recorded;

        Sink(Feed feed) {
            this.feed = feed;
        }

        @Override
        public void event(ChangeEvent event, String token) throws IOException {
            if (!target.hasAudience()) {
                // Nobody to reach: pass it by, unencoded (see PublishTarget#hasAudience), and leave
                // the live tail once nothing is in flight.
                inFlight.addPosition(event.position());
                advance();
                leaveIfNoAudience();
                return;
            }
            String topic = MqttTopics.of(event.record().tableName(), event.partitionKeyText(), event.sortKeyText());
            if (!MqttTopics.fits(topic)) {
                LOG.error("MQTT publisher '{}' skips the {} at position {} (partition {}, sequence {}) of table {}: "
                        + "its topic is longer than MQTT's {} bytes (a key written before key size limits were "
                        + "enforced)", name, event.record().eventName(), event.position(), event.record().partition(),
                        event.record().sequence(), event.record().tableName(), MqttTopics.MAX_TOPIC_BYTES);
                inFlight.addPosition(event.position());
                advance();
                return;
            }
            byte[] payload = event.json();
            String refusal = target.refusal(topic, payload.length);
            if (refusal != null) {
                LOG.error("MQTT publisher '{}' skips the {} at position {} (partition {}, sequence {}) of table {}: {}",
                        name, event.record().eventName(), event.position(), event.record().partition(),
                        event.record().sequence(), event.record().tableName(), refusal);
                inFlight.addPosition(event.position());
                advance();
                return;
            }
            hand(topic, payload, event.position());
        }

        @Override
        public void tableDeleted(String tableName, String token) throws IOException {
            hand(MqttTopics.table(tableName), ChangeJson.tableDeleted(tableName), feed.position());
        }

        /** Hands one message to the target, then waits while the target has as many as it may hold. */
        private void hand(String topic, byte[] payload, Position position) throws IOException {
            inFlight.add(position, againThrough != null && !position.isAfter(againThrough)
                    ? target.publishAgain(topic, payload, position) : target.publish(topic, payload, position));
            while (inFlight.size() >= target.maxInFlight()) {
                inFlight.awaitOldest();
            }
            advance();
        }

        @Override
        public void expired(String token, String trimHorizon) throws IOException {
            inFlight.awaitAll();
            record();
            LOG.warn("MQTT publisher '{}' fell behind the changelog retention while publishing: changes older than "
                    + "the trim horizon were never published; going on from the oldest change kept", name);
            taken = ((ResumeToken) TokenCodec.decode(trimHorizon)).position();
            persist(true);
        }

        @Override
        public void heartbeat(String token) throws IOException {
            // The feed's position passed everything it saw: once what is in flight is taken, so is it.
            inFlight.addPosition(feed.position());
            advance();
            leaveIfNoAudience();
        }

        private void leaveIfNoAudience() throws NoAudience {
            if (inFlight.size() == 0 && !target.hasAudience()) {
                throw new NoAudience();
            }
        }

        @Override
        public void flush() throws IOException {
            advance();
        }

        private void advance() throws TargetFailedException {
            inFlight.collect();
            record();
            persist(false);
            logLagIfLarge();
        }

        /** Takes note of what the target took, even when the feed ends with a failure. */
        void settle() {
            try {
                inFlight.collect();
            } catch (TargetFailedException e) {
                // The taken prefix before the failure is recorded below; the rest is resent.
            }
            record();
        }

        private void record() {
            Position last = inFlight.lastTaken();
            if (last != null && !last.equals(recorded)) {
                recorded = last;
                taken = last;
                progressed = true;
            }
            published = countedBefore + inFlight.messagesTaken();
        }
    }
}
