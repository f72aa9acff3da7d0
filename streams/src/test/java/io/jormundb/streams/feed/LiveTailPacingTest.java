package io.jormundb.streams.feed;

import io.jormundb.engine.Engine;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.streams.log.Changelog;
import io.jormundb.streams.log.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static io.jormundb.streams.feed.TailFixtures.drain;
import static io.jormundb.streams.feed.TailFixtures.ids;
import static io.jormundb.streams.feed.TailFixtures.put;
import static io.jormundb.streams.feed.TailFixtures.spec;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live tail paces its rounds: under a steady stream of commits it dispatches at most once per
 * {@link LiveTail#ROUND_GAP_NANOS}, so that the readers it wakes (and everything they wake in turn)
 * take several changes per wake-up instead of one, and sleeps once per round; a commit after a
 * quiet spell goes out at once.
 */
class LiveTailPacingTest {
    private static final int COMMITS = 400;
    private static final long PACE_NANOS = TimeUnit.MICROSECONDS.toNanos(500);

    @TempDir
    Path dir;

    @Test
    void aSteadyStreamOfCommitsIsDispatchedInRoundsAtLeastTheGapApart() throws Exception {
        try (Engine engine = Engine.open(dir, 2, false, Clock.systemUTC());
             LiveTail tail = new LiveTail(new Changelog(engine))) {
            tail.start();
            TableDefinition table = engine.writePath().createTable(spec("Paced", null, 2), 1);
            Subscription subscription = tail.subscribe(new Scope.AllTables(null));
            long roundsBefore = tail.dispatchRounds();

            long start = System.nanoTime();
            for (int i = 0; i < COMMITS; i++) {
                put(engine, table, "p" + i);
            }
            long elapsed = System.nanoTime() - start;
            List<String> ids = ids(drain(subscription, COMMITS));

            assertEquals(java.util.stream.IntStream.range(0, COMMITS).mapToObj(i -> "p" + i).toList(), ids,
                    "every change once, in commit order");
            long rounds = tail.dispatchRounds() - roundsBefore;
            // Rounds that read the frontier while the commits went on start a gap apart (the first
            // may start a moment before them); one more after the last commit takes what is left.
            long bound = elapsed / LiveTail.ROUND_GAP_NANOS + 3;
            assertTrue(rounds <= bound, rounds + " dispatch rounds for " + COMMITS + " commits in "
                    + TimeUnit.NANOSECONDS.toMicros(elapsed) + " us: more than " + bound);
            tail.unsubscribe(subscription);
        }
    }

    @Test
    void underAPacedStreamTheDispatcherSleepsOncePerRound() throws Exception {
        try (Engine engine = Engine.open(dir, 2, false, Clock.systemUTC());
             LiveTail tail = new LiveTail(new Changelog(engine))) {
            tail.start();
            TableDefinition table = engine.writePath().createTable(spec("Stream", null, 2), 1);
            Subscription subscription = tail.subscribe(new Scope.AllTables(null));
            put(engine, table, "first");
            drain(subscription, 1);
            long roundsBefore = tail.dispatchRounds();
            long sleepsBefore = tail.sleeps();

            // A commit every half millisecond (2,000 a second), four per gap.
            long start = System.nanoTime();
            for (int i = 0; i < COMMITS; i++) {
                put(engine, table, "s" + i);
                long next = start + (i + 1) * PACE_NANOS;
                for (long wait = next - System.nanoTime(); wait > 0; wait = next - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
            }
            assertEquals(COMMITS, drain(subscription, COMMITS).size());

            long rounds = tail.dispatchRounds() - roundsBefore;
            long sleeps = tail.sleeps() - sleepsBefore;
            // Once per round for the gap, with room for a few rounds whose next commit came late
            // and for the idle sweeps; sleeping for the first commit and again for the gap is twice.
            long bound = rounds + rounds / 4 + 3;
            assertTrue(sleeps <= bound, "the dispatcher slept " + sleeps + " times in " + rounds
                    + " dispatch rounds: more than " + bound);
            tail.unsubscribe(subscription);
        }
    }

    @Test
    void aCommitAfterAQuietSpellIsNotHeldBack() throws Exception {
        try (Engine engine = Engine.open(dir, 2, false, Clock.systemUTC());
             LiveTail tail = new LiveTail(new Changelog(engine))) {
            tail.start();
            TableDefinition table = engine.writePath().createTable(spec("Lone", null, 2), 1);
            Subscription subscription = tail.subscribe(new Scope.AllTables(null));
            for (int i = 0; i < 50; i++) {
                put(engine, table, "burst" + i);
            }
            drain(subscription, 50);

            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1))
                    .until(() -> tail.quietNanos() > LiveTail.ROUND_GAP_NANOS && tail.awaitingCommit());
            long heldBefore = tail.heldRounds();
            put(engine, table, "lone");
            assertEquals(List.of("lone"), ids(drain(subscription, 1)));
            assertEquals(heldBefore, tail.heldRounds(), "the lone commit's round did not wait for the gap");
            tail.unsubscribe(subscription);
        }
    }
}
