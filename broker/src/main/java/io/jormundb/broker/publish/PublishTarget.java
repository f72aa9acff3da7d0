package io.jormundb.broker.publish;

import io.jormundb.engine.changelog.Position;

import java.util.concurrent.CompletableFuture;

/**
 * Where a {@link ChangelogPublisher} hands its messages: the embedded broker or an external one
 * through the bridge (one class per target). Every message is QoS 1 and not retained.
 * {@link #publish} is called from the publisher's thread only; the futures it returns complete
 * on the target's own threads.
 */
public interface PublishTarget {
    /** Blocks until the target can take messages (the bridge: until it is connected). */
    void awaitReady() throws InterruptedException;

    /**
     * Where a publisher whose persisted cursor is {@code cursor} resumes after a restart: the
     * cursor, or an earlier position when the target may have lost messages it took (the embedded
     * broker: what persistent sessions had not acknowledged).
     */
    default Position resumeFrom(Position cursor) {
        return cursor;
    }

    /**
     * Hands one message, the change at {@code position} (or an announcement made there), to the
     * target without waiting for it. The future completes when the target has taken responsibility
     * for the message (the embedded broker: it is in every matching session; the bridge: the
     * external broker sent PUBACK), and completes exceptionally when the target refused or lost
     * it. Never blocks for long.
     */
    CompletableFuture<?> publish(String topic, byte[] payload, Position position);

    /**
     * Hands again, like {@link #publish}, a message the target took before the publisher's restart
     * (one between {@link #resumeFrom} and the cursor), for whoever may have lost it: the embedded
     * broker's persistent sessions that had not acknowledged it, and nobody else. By default, to
     * everyone.
     */
    default CompletableFuture<?> publishAgain(String topic, byte[] payload, Position position) {
        return publish(topic, payload, position);
    }

    /**
     * Whether a message handed over now could reach anyone. When not, the publisher passes the
     * change by without encoding or handing it: a client that comes later subscribes after the
     * change was committed, so MQTT does not owe it that change. The embedded broker: some
     * client is connected or some persistent session exists; the bridge: always.
     */
    default boolean hasAudience() {
        return true;
    }

    /**
     * Has {@code wake} run whenever the target may have gained an audience (the embedded broker:
     * a client connection opened), so that a publisher waiting for one (see {@link #hasAudience})
     * looks again at once instead of at its next heartbeat. {@code wake} must not block; it may
     * run on any thread. The bridge: nothing (it always has an audience).
     */
    default void onAudience(Runnable wake) {
    }

    /**
     * Why this target cannot take a message of {@code payloadBytes} on {@code topic}, or
     * {@code null} when it can. The publisher skips such a message with an error.
     */
    default String refusal(String topic, long payloadBytes) {
        return null;
    }

    /**
     * What may refuse a message that is lost again each time it is sent (said with the error the
     * publisher logs then), or {@code ""}.
     */
    default String repeatedLossHint() {
        return "";
    }

    /** At most this many messages may be handed over and not yet taken. */
    int maxInFlight();
}
