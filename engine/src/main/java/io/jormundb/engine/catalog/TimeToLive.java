package io.jormundb.engine.catalog;

/**
 * A table's Time to Live setting: the attribute holding each item's expiry (N, epoch seconds).
 * ENABLING while the TTL index is backfilled for the items the table already holds, then ENABLED.
 * A table without TTL has none ({@code null} in its definition).
 */
public record TimeToLive(String attributeName, Status status) {
    public TimeToLive {
        if (attributeName == null || attributeName.isEmpty()) {
            throw new IllegalArgumentException("a TTL attribute needs a name");
        }
    }

    /** The states of an enabled TTL. */
    public enum Status {
        ENABLING,
        ENABLED
    }

    public boolean backfilling() {
        return status == Status.ENABLING;
    }
}
