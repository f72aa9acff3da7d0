package io.jormundb.streams.token;

import java.util.Map;

/**
 * A decoded resume token: a position in one table's changelog, or in every table's (the
 * all-tables feed). Tokens are opaque to clients; {@link TokenCodec} turns them into text.
 */
public sealed interface ResumeToken permits ResumeToken.Table, ResumeToken.AllTables {

    /** A position in one table's changelog. */
    record Table(TableCursor cursor) implements ResumeToken {
    }

    /**
     * A position in every table's changelog. Tables with an id above {@code maxTableId} were
     * created after the position and are read from their start; tables missing from
     * {@code tables} with a lower id no longer exist.
     */
    record AllTables(long maxTableId, Map<Long, TableCursor> tables) implements ResumeToken {
        public AllTables {
            tables = Map.copyOf(tables);
        }
    }
}
