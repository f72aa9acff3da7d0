package io.jormundb.engine.changelog;

/** Who caused a change: a client request, or the TTL service expiring an item. */
public enum Cause {
    USER,
    TTL
}
