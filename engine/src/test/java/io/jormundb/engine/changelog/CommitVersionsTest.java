package io.jormundb.engine.changelog;

import io.jormundb.engine.changelog.CommitVersions.Frontier;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The commit version counter and its frontier. Allowed: the frontier stays behind a version that
 * is taken but not yet published, and passes void versions without an entry. Forbidden: a
 * frontier past an unpublished version, a frontier that moves back, a last entry that is not the
 * last entry at or below the frontier, a move without a listener call.
 */
class CommitVersionsTest {
    @Test
    void theFrontierWaitsForTheSmallestUnpublishedVersion() {
        CommitVersions versions = new CommitVersions(10, new Position(10, 0));
        long a = versions.take();
        long b = versions.take();
        long c = versions.take();
        assertEquals(List.of(11L, 12L, 13L), List.of(a, b, c));
        versions.publish(c, 2);
        versions.publish(b, 1);
        assertEquals(new Frontier(10, new Position(10, 0)), versions.frontier());
        versions.publish(a, 1);
        assertEquals(new Frontier(13, new Position(13, 1)), versions.frontier());
    }

    @Test
    void voidVersionsAreSkippedAndLeaveTheLastEntryWhereItWas() {
        CommitVersions versions = new CommitVersions(0, Position.START);
        long written = versions.take();
        long failed = versions.take();
        versions.publish(written, 3);
        versions.publish(failed, 0);
        assertEquals(new Frontier(2, new Position(1, 2)), versions.frontier());
    }

    @Test
    void listenersHearEveryMoveOnTheThreadThatMadeIt() {
        CommitVersions versions = new CommitVersions(0, Position.START);
        AtomicReference<Frontier> heard = new AtomicReference<>();
        versions.onAdvance(() -> heard.set(versions.frontier()));
        long first = versions.take();
        long second = versions.take();
        versions.publish(second, 1);
        assertNull(heard.get(), "nothing moved yet");
        versions.publish(first, 1);
        assertEquals(new Frontier(2, new Position(2, 0)), heard.get());
    }

    @Test
    void concurrentWritersNeverLetTheFrontierPassAnUnpublishedVersion() throws Exception {
        int writers = 8;
        int perWriter = 50_000;
        int total = writers * perWriter;
        CommitVersions versions = new CommitVersions(0, Position.START);
        AtomicIntegerArray published = new AtomicIntegerArray(total + 1);
        AtomicIntegerArray entries = new AtomicIntegerArray(total + 1);
        AtomicInteger moves = new AtomicInteger();
        versions.onAdvance(moves::incrementAndGet);
        List<String> violations = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(writers);
        Thread checker = Thread.ofPlatform().start(() -> {
            long last = 0;
            while (done.getCount() > 0) {
                Frontier f = versions.frontier();
                if (f.version() < last) {
                    violations.add("frontier moved back from " + last + " to " + f.version());
                }
                for (long v = last + 1; v <= f.version(); v++) {
                    if (published.get((int) v) == 0) {
                        violations.add("frontier " + f.version() + " passed unpublished version " + v);
                    }
                }
                last = f.version();
            }
        });
        for (int w = 0; w < writers; w++) {
            Thread.ofPlatform().start(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < perWriter; i++) {
                    long v = versions.take();
                    int count = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(3);
                    for (int spin = random.nextInt(50); spin > 0; spin--) {
                        Thread.onSpinWait();
                    }
                    entries.set((int) v, count);
                    published.set((int) v, 1);
                    versions.publish(v, count);
                }
                done.countDown();
            });
        }
        done.await();
        checker.join();
        assertTrue(violations.isEmpty(), () -> violations.subList(0, Math.min(5, violations.size())).toString());
        Position lastEntry = Position.START;
        for (int v = total; v > 0; v--) {
            if (entries.get(v) > 0) {
                lastEntry = new Position(v, entries.get(v) - 1);
                break;
            }
        }
        assertEquals(new Frontier(total, lastEntry), versions.frontier());
        assertTrue(moves.get() > 0);
    }
}
