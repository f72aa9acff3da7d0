package io.jormundb.streams.token;

import io.jormundb.engine.changelog.Position;

/**
 * A decoded resume token: a changelog {@link Position} (everything up to and including it was
 * seen), alone or bound to one incarnation of a table. Tokens are opaque to clients;
 * {@link TokenCodec} turns them into text. Every feed accepts an {@link AllTables} token; a
 * table's feed also accepts a {@link Table} token of that same table, and the all-tables feed
 * any {@link Table} token (it only needs the position).
 */
public sealed interface ResumeToken permits ResumeToken.AllTables, ResumeToken.Table {
    Position position();

    /** A position in the whole changelog. */
    record AllTables(Position position) implements ResumeToken {
    }

    /** A position, given by a feed of the table with id {@code tableId} created at {@code tableCreatedMillis}. */
    record Table(long tableId, long tableCreatedMillis, Position position) implements ResumeToken {
    }
}
