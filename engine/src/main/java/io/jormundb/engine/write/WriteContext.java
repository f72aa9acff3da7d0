package io.jormundb.engine.write;

import io.jormundb.engine.changelog.Cause;

import java.util.List;

/**
 * How a group of mutations is committed.
 *
 * @param transactionId  written into every change record of the group, or {@code null}
 * @param cause          who caused the changes (a user, or TTL expiry)
 * @param transactional  whether a failure of one mutation is reported as a cancelled transaction
 *                       with one reason per mutation (otherwise the failure itself is thrown)
 * @param extraPuts      server-state entries committed in the same batch (idempotency tokens)
 */
public record WriteContext(String transactionId, Cause cause, boolean transactional, List<StatePut> extraPuts) {
    public static final WriteContext USER = new WriteContext(null, Cause.USER, false, List.of());
    /** Deletions by the TTL expirer: their change records name the TTL service. */
    public static final WriteContext TTL = new WriteContext(null, Cause.TTL, false, List.of());

    public WriteContext {
        extraPuts = List.copyOf(extraPuts);
    }

    /** A key/value for the STATE keyspace, written with the mutations or not at all. */
    public record StatePut(byte[] key, byte[] value) {
    }
}
