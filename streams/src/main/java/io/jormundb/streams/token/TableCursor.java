package io.jormundb.streams.token;

import java.util.List;

/**
 * A position in one table's changelog: for each changelog partition, the last sequence already
 * seen (0 = nothing yet). {@code tableCreatedMillis} binds it to one incarnation of the table.
 */
public record TableCursor(long tableId, long tableCreatedMillis, List<Long> sequences) {
    public TableCursor {
        sequences = List.copyOf(sequences);
    }

    public static TableCursor of(long tableId, long tableCreatedMillis, long[] sequences) {
        Long[] boxed = new Long[sequences.length];
        for (int i = 0; i < sequences.length; i++) {
            boxed[i] = sequences[i];
        }
        return new TableCursor(tableId, tableCreatedMillis, List.of(boxed));
    }

    public long[] toArray() {
        long[] out = new long[sequences.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = sequences.get(i);
        }
        return out;
    }
}
