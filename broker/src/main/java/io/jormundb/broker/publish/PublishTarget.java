package io.jormundb.broker.publish;

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
     * Hands one message to the target without waiting for it. The future completes when the
     * target has taken responsibility for the message (the embedded broker: it is in every
     * matching session; the bridge: the external broker sent PUBACK), and completes
     * exceptionally when the target refused or lost it. Never blocks for long.
     */
    CompletableFuture<?> publish(String topic, byte[] payload);

    /** At most this many messages may be handed over and not yet taken. */
    int maxInFlight();
}
