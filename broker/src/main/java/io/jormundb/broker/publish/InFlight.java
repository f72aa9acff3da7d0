package io.jormundb.broker.publish;

import io.jormundb.engine.changelog.Position;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The messages handed to a target and not yet known to be taken, oldest first, each with its
 * changelog position. The cursor may only move over the taken prefix, which
 * {@link #collect} pops. Owned by the publisher's thread.
 */
final class InFlight {
    /**
     * @param message       whether this entry is a published message (or only a position, e.g. a deleted table)
     * @param handedAtNanos when it was handed to the target
     */
    private record Entry(Position position, CompletableFuture<?> taken, boolean message, long handedAtNanos) {
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    /** A message not taken after this long counts as lost, even when nothing waits for it. */
    private final Duration takeTimeout;
    private Position lastTaken;
    private long messagesTaken;

    InFlight(Duration takeTimeout) {
        this.takeTimeout = takeTimeout;
    }

    void add(Position position, CompletableFuture<?> taken) {
        entries.addLast(new Entry(position, taken, true, System.nanoTime()));
    }

    /** A position to pass once everything before it is taken, with no message of its own. */
    void addPosition(Position position) {
        entries.addLast(new Entry(position, CompletableFuture.completedFuture(null), false, System.nanoTime()));
    }

    int size() {
        return entries.size();
    }

    /** The position of the last message taken so far, or {@code null} if none was. */
    Position lastTaken() {
        return lastTaken;
    }

    /** How many messages were taken so far. */
    long messagesTaken() {
        return messagesTaken;
    }

    /**
     * Pops the messages at the head that the target took. A message refused or lost stays at the
     * head, and every later call fails on it again: what was queued behind it (heartbeat positions
     * among them, taken at once) must never move the cursor past it.
     *
     * @throws TargetFailedException when the oldest message not yet popped was refused or lost, or
     *                               was not taken within the take timeout
     */
    void collect() throws TargetFailedException {
        while (!entries.isEmpty() && entries.peekFirst().taken().isDone()) {
            Entry head = entries.peekFirst();
            if (head.taken().isCompletedExceptionally()) {
                throw failed(head.taken().exceptionNow(), head.position());
            }
            entries.removeFirst();
            lastTaken = head.position();
            if (head.message()) {
                messagesTaken++;
            }
        }
        Entry head = entries.peekFirst();
        if (head != null && System.nanoTime() - head.handedAtNanos() > takeTimeout.toNanos()) {
            throw notTaken();
        }
    }

    /** Waits until the oldest message is taken, then collects. */
    void awaitOldest() throws TargetFailedException, InterruptedIOException {
        Entry head = entries.peekFirst();
        if (head == null) {
            return;
        }
        long left = head.handedAtNanos() + takeTimeout.toNanos() - System.nanoTime();
        try {
            head.taken().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the target to take a message");
        } catch (ExecutionException e) {
            throw failed(e.getCause(), head.position());
        } catch (TimeoutException e) {
            throw notTaken();
        }
        collect();
    }

    /** Waits until every message handed over is taken. */
    void awaitAll() throws TargetFailedException, InterruptedIOException {
        while (!entries.isEmpty()) {
            awaitOldest();
        }
    }

    private TargetFailedException notTaken() {
        return new TargetFailedException("the target did not take a message within " + takeTimeout, null, null);
    }

    private static TargetFailedException failed(Throwable cause, Position position) {
        return new TargetFailedException("the target refused or lost a message: " + cause.getMessage(), cause,
                position);
    }
}
