package io.jormundb.streams.log;

import io.jormundb.engine.changelog.Position;

import java.util.List;

/** The outcome of one {@link Changelog#read}: entries, or the news that the scope's position was trimmed. */
public sealed interface Read permits Read.Entries, Read.Trimmed {
    /**
     * The scope's entries in commit order. Every entry of the scope up to {@code reached} was
     * read (those not returned are not in the scope); {@code reached} is at or after the last
     * entry returned, and equals the read's upper bound when nothing more lies below it.
     */
    record Entries(List<Entry> entries, Position reached) implements Read {
    }

    /**
     * A record of the scope after the read's start was trimmed; {@code horizon} is the last
     * position trimmed in the scope, the oldest one a reader can resume from.
     */
    record Trimmed(Position horizon) implements Read {
    }
}
